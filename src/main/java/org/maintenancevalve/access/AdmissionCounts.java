package org.maintenancevalve.access;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the rules decided during maintenance, counted: the requests each way let through, the
 * requests blocked, and the {@code status.json} requests that asked them whether a browser is
 * inside (JMX shows them as {@code admittedBy...}, {@code blockedCount} and {@code statusCount}).
 * A count is one {@link LongAdder} increment: no lock, no allocation on the request path.
 */
public final class AdmissionCounts {

    private final LongAdder blocked = new LongAdder();
    private final LongAdder statusAnswers = new LongAdder();
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

    /**
     * Counts a {@code status.json} answer given while maintenance is in force: the rules were asked
     * whether this browser is inside. Neither blocked nor admitted (nothing was passed on), but
     * counted, so that someone asking it over and over to guess a way in shows.
     */
    public void countStatusAnswer() {
        statusAnswers.increment();
    }

    /** {@code status.json} answers given while maintenance was in force, so far. */
    public long statusAnswers() {
        return statusAnswers.sum();
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
