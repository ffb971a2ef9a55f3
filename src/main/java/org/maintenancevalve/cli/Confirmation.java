package org.maintenancevalve.cli;

import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.Verb;
import org.maintenancevalve.jmxclient.JmxLogin;

import javax.management.ObjectName;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits until each valve has applied what was just written: it asks the valve to re-read the flag
 * file ({@code refresh}, which also skips the wait for the next poll) until the fingerprint the
 * valve reports as applied is the one written, for at most the valve's {@code pollInterval} plus
 * a margin. One line per valve says what is known.
 */
final class Confirmation {

    /** Time beyond a valve's pollInterval for a busy machine or a slow shared file system. */
    static final long MARGIN_MILLIS = 2000;

    /** One valve, as the confirmation sees it. */
    interface Valve {
        /** Where it is, for the line about it. */
        String label();

        long pollInterval() throws Refused;

        /** Re-reads the flag file now and returns the fingerprint of what it applies ({@code none}: no flag). */
        String refresh() throws Refused;

        /** {@code off}, {@code scheduled}, {@code full} or {@code read-only}. */
        String mode() throws Refused;
    }

    private Confirmation() {
    }

    /**
     * Finds the valves watching the flag file and waits until each has applied {@code expected}.
     *
     * @param done           the sentence for when all did, e.g. {@code Maintenance is on (full)}
     * @param requireWatcher whether finding no valve watching the file is a failure (after {@code on}:
     *                       nobody is held out) rather than a note (after {@code off})
     * @return the exit code
     */
    static int run(List<String> jmx, JmxLogin login, Path flag, String expected, String done, boolean requireWatcher,
            PrintStream out, PrintStream err, Map<String, String> env) {
        try (Valves valves = Valves.find(jmx, login, flag, env)) {
            return run(valves, flag, expected, done, requireWatcher, out, err);
        }
    }

    /** As {@link #run(List, JmxLogin, Path, String, String, boolean, PrintStream, PrintStream, Map)}, with the valves already found. */
    static int run(Valves valves, Path flag, String expected, String done, boolean requireWatcher,
            PrintStream out, PrintStream err) {
        for (String other : valves.watchingOtherFiles()) {
            err.println("warning: " + other + ", not " + flag + ": is this the flag file you meant?");
        }
        List<ValveConnection> watching = valves.watching();
        if (watching.isEmpty() && valves.unreachable().isEmpty()) {
            if (!requireWatcher) {
                out.println(done + "; nothing to wait for: " + valves.nobodyWatches() + ".");
                return ExitCode.OK;
            }
            err.println(Verb.PROGRAM + ": NOT CONFIRMED: " + valves.nobodyWatches()
                    + ". The flag file is written, but nobody is held out by it until a valve watches it.");
            return ExitCode.REFUSED;
        }
        List<Valve> probes = new ArrayList<>();
        for (ValveConnection connection : watching) {
            for (ObjectName valve : connection.valves()) {
                probes.add(connection.probe(valve));
            }
        }
        boolean confirmed = await(probes, expected, MARGIN_MILLIS, out);
        for (String problem : valves.unreachable()) {
            out.println("  NOT CONFIRMED: " + problem);
        }
        if (!confirmed || !valves.unreachable().isEmpty()) {
            err.println(Verb.PROGRAM + ": NOT CONFIRMED on every node (see the lines above); the flag file is "
                    + ("none".equals(expected) ? "removed." : "written."));
            return ExitCode.REFUSED;
        }
        out.println(done + ": applied by every valve reached (" + probes.size() + ").");
        return ExitCode.OK;
    }

    /**
     * @param expected the fingerprint written ({@code none} after removing the flag)
     * @return whether every valve confirmed
     */
    static boolean await(List<Valve> valves, String expected, long marginMillis, PrintStream out) {
        long start = System.nanoTime();
        boolean all = true;
        for (Valve valve : valves) {
            String applied = null;
            String problem = null;
            try {
                long deadline = start + TimeUnit.MILLISECONDS.toNanos(valve.pollInterval() + marginMillis);
                while (true) {
                    applied = valve.refresh();
                    if (expected.equals(applied) || System.nanoTime() - deadline >= 0) {
                        break;
                    }
                    Thread.sleep(100);
                }
            } catch (Refused e) {
                problem = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem = "interrupted";
            }
            if (problem == null && expected.equals(applied)) {
                out.println("  applied:       " + valve.label() + ": " + modeOf(valve));
                continue;
            }
            all = false;
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            out.println("  NOT CONFIRMED: " + valve.label() + ": " + (problem != null ? problem
                    : "after " + waited + " ms it still applies another flag content (mode " + modeOf(valve)
                    + "; applied " + applied + ", written " + expected + "): another writer at the same"
                    + " time, a file system that shows this node an older file, or a flag it cannot read"));
        }
        return all;
    }

    private static String modeOf(Valve valve) {
        try {
            return valve.mode();
        } catch (Refused e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
