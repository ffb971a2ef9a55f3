package org.maintenancevalve.mail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM-wide switch, on system properties of its own (so a valve another test left running
 * cannot disturb it): the first holder sets the property, the last one puts back what was there,
 * a value from before is never changed, and threads racing over it never leave it wrong.
 */
class FetchDisabledSwitchTest {

    private final String id = UUID.randomUUID().toString();
    private final String property = "test.mail.fetchdisabled." + id;
    private final String holdersKey = "test.mail.pausedBy." + id;
    private final String beforeKey = "test.mail.valueBefore." + id;
    private final FetchDisabledSwitch jvmSwitch = new FetchDisabledSwitch(property, holdersKey, beforeKey);

    @AfterEach
    void clear() {
        System.clearProperty(property);
        System.clearProperty(holdersKey);
        System.clearProperty(beforeKey);
    }

    private void assertNoBookkeeping() {
        assertNull(System.getProperty(holdersKey), "no holder left on record");
        assertNull(System.getProperty(beforeKey), "no value from before left on record");
    }

    @Test
    void theRealSwitchIsTheOneBothProductsCheck() {
        assertEquals("atlassian.mail.fetchdisabled", FetchDisabledSwitch.JVM.property());
        assertEquals("atlassian.mail.fetchdisabled", MailPause.PROPERTY);
    }

    @Test
    void theFirstHolderSetsItAndTheLastPutsBackThatItWasNotSet() {
        FetchDisabledSwitch.Outcome first = jvmSwitch.hold("a");
        assertEquals(FetchDisabledSwitch.Change.SET, first.change);
        assertNull(first.before);
        assertTrue(Boolean.getBoolean(property), "what the products' pollers read");
        assertEquals(FetchDisabledSwitch.Change.JOINED, jvmSwitch.hold("b").change);
        assertEquals(FetchDisabledSwitch.Change.ALREADY_HELD, jvmSwitch.hold("a").change);
        assertEquals(List.of("a", "b"), jvmSwitch.look().holders);

        assertEquals(FetchDisabledSwitch.Change.STILL_HELD, jvmSwitch.release("a").change);
        assertTrue(Boolean.getBoolean(property), "b still holds it");
        assertEquals(FetchDisabledSwitch.Change.NOT_HELD, jvmSwitch.release("a").change);
        assertTrue(Boolean.getBoolean(property));

        FetchDisabledSwitch.Outcome last = jvmSwitch.release("b");
        assertEquals(FetchDisabledSwitch.Change.RESTORED, last.change);
        assertNull(last.now);
        assertNull(System.getProperty(property), "absent stays absent: not \"false\"");
        assertFalse(System.getProperties().containsKey(property));
        assertNoBookkeeping();
    }

    @Test
    void aValueOtherThanTrueIsPutBackExactly() {
        System.setProperty(property, "false");
        assertEquals("false", jvmSwitch.hold("a").before);
        assertEquals("true", System.getProperty(property));
        FetchDisabledSwitch.Outcome last = jvmSwitch.release("a");
        assertEquals(FetchDisabledSwitch.Change.RESTORED, last.change);
        assertEquals("false", System.getProperty(property));

        System.setProperty(property, "");
        jvmSwitch.hold("a");
        jvmSwitch.release("a");
        assertEquals("", System.getProperty(property), "an empty value is a value");
    }

    @Test
    void trueFromBeforeTheWindowIsNeverChanged() {
        System.setProperty(property, "true");
        FetchDisabledSwitch.Outcome first = jvmSwitch.hold("a");
        assertEquals(FetchDisabledSwitch.Change.WAS_TRUE, first.change);
        jvmSwitch.hold("b");
        jvmSwitch.release("b");
        FetchDisabledSwitch.Outcome last = jvmSwitch.release("a");
        assertEquals(FetchDisabledSwitch.Change.STAYS_TRUE, last.change);
        assertEquals("true", System.getProperty(property), "an admin's -D stays");
        assertNoBookkeeping();

        System.setProperty(property, "TRUE");
        assertEquals(FetchDisabledSwitch.Change.WAS_TRUE, jvmSwitch.hold("a").change, "Boolean.getBoolean reads it as true");
        jvmSwitch.release("a");
        assertEquals("TRUE", System.getProperty(property), "not even its spelling changes");
    }

    @Test
    void aValueChangedDuringTheWindowIsLeftAsItWasSet() {
        jvmSwitch.hold("a");
        System.setProperty(property, "false"); // someone wanted mail back during the window
        FetchDisabledSwitch.Outcome last = jvmSwitch.release("a");
        assertEquals(FetchDisabledSwitch.Change.CHANGED_MEANWHILE, last.change);
        assertEquals("false", System.getProperty(property));

        jvmSwitch.hold("a");
        System.clearProperty(property);
        assertEquals(FetchDisabledSwitch.Change.CHANGED_MEANWHILE, jvmSwitch.release("a").change);
        assertNull(System.getProperty(property));
        assertNoBookkeeping();
    }

    @Test
    void whenTheValueFromBeforeIsNoLongerOnRecordTheLastHolderLeavesThePropertyAlone() {
        jvmSwitch.hold("a");
        System.clearProperty(beforeKey);
        assertEquals(FetchDisabledSwitch.Change.BEFORE_LOST, jvmSwitch.release("a").change);
        assertEquals("true", System.getProperty(property), "not guessed: an admin's value is never cleared");
        assertNoBookkeeping();
    }

    @Test
    void racingHoldersNeverSeeMailFetchedWhileTheyHoldItAndLeaveNothingBehind() throws Exception {
        System.setProperty(property, "false");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String holder = "holder-" + t;
                results.add(pool.submit(() -> {
                    go.await();
                    int wrong = 0;
                    for (int i = 0; i < 2000; i++) {
                        jvmSwitch.hold(holder);
                        if (!Boolean.getBoolean(property)) {
                            wrong++;
                        }
                        if (ThreadLocalRandom.current().nextInt(4) == 0) {
                            Thread.yield();
                        }
                        if (!Boolean.getBoolean(property)) {
                            wrong++;
                        }
                        jvmSwitch.release(holder);
                    }
                    return wrong;
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertEquals(0, result.get(60, TimeUnit.SECONDS), "times mail read as fetched while held");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("false", System.getProperty(property), "put back as it was");
        assertNoBookkeeping();
    }
}
