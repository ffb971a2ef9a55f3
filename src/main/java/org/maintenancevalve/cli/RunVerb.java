package org.maintenancevalve.cli;

import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.command.Verb;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code run [on options] [--drain 5m] -- COMMAND [ARG]...}: one maintenance window around one
 * command, ended whatever happens ({@link WindowRun}).
 */
public final class RunVerb implements Verb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar run [options] [on's options] -- COMMAND [ARG]...\n"
            + "\n"
            + "Runs COMMAND inside a maintenance window: turns maintenance on as 'on' does and waits until\n"
            + "every valve reached holds users out, waits until the requests from before it have finished,\n"
            + "runs COMMAND with this terminal, then turns maintenance off and waits until users are let in\n"
            + "again: also when COMMAND fails, and when run is told to stop (Ctrl-C, SIGTERM, SIGHUP: COMMAND\n"
            + "and what it started get SIGTERM, SIGKILL 10 s later, then the window ends). Only SIGKILL of run\n"
            + "itself leaves it on: give --for and --auto-end as a fail-safe. run's own lines go to stderr,\n"
            + "so COMMAND's output stays clean (run ... -- pg_dump jira > jira.sql works). Run as root, it\n"
            + "runs again as the user who can already change the flag file's location, as 'on --help' says,\n"
            + "and COMMAND runs as that user too, with a small environment and no controlling terminal;\n"
            + "where root cannot tell whom to act as, nothing is done and COMMAND is not started.\n"
            + "\n"
            + "  --drain DURATION   wait at most this long for the requests from before maintenance, async\n"
            + "                     ones until they complete (default 5m); if some still run then, COMMAND\n"
            + "                     is not started and maintenance goes off again\n"
            + "  --start-anyway     start COMMAND even when requests from before still run after --drain\n"
            + "  --keep-on-failure  leave maintenance on when COMMAND fails (exits non-zero, is killed, or run\n"
            + "                     is told to stop while it runs), and say so; end it with 'off'\n"
            + "  --in-window        run COMMAND inside the window already on (or scheduled: run waits for its\n"
            + "                     start); it stays on afterwards. Without it, run refuses a window already\n"
            + "                     there (run ends only a window it starts); --new replaces it with run's own\n"
            + "  --no-wait          ask no valve: COMMAND starts as soon as the flag file is written, not\n"
            + "                     confirmed and without waiting for earlier requests; no counts\n"
            + "  on's options       --message, --for, --until, --from (run waits for the start), --auto-end,\n"
            + "                     --read-only, --full, --allow, --bypass, --new, --jmx HOST:PORT, --jmx-user,\n"
            + "                     --jmx-password-file, --flag FILE, --catalina-base DIR: as 'on --help' says\n"
            + "\n"
            + "Exit code: COMMAND's (128+N when signal N killed it). 125: COMMAND was not started (maintenance\n"
            + "not confirmed, requests still running after --drain, a window already there: the reason is\n"
            + "printed, maintenance is off again), or it succeeded but maintenance could not be confirmed off.\n"
            + "126: COMMAND cannot be executed; 127: not found. 130, 143, 129: run itself was stopped by\n"
            + "SIGINT, SIGTERM or SIGHUP (after ending the window). 2: bad usage (nothing done).\n";

    private final OnVerb on;
    private final Map<String, String> env;
    private final Clock clock;
    private final Args.Spec options = options();

    public RunVerb(Map<String, String> env, Clock clock) {
        this.on = new OnVerb(env, clock);
        this.env = env;
        this.clock = clock;
    }

    /** The options of {@code run}, before the {@code --} that starts the command. */
    static Args.Spec options() {
        return OnVerb.options(Args.spec()
                .values("--drain")
                .switches("--keep-on-failure", "--in-window", "--start-anyway"));
    }

    /** The arguments before the {@code --} that starts the command (all of them when there is none). */
    static List<String> beforeCommand(List<String> args) {
        int dashes = args.indexOf("--");
        return dashes < 0 ? args : args.subList(0, dashes);
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run a command inside a maintenance window that ends whatever happens";
    }

    /**
     * Like {@link AbstractVerb#run}, except that everything after {@code --} is the command, and that
     * run's own refusal is 125, so that the command's exit codes keep their meaning.
     */
    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            WindowRun window = parse(args, out, err);
            return window == null ? ExitCode.OK : window.run();
        } catch (UsageException e) {
            err.println(WindowRun.PREFIX + e.getMessage() + ". Try '" + Verb.PROGRAM + " run --help'.");
            return ExitCode.USAGE;
        } catch (Refused e) {
            err.println(WindowRun.PREFIX + "the command was not started: " + e.getMessage());
            return WindowRun.NOT_RUN;
        } catch (RuntimeException e) {
            err.println(WindowRun.PREFIX + "failed unexpectedly: " + e + " (details below; please report this)");
            e.printStackTrace(err);
            return WindowRun.NOT_RUN;
        }
    }

    /**
     * @param err where run's own lines will go
     * @return the window to run, or {@code null} after printing the usage ({@code --help})
     */
    WindowRun parse(List<String> args, PrintStream out, PrintStream err) throws UsageException, Refused {
        int dashes = args.indexOf("--");
        List<String> before = beforeCommand(args);
        List<String> command = dashes < 0 ? Collections.<String>emptyList() : args.subList(dashes + 1, args.size());
        Args parsed = options.parse(before);
        if (parsed.has("--help")) {
            out.print(USAGE);
            return null;
        }
        if (dashes < 0) {
            throw new UsageException("give the command after --, e.g. run --for 1h -- pg_dump -Fc -f jira.dump jira");
        }
        parsed.noPositional();
        if (command.isEmpty()) {
            throw new UsageException("no command after --");
        }
        boolean noWait = parsed.has("--no-wait");
        for (String needsValves : new String[] {"--drain", "--start-anyway"}) {
            if (noWait && (parsed.given(needsValves) || parsed.has(needsValves))) {
                throw new UsageException("give " + needsValves + " or --no-wait, not both (--no-wait asks no valve,"
                        + " so nothing is drained)");
            }
        }
        if (parsed.has("--in-window") && parsed.has("--new")) {
            throw new UsageException("give --in-window or --new, not both");
        }
        Duration drain = parsed.given("--drain") ? Times.duration("--drain", parsed.value("--drain"))
                : Duration.ofMinutes(5);
        WindowRun.Options options = new WindowRun.Options(drain, parsed.has("--keep-on-failure"),
                parsed.has("--in-window"), parsed.has("--start-anyway"), parsed.has("--new"));
        return new WindowRun(on, on.ask(parsed, name()), options, command, err, env, clock);
    }
}
