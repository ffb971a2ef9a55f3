package org.maintenancevalve.access;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the rules decided during maintenance, counted: the requests each way let through and the
 * requests blocked (JMX shows them as {@code admittedBy...} and {@code blockedCount}). A count is
 * one {@link LongAdder} increment: no lock, no allocation on the request path.
 */
public final class AdmissionCounts {

    private final LongAdder blocked = new LongAdder();
    private final LongAdder[] admitted = new LongAdder[AdmittedBy.values().length];

    public AdmissionCounts() {
        for (int i = 0; i < admitted.length; i++) {
            admitted[i] = new LongAdder();
        }
    }

    /** Counts a request let through by {@code way}. */
    public void countAdmitted(AdmittedBy way) {
        admitted[way.ordinal()].increment();
    }

    /** Counts a request that got the maintenance answer. */
    public void countBlocked() {
        blocked.increment();
    }

    /** Requests let through by {@code way} so far. */
    public long admittedBy(AdmittedBy way) {
        return admitted[way.ordinal()].sum();
    }

    /** Requests let through so far, all ways together. */
    public long admitted() {
        long sum = 0;
        for (LongAdder count : admitted) {
            sum += count.sum();
        }
        return sum;
    }

    /** Requests that got the maintenance answer so far. */
    public long blocked() {
        return blocked.sum();
    }
}
