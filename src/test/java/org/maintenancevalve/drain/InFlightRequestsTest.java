package org.maintenancevalve.drain;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InFlightRequestsTest {

    private final InFlightRequests inFlight = new InFlightRequests();

    @Test
    void onlyRequestsFromBeforeMaintenanceAreDrained() {
        InFlightRequests.Generation early = inFlight.enter();
        InFlightRequests.Generation early2 = inFlight.enter();
        inFlight.maintenanceBegan();
        InFlightRequests.Generation late = inFlight.enter();
        assertEquals(3, inFlight.total());
        assertEquals(2, inFlight.retiredInFlight());
        inFlight.exit(early);
        assertEquals(1, inFlight.retiredInFlight());
        inFlight.exit(early2);
        assertEquals(0, inFlight.retiredInFlight(), "drained though a later request still runs");
        assertEquals(1, inFlight.total());
        inFlight.exit(late);
        assertEquals(0, inFlight.total());
    }

    @Test
    void severalWindowsKeepOlderStragglers() {
        InFlightRequests.Generation straggler = inFlight.enter();
        inFlight.maintenanceBegan();
        inFlight.maintenanceBegan(); // off and on again while the straggler still runs
        assertEquals(1, inFlight.retiredInFlight());
        inFlight.exit(straggler);
        assertEquals(0, inFlight.retiredInFlight());
    }

    @Test
    void awaitReturnsWhenTheLastOldRequestEndsOrWithTheCountAtTimeout() throws Exception {
        InFlightRequests.Generation slow = inFlight.enter();
        inFlight.maintenanceBegan();
        assertEquals(1, inFlight.awaitRetired(50), "times out with the count");

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Thread[] waiter = new Thread[1];
            Future<Long> result = pool.submit(() -> {
                waiter[0] = Thread.currentThread();
                waiting.countDown();
                return inFlight.awaitRetired(10_000);
            });
            waiting.await();
            // The waiter is seen asleep inside awaitRetired while the old request still runs.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (waiter[0].getState() != Thread.State.TIMED_WAITING && !result.isDone()
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertFalse(result.isDone(), "awaitRetired returned while a request from before still ran");
            inFlight.exit(slow);
            assertEquals(0L, result.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }
}
