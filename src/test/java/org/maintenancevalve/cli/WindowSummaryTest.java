package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The last line of {@code run}: the window's length and what the valves counted during it. */
class WindowSummaryTest {

    private static RequestCounts counts(Object... labelBlockedAdmitted) {
        Map<String, long[]> byValve = new LinkedHashMap<>();
        for (int i = 0; i < labelBlockedAdmitted.length; i += 3) {
            byValve.put((String) labelBlockedAdmitted[i], new long[] {
                    ((Number) labelBlockedAdmitted[i + 1]).longValue(), ((Number) labelBlockedAdmitted[i + 2]).longValue()});
        }
        return RequestCounts.of(byValve);
    }

    @Test
    void theDifferenceSummedOverTheValves() {
        RequestCounts before = counts("a:9010 [host=localhost]", 100, 7, "b:9010 [host=localhost]", 5, 0);
        RequestCounts after = counts("a:9010 [host=localhost]", 117, 9, "b:9010 [host=localhost]", 10, 1);
        assertEquals("Maintenance window: 2m13s; 22 request(s) blocked, 3 admitted (2 valves).",
                WindowSummary.line(Duration.ofSeconds(133), false, before, after, null));
    }

    @Test
    void aValveThatRestartedOrWasNotReachedIsNotCountedAndNamed() {
        RequestCounts before = counts("a [x]", 100, 7, "b [x]", 50, 0, "c [x]", 1, 1);
        RequestCounts after = counts("a [x]", 101, 7, "b [x]", 3, 0, "d [x]", 0, 0);
        assertEquals("Maintenance window: 1h2m5s; 1 request(s) blocked, 0 admitted (1 valve; not counted:"
                        + " b [x]: its counters started again (a restart); c [x]: not reached at the end;"
                        + " d [x]: not reached at the start).",
                WindowSummary.line(Duration.ofSeconds(3725), false, before, after, null));
    }

    @Test
    void nothingToCount() {
        assertEquals("Maintenance window: 5s so far, and it stays on; requests blocked and admitted: not available"
                        + " (--no-wait: no valve was asked).",
                WindowSummary.line(Duration.ofSeconds(5), true, null, null, "--no-wait: no valve was asked"));
        assertEquals("Maintenance window: 5s; requests blocked and admitted: not available (cannot read blockedCount at x)."
                , WindowSummary.line(Duration.ofSeconds(5), false, counts("x", 1, 1), null, "cannot read blockedCount at x"));
        assertEquals("Maintenance window: 5s; requests blocked and admitted: not available (a: its counters started again"
                        + " (a restart)).",
                WindowSummary.line(Duration.ofSeconds(5), false, counts("a", 9, 9), counts("a", 1, 1), null));
    }
}
