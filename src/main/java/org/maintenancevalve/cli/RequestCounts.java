package org.maintenancevalve.cli;

import org.maintenancevalve.command.Refused;

import javax.management.ObjectName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The valves' {@code blockedCount} and {@code admittedCount} at one moment, valve by valve: two
 * readings tell what happened between them (e.g. during the window of {@code run}).
 */
final class RequestCounts {

    private final Map<String, long[]> byValve;

    private RequestCounts(Map<String, long[]> byValve) {
        this.byValve = Collections.unmodifiableMap(byValve);
    }

    /** Reads every valve watching the flag file. */
    static RequestCounts read(Valves valves) throws Refused {
        Map<String, long[]> byValve = new LinkedHashMap<>();
        for (ValveConnection connection : valves.watching()) {
            for (ObjectName valve : connection.valves()) {
                byValve.put(connection.label(valve), new long[] {
                        connection.number(valve, "blockedCount"), connection.number(valve, "admittedCount")});
            }
        }
        return new RequestCounts(byValve);
    }

    /** For tests: {@code label -> {blocked, admitted}}. */
    static RequestCounts of(Map<String, long[]> byValve) {
        return new RequestCounts(new LinkedHashMap<>(byValve));
    }

    /**
     * What happened between two readings, in one sentence part: {@code 17 blocked, 3 admitted}. A
     * valve whose counters went down started again (Tomcat restarted) and one missing from either
     * reading was not reached: their requests are not counted, and the text says so.
     */
    static String between(RequestCounts before, RequestCounts after) {
        long blocked = 0;
        long admitted = 0;
        int counted = 0;
        StringBuilder notCounted = new StringBuilder();
        for (Map.Entry<String, long[]> entry : before.byValve.entrySet()) {
            long[] then = entry.getValue();
            long[] now = after.byValve.get(entry.getKey());
            String why = now == null ? "not reached at the end"
                    : now[0] < then[0] || now[1] < then[1] ? "its counters started again (a restart)" : null;
            if (why != null) {
                notCounted.append(notCounted.length() == 0 ? "" : "; ").append(entry.getKey()).append(": ").append(why);
                continue;
            }
            blocked += now[0] - then[0];
            admitted += now[1] - then[1];
            counted++;
        }
        for (String label : after.byValve.keySet()) {
            if (!before.byValve.containsKey(label)) {
                notCounted.append(notCounted.length() == 0 ? "" : "; ").append(label).append(": not reached at the start");
            }
        }
        if (counted == 0) {
            return "requests blocked and admitted: not available"
                    + (notCounted.length() == 0 ? " (no valve)" : " (" + notCounted + ")");
        }
        return blocked + " request(s) blocked, " + admitted + " admitted (" + counted
                + (counted == 1 ? " valve" : " valves") + (notCounted.length() == 0 ? "" : "; not counted: " + notCounted) + ")";
    }
}
