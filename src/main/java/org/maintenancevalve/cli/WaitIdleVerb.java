package org.maintenancevalve.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code wait-idle}: waits until no request that entered before maintenance began is still
 * running, so the backup starts on a quiet application.
 */
public final class WaitIdleVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar wait-idle [--timeout 5m] [--jmx HOST:PORT]\n"
            + "                                           (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Waits until every request that entered before maintenance began has finished (requests\n"
            + "that admins make during maintenance are not waited for). Asks the valves watching the\n"
            + "flag file over JMX: --jmx HOST:PORT, or the local Tomcat found with the JDK's attach API\n"
            + "(run it as the user Tomcat runs as).\n"
            + "\n"
            + "  --timeout DURATION   give up after this long (default 5m)\n"
            + "  --jmx HOST:PORT      Tomcat's JMX remote port\n"
            + "  --flag FILE | --catalina-base DIR   which valves (default: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "Exit codes: 0 idle, 1 still busy at the timeout (the count is printed) or not reachable,\n"
            + "2 bad usage.\n";

    private final Map<String, String> env;

    public WaitIdleVerb(Map<String, String> env) {
        super("wait-idle", "wait until requests from before maintenance have finished", USAGE,
                FlagLocation.options(Args.spec().values("--timeout", "--jmx")));
        this.env = env;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        Duration timeout = args.given("--timeout") ? Times.duration("--timeout", args.value("--timeout"))
                : Duration.ofMinutes(5);
        Path flag = FlagLocation.resolve(args, env);
        try (ValveConnection valves = ValveConnection.open(args.value("--jmx"), flag)) {
            if (!valves.active()) {
                err.println("note: maintenance is not on at " + valves.target()
                        + "; waiting only for requests from before an earlier window");
            }
            long remaining = valves.awaitIdle(timeout.toMillis());
            if (remaining == 0) {
                out.println("Idle: no request from before maintenance is still running (" + valves.target() + ").");
                return ExitCode.OK;
            }
            out.println(remaining + " request(s) from before maintenance still running after " + timeout
                    .toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " (" + valves.target() + ").");
            return ExitCode.REFUSED;
        }
    }
}
