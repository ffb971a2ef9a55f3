package org.maintenancevalve.cli;

import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.jmxclient.JmxLogin;

import javax.management.ObjectName;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code wait-idle}: waits until maintenance is in force on every valve reached, then until no
 * request that entered before it began is still running there, so the backup starts on a quiet
 * application.
 */
public final class WaitIdleVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar wait-idle [--timeout 5m] [--jmx HOST:PORT]...\n"
            + "                                           (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Waits until maintenance is in force on every valve watching the flag file (a scheduled\n"
            + "window: until it starts), then until every request that entered before it began has\n"
            + "finished there: an asynchronous one (a long poll, startAsync) until it completes or times\n"
            + "out. Not waited for: requests admins make during maintenance, WebSockets. Asks\n"
            + "the valves over JMX: each --jmx HOST:PORT (one per node of a cluster), or the local\n"
            + "Tomcats found with the JDK's attach API (run it as the user Tomcat runs as; as root, it runs\n"
            + "again as that user, as 'on --help' says).\n"
            + "\n"
            + "  --timeout DURATION   give up after this long, all nodes together (default 5m)\n"
            + "  --jmx HOST:PORT      Tomcat's JMX remote port (repeatable, or a comma list: every node)\n"
            + JmxLogin.USAGE
            + "  --flag FILE | --catalina-base DIR   which valves (default: $MAINTENANCE_FLAG; as root,\n"
            + "                       --catalina-base as 'on --help' says)\n"
            + "\n"
            + "Exit codes: 0 idle everywhere; 1 no flag file, a node not reachable, maintenance not in\n"
            + "force by the timeout, or requests still running at the timeout (counted per node); 2 bad usage.\n";

    private final Map<String, String> env;

    public WaitIdleVerb(Map<String, String> env) {
        super("wait-idle", "wait until maintenance is in force and requests from before it have finished", USAGE,
                options());
        this.env = env;
    }

    /** The options of {@code wait-idle}. */
    static Args.Spec options() {
        return FlagLocation.options(JmxTargets.options(Args.spec().values("--timeout")));
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        Duration timeout = args.given("--timeout") ? Times.duration("--timeout", args.value("--timeout"))
                : Duration.ofMinutes(5);
        Path flag = FlagLocation.resolve(args, env, name());
        List<String> jmx = JmxTargets.from(args);
        JmxLogin login = JmxTargets.login(args, env);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Valves valves = Valves.find(jmx, login, flag, env)) {
            if (!valves.unreachable().isEmpty()) {
                throw new Refused("cannot wait on every node: " + String.join("; ", valves.unreachable()));
            }
            if (valves.watching().isEmpty()) {
                throw new Refused(valves.nobodyWatches());
            }
            if (Files.notExists(flag)) {
                throw new Refused("maintenance is not on: there is no flag file " + flag + " (turn it on first)");
            }
            return drain(valves, deadline, timeout, out) == 0 ? ExitCode.OK : ExitCode.REFUSED;
        }
    }

    /** What {@link #drain} returns when maintenance was not in force by the deadline. */
    static final long NOT_IN_FORCE = -1;

    /**
     * Waits until maintenance is in force on every valve watching the flag, then until the requests
     * from before it have finished there, all by one deadline; prints the outcome.
     *
     * @param timeout the time the deadline allows, for messages
     * @return how many requests from before maintenance still run at the deadline (0: idle), or
     *         {@link #NOT_IN_FORCE}
     */
    static long drain(Valves valves, long deadline, Duration timeout, PrintStream out) throws Refused {
        for (ValveConnection connection : valves.watching()) {
            for (ObjectName valve : connection.valves()) {
                String notInForce = awaitInForce(connection, valve, deadline);
                if (notInForce != null) {
                    out.println("Maintenance is not in force at " + connection.label(valve) + " after "
                            + Times.format(timeout) + ": " + notInForce + ".");
                    return NOT_IN_FORCE;
                }
            }
        }
        List<String> lines = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        long remaining = 0;
        for (ValveConnection connection : valves.watching()) {
            long running = 0;
            for (ObjectName valve : connection.valves()) {
                running += awaitIdle(connection, valve, deadline);
            }
            remaining += running;
            targets.add(connection.target());
            lines.add("  " + connection.target() + ": " + (running == 0 ? "idle" : running + " still running"));
        }
        String where = targets.size() == 1 ? targets.get(0) : targets.size() + " nodes";
        if (remaining == 0) {
            out.println("Idle: no request from before maintenance is still running (" + where + ").");
        } else {
            out.println(remaining + " request(s) from before maintenance still running after "
                    + Times.format(timeout) + " (" + where + ").");
        }
        if (targets.size() > 1) {
            for (String line : lines) {
                out.println(line);
            }
        }
        return remaining;
    }

    /**
     * Asks the valve to re-read the flag (so the poll delay does not count) until it holds users
     * out, or the deadline passes.
     *
     * @return {@code null} once in force, else what the valve says instead
     */
    private static String awaitInForce(ValveConnection connection, ObjectName valve, long deadline) throws Refused {
        while (true) {
            try {
                connection.invoke(valve, "refresh", new Object[0], new String[0]);
            } catch (Refused e) {
                // An older valve without refresh: its own poll will do.
            }
            if (Boolean.TRUE.equals(connection.attribute(valve, "active"))) {
                return null;
            }
            if (System.nanoTime() - deadline >= 0) {
                String mode = String.valueOf(connection.attribute(valve, "mode"));
                return "it says " + mode + ("scheduled".equals(mode) ? " (the window has not started yet)"
                        : "off".equals(mode) ? " (it does not see the flag file, or its window has ended)" : "");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refused("interrupted");
            }
        }
    }

    private static long awaitIdle(ValveConnection connection, ObjectName valve, long deadline) throws Refused {
        long left = Math.max(0, deadline - System.nanoTime());
        int seconds = (int) Math.min(Integer.MAX_VALUE, (left + 999_999_999L) / 1_000_000_000L);
        Object remaining = connection.invoke(valve, "awaitIdle", new Object[] {seconds}, new String[] {"int"});
        return ((Number) remaining).longValue();
    }
}
