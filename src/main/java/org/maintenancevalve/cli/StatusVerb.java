package org.maintenancevalve.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.maintenancevalve.response.Messages;
import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code status}: what is in force, from the flag file, and the live figures where JMX reaches. */
public final class StatusVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar status [--json] [--jmx HOST:PORT | --no-jmx]\n"
            + "                                        (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Shows what the flag file puts in force: mode, message, start, expected end, who set it.\n"
            + "Where the valve is reachable over JMX (--jmx HOST:PORT, or the local Tomcat found with\n"
            + "the JDK's attach API) it adds the live figures: requests in flight, blocked, admitted.\n"
            + "\n"
            + "  --json               machine-readable output\n"
            + "  --jmx HOST:PORT      Tomcat's JMX remote port\n"
            + "  --no-jmx             the flag file only\n"
            + "  --flag FILE | --catalina-base DIR   which flag file (default: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "Exit codes: 0 (whatever the state), 2 bad usage.\n";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> env;
    private final Clock clock;

    public StatusVerb(Map<String, String> env, Clock clock) {
        super("status", "show what is in force, and live figures over JMX", USAGE,
                FlagLocation.options(Args.spec().values("--jmx").switches("--json", "--no-jmx")));
        this.env = env;
        this.clock = clock;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        if (args.given("--jmx") && args.has("--no-jmx")) {
            throw new UsageException("give --jmx or --no-jmx, not both");
        }
        Path flag = FlagLocation.resolve(args, env);
        Instant now = clock.instant();
        FlagSettings settings = FlagFileParser.read(flag);
        Instant modified = null;
        if (settings != null) {
            try {
                modified = Files.getLastModifiedTime(flag).toInstant();
            } catch (IOException e) {
                modified = now;
            }
        }
        MaintenanceState state = MaintenanceState.evaluate(settings, modified, now, MaintenanceState.OFF);

        ObjectNode report = MAPPER.createObjectNode();
        report.put("mode", state.modeText());
        report.put("active", state.isActive());
        report.put("flagFile", flag.toString());
        if (settings != null) {
            report.put("message", settings.message() != null ? settings.message() : Messages.defaultMessage(settings.mode()));
            report.put("messageIsDefault", settings.message() == null);
            putTime(report, "since", state.since());
            putTime(report, "from", settings.from());
            putTime(report, "until", settings.until());
            report.put("overdue", state.isOverdue());
            report.put("autoEnd", settings.autoEnd());
            report.put("by", settings.by());
            report.put("bypassLink", settings.bypassSecret() != null);
            report.putPOJO("allow", settings.allow());
            report.put("problem", settings.problem());
        }
        if (!args.has("--no-jmx")) {
            try (ValveConnection valves = ValveConnection.open(args.value("--jmx"), flag)) {
                ObjectNode live = report.putObject("live");
                live.put("target", valves.target());
                live.put("active", valves.active());
                live.put("inFlight", valves.sum("inFlight"));
                live.put("inFlightBeforeMaintenance", valves.sum("inFlightBeforeMaintenance"));
                live.put("blocked", valves.sum("blockedCount"));
                live.put("admitted", valves.sum("admittedCount"));
            } catch (Refused e) {
                report.putNull("live");
                report.put("liveUnavailable", e.getMessage());
            }
        }
        if (args.has("--json")) {
            try {
                out.println(MAPPER.writeValueAsString(report));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            printText(report, state, now, out);
        }
        return ExitCode.OK;
    }

    private static String quoted(List<String> values) {
        StringBuilder text = new StringBuilder();
        for (String value : values) {
            text.append(text.length() == 0 ? "" : ", ").append(AuditLine.quote(value));
        }
        return text.toString();
    }

    private static void putTime(ObjectNode report, String field, Instant time) {
        if (time == null) {
            report.putNull(field);
        } else {
            report.put(field, time.toString());
        }
    }

    private static void printText(ObjectNode report, MaintenanceState state, Instant now, PrintStream out) {
        FlagSettings settings = state.settings();
        String mode = report.get("mode").asText();
        if (settings == null) {
            out.println("Maintenance: off (no flag file)");
        } else if (state.phase() == MaintenanceState.Phase.SCHEDULED) {
            out.println("Maintenance: scheduled (" + settings.mode().text() + ") from " + settings.from()
                    + " (" + relative(now, settings.from()) + ")");
        } else if (state.phase() == MaintenanceState.Phase.OFF) {
            out.println("Maintenance: off (ended automatically at " + settings.until() + ")");
        } else {
            out.println("Maintenance: " + mode + " (on since " + state.since() + ")");
        }
        if (settings != null) {
            // Values from the file are quoted: a control character in it must not reach the terminal.
            out.println("  message:      " + AuditLine.quote(report.get("message").asText())
                    + (settings.message() == null ? "  (default)" : ""));
            if (settings.until() != null) {
                out.println("  expected end: " + settings.until() + " ("
                        + (state.isOverdue() ? "passed " + relative(settings.until(), now) + " ago, still on"
                                : relative(now, settings.until())) + ")" + (settings.autoEnd() ? ", ends by itself" : ""));
            } else {
                out.println("  expected end: none announced");
            }
            if (settings.by() != null) {
                out.println("  set by:       " + AuditLine.quote(settings.by()));
            }
            if (!settings.allow().isEmpty()) {
                out.println("  also allowed: " + quoted(settings.allow()));
            }
            if (settings.bypassSecret() != null) {
                out.println("  bypass link:  set (the secret is in the flag file)");
            }
            if (settings.problem() != null) {
                out.println("  PROBLEM:      the flag file " + settings.problem()
                        + ": the valve holds everyone out (full mode, default message) until it is fixed");
            }
        }
        out.println("  flag file:    " + report.get("flagFile").asText());
        out.println("  version:      " + org.maintenancevalve.Version.current() + " (this command's jar)");
        if (report.has("live") && !report.get("live").isNull()) {
            ObjectNode live = (ObjectNode) report.get("live");
            out.println("Live (" + live.get("target").asText() + "): " + live.get("inFlight").asLong() + " in flight ("
                    + live.get("inFlightBeforeMaintenance").asLong() + " from before maintenance), "
                    + live.get("blocked").asLong() + " blocked, " + live.get("admitted").asLong() + " admitted");
        } else if (report.has("liveUnavailable")) {
            out.println("Live figures: not available (" + report.get("liveUnavailable").asText() + ")");
        }
    }

    private static String relative(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        long minutes = Math.abs(d.toMinutes());
        String text = minutes < 1 ? "less than a minute" : minutes < 120 ? minutes + " min" : (minutes / 60) + " h " + (minutes % 60) + " min";
        return d.isNegative() ? text + " ago" : "in " + text;
    }
}
