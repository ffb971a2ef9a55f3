package org.maintenancevalve.mail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One valve's mail pause: which windows pause mail for each {@code pauseIncomingMail}, what the
 * audit line and JMX say, and several valves (and two copies of the jar) sharing the JVM's switch.
 */
class MailPauseTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final MaintenanceState FULL = MaintenanceState.evaluate(FlagSettings.DEFAULTS, NOW, NOW,
            MaintenanceState.OFF);
    private static final MaintenanceState READ_ONLY = MaintenanceState.evaluate(
            FlagSettings.builder().mode(Mode.READ_ONLY).build(), NOW, NOW, MaintenanceState.OFF);
    private static final MaintenanceState SCHEDULED = MaintenanceState.evaluate(
            FlagSettings.builder().from(NOW.plusSeconds(3600)).build(), NOW, NOW, MaintenanceState.OFF);

    private final String id = UUID.randomUUID().toString();
    private final String property = "test.mail.fetchdisabled." + id;
    private final FetchDisabledSwitch jvmSwitch = new FetchDisabledSwitch(property, "test.mail.pausedBy." + id,
            "test.mail.valueBefore." + id);

    /** The real property, as it was before the test. */
    private String realBefore;

    @BeforeEach
    void saveTheRealProperty() {
        realBefore = System.clearProperty(MailPause.PROPERTY);
    }

    @AfterEach
    void restore() {
        System.clearProperty(property);
        if (realBefore == null) {
            System.clearProperty(MailPause.PROPERTY);
        } else {
            System.setProperty(MailPause.PROPERTY, realBefore);
        }
    }

    private MailPause pause(PauseIncomingMail configured, boolean productPreset) {
        return new MailPause(configured, productPreset, jvmSwitch);
    }

    private boolean paused() {
        return Boolean.getBoolean(property);
    }

    @Test
    void theAttributeTakesFourValuesAndAutoByDefault() {
        assertEquals(PauseIncomingMail.AUTO, PauseIncomingMail.parse(null));
        assertEquals(PauseIncomingMail.AUTO, PauseIncomingMail.parse(" "));
        assertEquals(PauseIncomingMail.OFF, PauseIncomingMail.parse("off"));
        assertEquals(PauseIncomingMail.FULL, PauseIncomingMail.parse(" FULL "));
        assertEquals(PauseIncomingMail.FULL_AND_READ_ONLY, PauseIncomingMail.parse("full-and-read-only"));
        for (String bad : new String[] {"on", "true", "read-only", "full,read-only"}) {
            assertEquals("must be auto, off, full or full-and-read-only",
                    assertThrows(IllegalArgumentException.class, () -> PauseIncomingMail.parse(bad)).getMessage());
        }
        for (PauseIncomingMail value : PauseIncomingMail.values()) {
            assertEquals(value, PauseIncomingMail.parse(value.text()));
        }
    }

    @Test
    void autoPausesInEveryWindowWithAPresetAndNeverWithout() {
        assertEquals(PauseIncomingMail.FULL_AND_READ_ONLY, PauseIncomingMail.AUTO.resolve(true));
        assertEquals(PauseIncomingMail.OFF, PauseIncomingMail.AUTO.resolve(false));
        assertEquals(PauseIncomingMail.FULL, PauseIncomingMail.FULL.resolve(false));
        assertEquals(PauseIncomingMail.OFF, PauseIncomingMail.OFF.resolve(true));

        MailPause withPreset = pause(PauseIncomingMail.AUTO, true);
        assertEquals("paused in full and read-only windows", withPreset.policyText());
        withPreset.follow(READ_ONLY);
        assertTrue(paused(), "read-only");
        withPreset.follow(FULL);
        assertTrue(paused(), "full");
        withPreset.follow(MaintenanceState.OFF);
        assertFalse(paused());

        MailPause withoutPreset = pause(PauseIncomingMail.AUTO, false);
        assertEquals("not paused by windows (pauseIncomingMail=auto without a preset)", withoutPreset.policyText());
        assertNull(withoutPreset.follow(FULL), "said once, in the start line, not in every audit line");
        assertEquals("fetched (pauseIncomingMail=auto without a preset)", withoutPreset.describe(FULL));
        assertFalse(paused());
    }

    @Test
    void fullPausesInFullWindowsOnlyAndOffNever() {
        MailPause full = pause(PauseIncomingMail.FULL, true);
        assertEquals("paused in full windows", full.policyText());
        full.follow(FULL);
        assertTrue(paused());
        assertEquals("fetched again (" + property() + " removed, as before the window)", full.follow(READ_ONLY),
                "a switch to read-only lets mail in again");
        assertFalse(paused());
        assertEquals("fetched (pauseIncomingMail=full: full windows only)", full.describe(READ_ONLY));
        assertEquals("not paused (pauseIncomingMail=full: full windows only)", full.follow(READ_ONLY),
                "a read-only window it does not pause says so");

        MailPause off = pause(PauseIncomingMail.OFF, true);
        assertEquals("not paused by windows (pauseIncomingMail=off)", off.policyText());
        assertNull(off.follow(FULL));
        assertEquals("fetched (pauseIncomingMail=off)", off.describe(FULL));
        assertFalse(paused());
    }

    private String property() {
        return MailPause.PROPERTY;
    }

    @Test
    void aScheduledWindowPausesNothingAndNothingIsSaidWithoutAWindow() {
        MailPause pause = pause(PauseIncomingMail.FULL_AND_READ_ONLY, false);
        assertNull(pause.follow(SCHEDULED));
        assertNull(pause.follow(MaintenanceState.OFF));
        assertFalse(paused());
        assertEquals("fetched", pause.describe(MaintenanceState.OFF));
    }

    @Test
    void theAuditLineSaysWhatBecameOfMailAndWhatWasThereBefore() {
        MailPause pause = pause(PauseIncomingMail.FULL_AND_READ_ONLY, false);
        assertEquals("paused (" + property() + "=true; before the window not set)", pause.follow(FULL));
        assertTrue(pause.isHeld());
        assertEquals("paused (" + property() + "=true)", pause.follow(READ_ONLY), "still held: nothing changes");
        assertEquals("paused by this valve's window", pause.describe(READ_ONLY));
        assertEquals("fetched again (" + property() + " removed, as before the window)", pause.follow(MaintenanceState.OFF));
        assertFalse(pause.isHeld());

        System.setProperty(property, "false");
        assertEquals("paused (" + property() + "=true; before the window \"false\")", pause.follow(FULL));
        assertEquals("fetched again (" + property() + " set back to \"false\", as before the window)",
                pause.follow(MaintenanceState.OFF));
        assertEquals("false", System.getProperty(property));
    }

    @Test
    void anAdminsTrueFromStartUpStaysAndIsSaidToStay() {
        System.setProperty(property, "true");
        MailPause pause = pause(PauseIncomingMail.AUTO, true);
        assertEquals("paused already: " + property() + "=true was set before the window, and stays", pause.follow(FULL));
        assertEquals("paused by this valve's window (" + property() + "=true was set before it, and stays)",
                pause.describe(FULL));
        assertEquals("still paused: " + property() + "=true was set before the window, and stays",
                pause.follow(MaintenanceState.OFF));
        assertEquals("true", System.getProperty(property));
        assertEquals("paused, not by a valve: " + property() + "=true", pause.describe(MaintenanceState.OFF));

        MailPause off = pause(PauseIncomingMail.OFF, true);
        assertEquals("paused, not by this valve (pauseIncomingMail=off): " + property() + "=true", off.follow(FULL));
        assertEquals("true", System.getProperty(property));
    }

    @Test
    void aValueChangedDuringTheWindowIsLeftAndSaid() {
        MailPause pause = pause(PauseIncomingMail.FULL_AND_READ_ONLY, false);
        pause.follow(FULL);
        System.setProperty(property, "no");
        assertEquals("fetched: " + property() + "=\"no\" was changed during this valve's window", pause.describe(FULL));
        assertEquals("left as it is: " + property() + "=\"no\" was changed during the window",
                pause.follow(MaintenanceState.OFF));
        assertEquals("no", System.getProperty(property));
    }

    @Test
    void twoValvesShareTheSwitchAndTheLastToLetGoPutsItBack() {
        MailPause host = pause(PauseIncomingMail.FULL_AND_READ_ONLY, false);
        MailPause context = pause(PauseIncomingMail.FULL, false);
        host.follow(FULL);
        assertEquals("paused (" + property() + "=true, set by another valve's window in this JVM)", context.follow(FULL));
        assertEquals("still paused: another valve's window in this JVM holds it", host.follow(MaintenanceState.OFF));
        assertTrue(paused(), "the context's window still holds it");
        assertEquals("paused by another valve's window in this JVM", host.describe(MaintenanceState.OFF));
        assertEquals("fetched again (" + property() + " removed, as before the window)", context.follow(READ_ONLY));
        assertFalse(paused());
        assertNull(System.getProperty(property));
    }

    @Test
    void aStoppedValveLetsGoAndFollowsNoMoreWindows() {
        MailPause pause = pause(PauseIncomingMail.FULL_AND_READ_ONLY, false);
        assertNull(pause.end(), "nothing held, nothing said");
        MailPause started = pause(PauseIncomingMail.FULL_AND_READ_ONLY, false);
        started.follow(FULL);
        assertEquals("fetched again (" + property() + " removed, as before the window)", started.end());
        assertFalse(paused());
        assertNull(started.follow(FULL), "a late state change after the stop");
        assertFalse(paused());
        assertFalse(started.isHeld());
    }

    // ------------------------------------------------------------ the real property, two copies of the jar

    @Test
    void twoCopiesOfTheJarInDifferentClassLoadersShareTheRealProperty() throws Exception {
        ClassLoader copy = new OwnCopyOfTheMailPackage(getClass().getClassLoader());
        Class<?> otherPause = copy.loadClass(MailPause.class.getName());
        Class<?> otherPolicy = copy.loadClass(PauseIncomingMail.class.getName());
        assertNotSame(MailPause.class, otherPause, "a copy of its own, as from a second jar");
        Object otherValve = otherPause.getMethod("forValve", otherPolicy, boolean.class)
                .invoke(null, otherPolicy.getField("FULL_AND_READ_ONLY").get(null), false);
        Method otherFollow = otherPause.getMethod("follow", MaintenanceState.class);

        MailPause valve = MailPause.forValve(PauseIncomingMail.FULL_AND_READ_ONLY, false);
        valve.follow(FULL);
        assertEquals("true", System.getProperty(MailPause.PROPERTY));
        assertEquals("paused (" + property() + "=true, set by another valve's window in this JVM)",
                otherFollow.invoke(otherValve, FULL), "the copy sees the first copy's hold");
        valve.follow(MaintenanceState.OFF);
        assertEquals("true", System.getProperty(MailPause.PROPERTY), "the copy's window still holds it");
        assertEquals("fetched again (" + property() + " removed, as before the window)",
                otherFollow.invoke(otherValve, MaintenanceState.OFF), "the copy knows what was there before");
        assertNull(System.getProperty(MailPause.PROPERTY));
        assertNull(System.getProperty("org.maintenancevalve.mail.pausedBy"));
        assertNull(System.getProperty("org.maintenancevalve.mail.valueBefore"));
    }

    @Test
    void twoCopiesRacingOverTheSwitchNeverLeaveItWrong() throws Exception {
        ClassLoader copy = new OwnCopyOfTheMailPackage(getClass().getClassLoader());
        Class<?> otherSwitch = copy.loadClass(FetchDisabledSwitch.class.getName());
        assertNotSame(FetchDisabledSwitch.class, otherSwitch);
        Constructor<?> make = otherSwitch.getDeclaredConstructor(String.class, String.class, String.class);
        make.setAccessible(true);
        Object other = make.newInstance(property, "test.mail.pausedBy." + id, "test.mail.valueBefore." + id);
        Method otherHold = otherSwitch.getDeclaredMethod("hold", String.class);
        Method otherRelease = otherSwitch.getDeclaredMethod("release", String.class);
        otherHold.setAccessible(true);
        otherRelease.setAccessible(true);

        System.setProperty(property, "false");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String holder = "copy-" + t;
                boolean ownCopy = t % 2 == 0;
                results.add(pool.submit(() -> {
                    go.await();
                    int wrong = 0;
                    for (int i = 0; i < 2000; i++) {
                        if (ownCopy) {
                            jvmSwitch.hold(holder);
                        } else {
                            otherHold.invoke(other, holder);
                        }
                        wrong += paused() ? 0 : 1;
                        if (ownCopy) {
                            jvmSwitch.release(holder);
                        } else {
                            otherRelease.invoke(other, holder);
                        }
                    }
                    return wrong;
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertEquals(0, result.get(60, TimeUnit.SECONDS), "read as fetched while held");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("false", System.getProperty(property), "put back as it was");
        assertNull(System.getProperty("test.mail.pausedBy." + id));
    }

    /** Loads {@code org.maintenancevalve.mail} anew (the rest from its parent), as a second copy of the jar would. */
    private static final class OwnCopyOfTheMailPackage extends ClassLoader {
        OwnCopyOfTheMailPackage(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(MailPause.class.getPackage().getName() + ".") || name.endsWith("Test")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
