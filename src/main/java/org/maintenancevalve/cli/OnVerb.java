package org.maintenancevalve.cli;

import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.access.AddressRule;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.access.FlagAccess;
import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.files.PrivateDirectory;
import org.maintenancevalve.files.UnsafeDirectoryException;
import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.state.FlagChange;
import org.maintenancevalve.state.FlagChangeRefused;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.FlagUpdate;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code on}: starts a maintenance window, or changes the one in force, by writing the flag file
 * (atomically), then waits until every valve it can reach has applied it.
 */
public final class OnVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar on [options] (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Turns maintenance on by writing the flag file atomically (readable by its owner and group\n"
            + "only), then waits until every valve watching it has applied it. Run again during a window,\n"
            + "it changes only what you give: the other settings stay (the mode too), and users never get\n"
            + "in between. A window that has ended by itself, or --new, starts from scratch.\n"
            + "Run it as the user Tomcat runs as. Run as root (a root shell in a container), it runs again as\n"
            + "the user who can already change what it acts on, and says so: the one who can change\n"
            + "DIR/conf/server.xml (or the catalina.properties a ${...} in flagFile reads), before it is read;\n"
            + "else the owner of the flag file's directory, or $RUN_USER where a group may write it (the\n"
            + "Atlassian images set it). Where only root can change them, root writes it itself, only into a\n"
            + "directory only root can change (the file gets the directory's group). Where root cannot tell\n"
            + "whom to act as (two users), it refuses: run it as that user (sudo -u jira ...).\n"
            + "It replaces only a flag file: a regular file (not a link) that is empty, or a JSON object of\n"
            + "flag fields (or with the window id the tools write); anything else is refused, --new too.\n"
            + "\n"
            + "  --message TEXT     the message users see (plain text); --message '' for the default\n"
            + "  --for DURATION     expected length from the start (or from now once started): 90m, 2h, 1h30m\n"
            + "  --until TIME       expected end: YYYY-MM-DDT03:00Z, YYYY-MM-DDT04:00+01:00, or 2h from now;\n"
            + "                     --until none removes the announced end (and the automatic end)\n"
            + "  --from TIME        start later: users are held out from then on (scheduled until then);\n"
            + "                     --from now starts a scheduled window at once\n"
            + "  --auto-end         end maintenance by itself at the expected end (default: stay on)\n"
            + "  --no-auto-end      stay on past the expected end (undoes --auto-end)\n"
            + "  --read-only        reads (GET, HEAD, OPTIONS) pass for everyone, changes are refused\n"
            + "  --full             everybody not let in gets the maintenance answer (a new window's default)\n"
            + "  --allow ADDR,...   addresses or CIDR blocks let in for this window (repeatable); replaces\n"
            + "                     the window's list; --allow none removes it\n"
            + "  --bypass           make a new secret bypass link and print it (without it, the window's\n"
            + "                     secret is kept, so admins already inside stay inside)\n"
            + "  --new              start a new window from scratch: nothing of the present one is kept\n"
            + "  --no-wait          do not wait for the valves to apply it (they do within their pollInterval)\n"
            + "  --jmx HOST:PORT    the valves to wait for, one per node (repeatable, or a comma list);\n"
            + "                     without it: the local Tomcats found with the JDK's attach API\n"
            + "  --jmx-user NAME    log in to the JMX ports as NAME (default: $" + JmxLogin.USER_VARIABLE + ")\n"
            + "  --jmx-password-file FILE  NAME's password: the first line of FILE, which must be yours\n"
            + "                     alone (mode 600) (default: $" + JmxLogin.PASSWORD_VARIABLE + ")\n"
            + "  --flag FILE        the flag file\n"
            + "  --catalina-base DIR  use the flagFile of the MaintenanceValve in DIR/conf/server.xml\n"
            + "                       or DIR/conf/context.xml\n"
            + "                     (without either: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "Times without an offset are this machine's local time. Exit codes: 0 written and applied by\n"
            + "every valve reached (or --no-wait); 1 refused (nothing written), or written but not confirmed\n"
            + "(no valve watching this file was reached, or one did not apply it in time: each valve's line\n"
            + "says); 2 bad usage or a value the valve would not accept (nothing written).\n";

    /** Kept fields, as an admin calls them. */
    private static final Map<String, String> FIELD_NAMES = new LinkedHashMap<>();

    static {
        FIELD_NAMES.put("mode", "mode");
        FIELD_NAMES.put("message", "message");
        FIELD_NAMES.put("from", "scheduled start");
        FIELD_NAMES.put("until", "expected end");
        FIELD_NAMES.put("autoEnd", "automatic end");
        FIELD_NAMES.put("allow", "allowed addresses");
        FIELD_NAMES.put("bypassSecret", "bypass secret");
    }

    private final Map<String, String> env;
    private final Clock clock;

    public OnVerb(Map<String, String> env, Clock clock) {
        super("on", "turn maintenance on, or change the window in force, and wait until it applies", USAGE,
                options(Args.spec()));
        this.env = env;
        this.clock = clock;
    }

    /** Declares the options of {@code on} on a verb: {@code on} itself, and {@code run}, which takes them too. */
    static Args.Spec options(Args.Spec spec) {
        return FlagLocation.options(JmxTargets.options(spec
                .values("--message", "--for", "--until", "--from")
                .repeatable("--allow")
                .switches("--read-only", "--full", "--bypass", "--auto-end", "--no-auto-end", "--new", "--no-wait")));
    }

    /** What {@code on} was asked for, parsed and checked; nothing is written yet. */
    static final class Asked {
        final Path flag;
        final List<String> jmx;
        final JmxLogin login;
        final boolean noWait;
        final boolean newSecret;
        final FlagChange change;
        /** The command asking ({@code on} or {@code run}), for the way out of a refusal. */
        final String verb;

        private Asked(Path flag, List<String> jmx, JmxLogin login, boolean noWait, boolean newSecret, FlagChange change,
                String verb) {
            this.verb = verb;
            this.flag = flag;
            this.jmx = jmx;
            this.login = login;
            this.noWait = noWait;
            this.newSecret = newSecret;
            this.change = change;
        }
    }

    /** What {@code on} wrote, and how to say it once it is in force ("Maintenance is on (full)"). */
    static final class Written {
        final FlagUpdate.Outcome outcome;
        final String state;

        private Written(FlagUpdate.Outcome outcome, String state) {
            this.outcome = outcome;
            this.state = state;
        }
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        Asked asked = ask(args, name());
        Written written = write(asked, out);
        if (asked.noWait) {
            out.println(written.state + " once each valve watching the flag file has read it, within its pollInterval"
                    + " (default 1 s); not confirmed (--no-wait).");
            return ExitCode.OK;
        }
        return Confirmation.run(asked.jmx, asked.login, asked.flag, written.outcome.written().fingerprint(), written.state, true,
                out, err, env);
    }

    /**
     * Parses and checks on's options (as the valve would read them) and, as root, the flag's
     * directory; writes nothing.
     *
     * @param verb the command asking ({@code on}, or {@code run}, which takes on's options)
     */
    Asked ask(Args args, String verb) throws UsageException, Refused {
        Path flag = FlagLocation.resolve(args, env, verb);
        List<String> jmx = JmxTargets.from(args);
        JmxLogin login = JmxTargets.login(args, env);
        if (args.has("--no-wait") && !jmx.isEmpty()) {
            throw new UsageException("give --jmx or --no-wait, not both");
        }
        FlagChange change = change(args);
        PrivateFlagDirectory.requireWhenRoot(flag, verb, false);
        return new Asked(flag, jmx, login, args.has("--no-wait"), args.has("--bypass"), change, verb);
    }

    /** Writes the flag file as asked (atomically; nothing when anything is wrong) and prints what it says now. */
    Written write(Asked asked, PrintStream out) throws UsageException, Refused {
        Path flag = asked.flag;
        Instant now = clock.instant();
        FlagUpdate.Outcome outcome;
        Path directory = flag.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new Refused("the directory of " + flag + " does not exist");
        }
        try {
            PrivateDirectory.requireWhenRoot(flag);
            outcome = FlagUpdate.apply(flag, asked.change, Clock.fixed(now, clock.getZone()), FlagAccess::requireAccepted);
        } catch (UnsafeDirectoryException e) {
            throw new Refused(e.problem() + " " + e.advice("java -jar maintenance-valve.jar " + asked.verb + " ..."), e);
        } catch (FlagChangeRefused e) {
            if (e.isBadValue()) {
                throw new UsageException(e.getMessage());
            }
            throw new Refused(e.getMessage());
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
        return new Written(outcome, report(outcome, flag, asked.newSecret, now, out));
    }

    private FlagChange change(Args args) throws UsageException {
        FlagChange.Builder change = FlagChange.builder().by(whoAmI());
        if (args.has("--new")) {
            change.fresh();
        }
        if (args.has("--read-only") && args.has("--full")) {
            throw new UsageException("give --read-only or --full, not both");
        }
        if (args.has("--read-only")) {
            change.mode(Mode.READ_ONLY);
        } else if (args.has("--full")) {
            change.mode(Mode.FULL);
        }
        if (args.given("--message")) {
            change.message(args.value("--message"));
        }
        if (args.given("--from")) {
            String from = args.value("--from").trim();
            if (from.equalsIgnoreCase("now")) {
                change.startNow();
            } else {
                change.from(Times.instant("--from", from, clock));
            }
        }
        if (args.given("--for") && args.given("--until")) {
            throw new UsageException("give --for or --until, not both");
        }
        if (args.given("--for")) {
            change.endAfter(Times.duration("--for", args.value("--for")));
        } else if (args.given("--until")) {
            String until = args.value("--until").trim();
            if (until.equalsIgnoreCase("none")) {
                change.noEnd();
            } else {
                change.until(Times.instant("--until", until, clock));
            }
        }
        if (args.has("--auto-end") && args.has("--no-auto-end")) {
            throw new UsageException("give --auto-end or --no-auto-end, not both");
        }
        if (args.has("--auto-end")) {
            change.autoEnd(true);
        } else if (args.has("--no-auto-end")) {
            change.autoEnd(false);
        }
        if (!args.all("--allow").isEmpty()) {
            change.allow(allow(args.all("--allow")));
        }
        if (args.has("--bypass")) {
            change.bypassSecret(newSecret());
        }
        return change.build();
    }

    /** The addresses given, checked with the valve's own parser; {@code none} alone for an empty list. */
    private static List<String> allow(List<String> values) throws UsageException {
        List<String> allow = new ArrayList<>();
        for (String list : values) {
            allow.addAll(AccessConfig.split(list));
        }
        if (allow.size() == 1 && allow.get(0).equalsIgnoreCase("none")) {
            return new ArrayList<>();
        }
        try {
            AddressRule.of(allow);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--allow: " + e.getMessage());
        }
        return allow;
    }

    /** Prints what the flag file says now; returns how to say it once in force ("Maintenance is on (full)"). */
    private String report(FlagUpdate.Outcome outcome, Path flag, boolean newSecret, Instant now, PrintStream out) {
        FlagSettings written = outcome.written();
        String mode = written.mode().text();
        String what;
        if (outcome.newWindow()) {
            what = outcome.previousEnded() ? "a new window (the one in the flag file had ended by itself)" : "a new window";
        } else {
            List<String> kept = new ArrayList<>();
            for (String field : outcome.kept()) {
                kept.add(FIELD_NAMES.getOrDefault(field, field));
            }
            what = "the window in force was changed" + (kept.isEmpty() ? "" : " (kept: " + String.join(", ", kept) + ")");
        }
        String state;
        if (written.from() != null && written.from().isAfter(now)) {
            state = "Maintenance (" + mode + ") is scheduled from " + written.from() + " ("
                    + Times.relative(now, written.from()) + ")";
        } else {
            state = "Maintenance is on (" + mode + ")";
        }
        out.println("Flag file written: " + what + ".");
        out.println("  flag file:    " + flag);
        out.println("  message:      " + (written.message() == null ? "(the default text)" : written.message()));
        if (written.until() != null) {
            out.println("  expected end: " + written.until() + " (" + Times.relative(now, written.until()) + ")"
                    + (written.autoEnd() ? ", ends by itself then" : ""));
        } else {
            out.println("  expected end: none announced");
        }
        if (!written.allow().isEmpty()) {
            out.println("  also allowed: " + String.join(", ", written.allow()));
        }
        if (written.bypassSecret() != null) {
            out.println("  bypass link:  /?maintenance-bypass=" + written.bypassSecret()
                    + (newSecret ? "" : "   (the secret already in the flag file)"));
            out.println("                open it once in your browser: you get a cookie valid "
                    + BypassSecret.VALIDITY_SECONDS / 3600 + " h");
        }
        String note = outcome.autoEndNote();
        if (note != null) {
            out.println("NOTE: " + note + " Give --no-auto-end to stay on past it.");
        }
        return state;
    }

    /** 24 random bytes, URL-safe: 32 characters, well above {@link BypassSecret#MIN_LENGTH}. */
    static String newSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code user@host}, without asking DNS. */
    private String whoAmI() {
        String user = System.getProperty("user.name", "unknown");
        String host = env.get("HOSTNAME");
        if (host == null || host.trim().isEmpty()) {
            try {
                host = new String(Files.readAllBytes(Paths.get("/etc/hostname")), StandardCharsets.UTF_8).trim();
            } catch (IOException | RuntimeException e) {
                host = "";
            }
        }
        return host.isEmpty() ? user : user + "@" + host.trim();
    }
}
