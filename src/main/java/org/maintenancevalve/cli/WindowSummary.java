package org.maintenancevalve.cli;

import java.time.Duration;

/** The last line of {@code run}: how long users were held out, and what the valves did meanwhile. */
final class WindowSummary {

    private WindowSummary() {
    }

    /**
     * @param length   from the flag file written to maintenance confirmed off (or to now)
     * @param stillOn  whether maintenance stays on after run
     * @param before   the counters before the window, or {@code null} when not read
     * @param after    the counters at its end, or {@code null} when not read
     * @param noCounts why there are no counters ({@code --no-wait}, a JMX error); used when one is {@code null}
     */
    static String line(Duration length, boolean stillOn, RequestCounts before, RequestCounts after, String noCounts) {
        String requests = before != null && after != null ? RequestCounts.between(before, after)
                : "requests blocked and admitted: not available (" + noCounts + ")";
        return "Maintenance window: " + Times.format(length) + (stillOn ? " so far, and it stays on" : "")
                + "; " + requests + ".";
    }
}
