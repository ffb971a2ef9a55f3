package org.maintenancevalve.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.maintenancevalve.access.AddressRule;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.config.Version;
import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.response.DefaultMessages;
import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import javax.management.ObjectName;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code status}: what the flag file puts in force, and what every valve reached says: its mode,
 * the real start of the window and the live figures, node by node.
 */
public final class StatusVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar status [--json] [--jmx HOST:PORT]... [--no-jmx]\n"
            + "                                        (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Shows what the flag file puts in force: mode, message, start, expected end, who set it,\n"
            + "and what the valve would ignore in it. Where valves are reachable over JMX (each --jmx\n"
            + "HOST:PORT, one per node, or the local Tomcats found with the JDK's attach API) it adds,\n"
            + "node by node, what each applies: its mode, when the window began, requests in flight,\n"
            + "blocked, admitted, and whether incoming mail is paused there (atlassian.mail.fetchdisabled).\n"
            + "\n"
            + "  --json               machine-readable output\n"
            + "  --jmx HOST:PORT      Tomcat's JMX remote port (repeatable, or a comma list: every node)\n"
            + JmxLogin.USAGE
            + "  --no-jmx             the flag file only\n"
            + "  --flag FILE | --catalina-base DIR   which flag file (default: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "As root, it runs again as the user who can already change the flag file's location, as 'on\n"
            + "--help' says: it then reads what that user writes, and finds that user's Tomcat.\n"
            + "\n"
            + "Exit codes: 0 (whatever the state); 1 refused (no flag file named, or named by a file\n"
            + "another user can change); 2 bad usage.\n";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, String> env;
    private final Clock clock;

    public StatusVerb(Map<String, String> env, Clock clock) {
        super("status", "show what is in force, node by node", USAGE, options());
        this.env = env;
        this.clock = clock;
    }

    /** The options of {@code status}. */
    static Args.Spec options() {
        return FlagLocation.options(JmxTargets.options(Args.spec().switches("--json", "--no-jmx")));
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        List<String> jmx = JmxTargets.from(args);
        JmxLogin login = JmxTargets.login(args, env);
        if (!jmx.isEmpty() && args.has("--no-jmx")) {
            throw new UsageException("give --jmx or --no-jmx, not both");
        }
        Path flag = FlagLocation.resolve(args, env, name());
        Instant now = clock.instant();
        String me = System.getProperty("user.name", "this user");

        // What this user can see of the flag file.
        String cannotRead = null;
        FlagSettings settings = null;
        Instant modified = null;
        if (!Files.exists(flag) && !Files.notExists(flag)) {
            cannotRead = "its directory cannot be searched as user " + me;
        } else if (Files.exists(flag) && !Files.isReadable(flag)) {
            cannotRead = "permission denied for user " + me;
        } else {
            settings = FlagFileParser.read(flag, clock);
            if (settings != null) {
                try {
                    modified = Files.getLastModifiedTime(flag).toInstant();
                } catch (IOException e) {
                    modified = now;
                }
            }
        }
        MaintenanceState state = MaintenanceState.evaluate(settings, modified, now, MaintenanceState.OFF);
        boolean ended = settings != null && settings.problem() == null && state.phase() == MaintenanceState.Phase.OFF;

        ObjectNode report = MAPPER.createObjectNode();
        report.put("mode", cannotRead != null ? "unknown" : state.modeText());
        // As the banner, status.json and JMX say it.
        report.put("phase", cannotRead != null ? "unknown" : state.phaseText());
        report.put("active", state.isActive());
        report.put("flagFile", flag.toString());
        report.put("flagExists", settings != null || cannotRead != null);
        report.put("cannotRead", cannotRead);
        report.put("ended", ended);
        List<String> ignored = new ArrayList<>();
        if (settings != null) {
            report.put("message", settings.message() != null ? settings.message() : DefaultMessages.defaultMessage(settings.mode()));
            report.put("messageIsDefault", settings.message() == null);
            putTime(report, "since", state.since());
            report.put("sinceFrom", state.since() == null ? null : settings.from() != null
                    && settings.from().equals(state.since()) ? "flag file's start" : "flag file's last change");
            putTime(report, "from", settings.from());
            putTime(report, "until", settings.until());
            report.put("overdue", state.isOverdue());
            report.put("autoEnd", settings.autoEnd());
            report.put("by", settings.by());
            report.put("window", settings.window());
            if (settings.problem() == null) {
                ignored.addAll(ignoredByTheValve(settings));
            }
            report.put("bypassLink", settings.problem() == null && settings.bypassSecret() != null
                    && ignored.stream().noneMatch(text -> text.startsWith("bypass")));
            report.putPOJO("allow", settings.allow());
            report.putPOJO("ignored", ignored);
            report.put("problem", settings.problem());
        }
        if (!args.has("--no-jmx")) {
            live(report, jmx, login, flag);
        }
        if (args.has("--json")) {
            try {
                out.println(MAPPER.writeValueAsString(report));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            printText(report, settings, state, ended, cannotRead, ignored, flag, now, out);
        }
        return ExitCode.OK;
    }

    /** What the valve would ignore in the flag file's access entries, told by the valve's own parsers. */
    private static List<String> ignoredByTheValve(FlagSettings settings) {
        List<String> ignored = new ArrayList<>();
        if (settings.bypassSecret() != null) {
            try {
                new BypassSecret(settings.bypassSecret());
            } catch (IllegalArgumentException e) {
                ignored.add("bypass link: the secret in the flag file " + e.getMessage()
                        + " (it has " + settings.bypassSecret().length() + "): bypass links are off");
            }
        }
        try {
            AddressRule.of(settings.allow());
        } catch (IllegalArgumentException e) {
            ignored.add("allow: the whole list is ignored: " + AuditLine.quote(e.getMessage()));
        }
        return ignored;
    }

    /** Adds {@code live} (totals), {@code nodes} (one per node) or {@code liveUnavailable}. */
    private void live(ObjectNode report, List<String> jmx, JmxLogin login, Path flag) {
        try (Valves valves = Valves.find(jmx, login, flag, env)) {
            ArrayNode nodes = MAPPER.createArrayNode();
            long inFlight = 0;
            long before = 0;
            long blocked = 0;
            long admitted = 0;
            boolean active = false;
            Instant since = null;
            List<String> targets = new ArrayList<>();
            for (ValveConnection connection : valves.watching()) {
                ObjectNode node = nodes.addObject();
                node.put("target", connection.target());
                try {
                    String mode = null;
                    Instant nodeSince = null;
                    boolean nodeActive = false;
                    Boolean mailPaused = null;
                    List<String> mail = new ArrayList<>();
                    for (ObjectName valve : connection.valves()) {
                        String valveMode = String.valueOf(connection.attribute(valve, "mode"));
                        mode = mode == null || mode.equals(valveMode) ? valveMode : mode + "/" + valveMode;
                        nodeActive |= Boolean.TRUE.equals(connection.attribute(valve, "active"));
                        nodeSince = earlier(nodeSince, instant(connection.attribute(valve, "since")));
                        Object paused = optionalAttribute(connection, valve, "incomingMailPaused");
                        if (paused instanceof Boolean) {
                            mailPaused = (mailPaused != null && mailPaused) || (Boolean) paused;
                            String text = String.valueOf(optionalAttribute(connection, valve, "incomingMail"));
                            if (!mail.contains(text)) {
                                mail.add(text);
                            }
                        }
                    }
                    node.put("mode", mode);
                    node.put("active", nodeActive);
                    putTime(node, "since", nodeSince);
                    // The JVM's atlassian.mail.fetchdisabled, as the valves there read it (null: valves too old to say).
                    if (mailPaused == null) {
                        node.putNull("incomingMailPaused");
                        node.putNull("incomingMail");
                    } else {
                        node.put("incomingMailPaused", mailPaused);
                        node.put("incomingMail", String.join("; ", mail));
                    }
                    node.put("inFlight", connection.sum("inFlight"));
                    node.put("inFlightBeforeMaintenance", connection.sum("inFlightBeforeMaintenance"));
                    node.put("blocked", connection.sum("blockedCount"));
                    node.put("admitted", connection.sum("admittedCount"));
                    inFlight += node.get("inFlight").asLong();
                    before += node.get("inFlightBeforeMaintenance").asLong();
                    blocked += node.get("blocked").asLong();
                    admitted += node.get("admitted").asLong();
                    active |= nodeActive;
                    since = earlier(since, nodeSince);
                    targets.add(connection.target());
                } catch (Refused e) {
                    node.removeAll();
                    node.put("target", connection.target());
                    node.put("unavailable", e.getMessage());
                }
            }
            for (String problem : valves.unreachable()) {
                nodes.addObject().put("unavailable", problem);
            }
            if (targets.isEmpty()) {
                report.putNull("live");
                report.put("liveUnavailable", valves.unreachable().isEmpty() ? valves.nobodyWatches()
                        : String.join("; ", valves.unreachable()));
            } else {
                ObjectNode live = report.putObject("live");
                live.put("target", String.join(", ", targets));
                live.put("active", active);
                live.put("inFlight", inFlight);
                live.put("inFlightBeforeMaintenance", before);
                live.put("blocked", blocked);
                live.put("admitted", admitted);
                if (since != null) {
                    // The valve knows when the window began; the file's time is only its last change.
                    putTime(report, "since", since);
                    report.put("sinceFrom", "valve");
                }
            }
            report.set("nodes", nodes);
        }
    }

    /** An attribute a valve of an older version does not have: {@code null} then. */
    private static Object optionalAttribute(ValveConnection connection, ObjectName valve, String name) {
        try {
            return connection.attribute(valve, name);
        } catch (Refused e) {
            return null;
        }
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
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

    private static void printText(ObjectNode report, FlagSettings settings, MaintenanceState state, boolean ended,
            String cannotRead, List<String> ignored, Path flag, Instant now, PrintStream out) {
        boolean live = report.has("live") && !report.get("live").isNull();
        if (cannotRead != null) {
            String owner = LocalTomcats.ownerOf(flag);
            out.println("Maintenance: unknown to this user: cannot read the flag file (" + cannotRead + ")."
                    + " The valve reads it as the user Tomcat runs as, which may well be able to: run status as that user"
                    + (owner == null ? "" : " (e.g. sudo -u " + owner + " java -jar ...)")
                    + (live ? "; what the valves say is below." : ", or give --jmx HOST:PORT to ask the valve."));
        } else if (settings == null) {
            out.println("Maintenance: off (no flag file)");
        } else if (ended) {
            out.println("Maintenance: off (the window ended by itself at " + settings.until() + ", "
                    + Times.relative(now, settings.until()) + "; the flag file is still there: 'off' removes it,"
                    + " 'on' starts a new window)");
        } else if (state.phase() == MaintenanceState.Phase.SCHEDULED) {
            out.println("Maintenance: scheduled (" + settings.mode().text() + ") from " + settings.from()
                    + " (" + Times.relative(now, settings.from()) + ")");
        } else {
            String sinceFrom = report.path("sinceFrom").asText();
            out.println("Maintenance: " + state.modeText() + " (on since " + report.get("since").asText()
                    + ("valve".equals(sinceFrom) ? ""
                    : "flag file's start".equals(sinceFrom) ? ", its scheduled start"
                    : " by the flag file's last change: no valve was reached to tell when it began") + ")");
        }
        if (cannotRead == null) {
            out.println("  phase:        " + state.phaseText() + " (as the banner shows it)");
        }
        if (settings != null && !ended) {
            // Values from the file are quoted: a control character in it must not reach the terminal.
            out.println("  message:      " + AuditLine.quote(report.get("message").asText())
                    + (settings.message() == null ? "  (default)" : ""));
            if (settings.until() != null) {
                out.println("  expected end: " + settings.until() + " ("
                        + (state.isOverdue() ? "passed " + Times.relative(now, settings.until()) + ", still on"
                        : Times.relative(now, settings.until())) + ")"
                        + (settings.autoEnd() ? ", ends by itself then" : ""));
            } else {
                out.println("  expected end: none announced");
            }
            if (settings.by() != null) {
                out.println("  set by:       " + AuditLine.quote(settings.by()));
            }
            if (!settings.allow().isEmpty()) {
                out.println("  also allowed: " + quoted(settings.allow()));
            }
            if (settings.bypassSecret() != null && report.path("bypassLink").asBoolean()) {
                out.println("  bypass link:  set (the secret is in the flag file)");
            }
            for (String text : ignored) {
                out.println("  IGNORED:      " + text);
            }
            if (settings.problem() != null) {
                out.println("  PROBLEM:      the flag file cannot be used (" + settings.problem()
                        + "): the valve holds everyone out (full mode, default message) until it is fixed");
            }
        }
        out.println("  flag file:    " + report.get("flagFile").asText());
        out.println("  version:      " + Version.current() + " (this command's jar)");
        if (report.has("nodes")) {
            List<String> lines = new ArrayList<>();
            for (JsonNode node : report.get("nodes")) {
                if (node.has("unavailable")) {
                    lines.add((node.has("target") ? node.get("target").asText() + ": " : "")
                            + "not available (" + node.get("unavailable").asText() + ")");
                } else {
                    lines.add(node.get("target").asText() + ": " + node.get("mode").asText()
                            + (node.get("since").isNull() ? "" : " since " + node.get("since").asText()) + "; "
                            + node.get("inFlight").asLong() + " in flight ("
                            + node.get("inFlightBeforeMaintenance").asLong() + " from before maintenance), "
                            + node.get("blocked").asLong() + " blocked, " + node.get("admitted").asLong() + " admitted"
                            + (node.get("incomingMail").isNull() ? ""
                            : "; incoming mail " + node.get("incomingMail").asText()));
                }
            }
            if (!live) {
                out.println("Live figures: not available (" + report.get("liveUnavailable").asText() + ")");
            } else if (lines.size() == 1) {
                out.println("Live (" + lines.get(0).replaceFirst(": ", "): "));
            } else {
                out.println("Live, " + lines.size() + " nodes:");
                for (String line : lines) {
                    out.println("  " + line);
                }
            }
        }
    }
}
