package org.maintenancevalve.drain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests in flight, by generation, so an admin can wait until every request that
 * entered before maintenance began has finished (the backup must not start while one still
 * writes). Like Undertow's GracefulShutdownHandler, a request costs one counter increment on the
 * way in and one decrement on the way out: no lock, no allocation.
 * <p>
 * A generation is the span between two starts of maintenance. Requests are counted in the
 * generation current when they enter; when maintenance begins, that generation is retired and
 * its requests are the ones {@link #awaitRetired(long)} waits for.
 */
public final class InFlightRequests {

    /** The requests that entered during one generation. */
    public static final class Generation {
        private final LongAdder count = new LongAdder();

        long count() {
            return count.sum();
        }
    }

    private volatile Generation current = new Generation();
    /** Retired generations that may still have requests running. Guarded by "this". */
    private final List<Generation> retired = new ArrayList<>();

    /** Called as a request enters; pass the result to {@link #exit(Generation)}. */
    public Generation enter() {
        Generation generation = current;
        generation.count.increment();
        return generation;
    }

    /** Called as a request leaves. */
    public void exit(Generation generation) {
        generation.count.decrement();
    }

    /**
     * Maintenance began: the requests in flight now are the ones to drain. A request entering
     * at this very moment may land in the retired generation; it is then waited for, which errs
     * on the safe side.
     */
    public synchronized void maintenanceBegan() {
        Generation old = current;
        current = new Generation();
        retired.add(old);
        prune();
    }

    /** Every request in flight, whatever generation. */
    public synchronized long total() {
        long sum = current.count();
        for (Generation generation : retired) {
            sum += generation.count();
        }
        return sum;
    }

    /** Requests still running that entered before maintenance began. */
    public synchronized long retiredInFlight() {
        prune();
        long sum = 0;
        for (Generation generation : retired) {
            sum += generation.count();
        }
        return sum;
    }

    /**
     * Waits until every request that entered before maintenance began has finished, or the
     * timeout passes, polling every few milliseconds.
     *
     * @return the number still running (0 = drained)
     */
    public long awaitRetired(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        long remaining = retiredInFlight();
        while (remaining > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            remaining = retiredInFlight();
        }
        return remaining;
    }

    private void prune() {
        retired.removeIf(generation -> generation.count() == 0);
    }
}
