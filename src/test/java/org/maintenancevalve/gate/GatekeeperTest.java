package org.maintenancevalve.gate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.access.AccessPolicy;
import org.maintenancevalve.harness.LogRecords;
import org.maintenancevalve.it.Await;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.drain.InFlightRequests;
import org.maintenancevalve.mail.MailPause;
import org.maintenancevalve.mail.PauseIncomingMail;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gatekeeper without Tomcat: what the JMX operations do to the flag file and to the gate in
 * force, and what it tells the valve. The valve's own glue is in {@code MaintenanceValveTest}.
 */
class GatekeeperTest {

    private static final String SECRET = "a-long-enough-secret-1234";
    private static final long HOUR_MILLIS = 3_600_000;

    @TempDir
    Path dir;

    private final Gatekeeper keeper = new Gatekeeper(Clock.systemUTC());

    @AfterEach
    void stop() {
        keeper.stop();
    }

    private Path start(long pollMillis, Path template) {
        Path flag = dir.resolve("maintenance.flag");
        keeper.start(flag, pollMillis, 120, template, "GatekeeperTest-flag-watcher");
        return flag;
    }

    @Test
    void itKeepsWhatItWasStartedWithAndTheFlagFileAfterAStop() {
        assertNull(keeper.flagFile(), "before the first start");
        Path flag = start(HOUR_MILLIS, null);
        assertTrue(keeper.isWatching());
        assertEquals(flag, keeper.flagFile());
        assertEquals(120, keeper.retryAfter());
        assertTrue(keeper.gate().isOpen());
        keeper.stop();
        assertFalse(keeper.isWatching());
        assertEquals(flag, keeper.flagFile(), "the flag file it last watched");
    }

    @Test
    void newWaysThroughApplyToTheWindowInForceAtOnce() throws IOException {
        start(HOUR_MILLIS, null);
        keeper.turnOn(Mode.FULL, "Backup", 0, "test");
        assertNull(keeper.gate().policy().bypass(), "no bypass secret yet");
        keeper.setAccess(AccessConfig.NONE.withBypassSecret(SECRET));
        assertNotNull(keeper.gate().policy().bypass(), "in force for the next request, without a poll");
        assertTrue(keeper.access().hasBypassSecret());
        keeper.turnOff("test");
        assertTrue(keeper.gate().isOpen());
        assertFalse(Files.exists(dir.resolve("maintenance.flag")));
    }

    @Test
    void requestsFromBeforeMaintenanceAreWhatAwaitIdleWaitsFor() throws Exception {
        start(HOUR_MILLIS, null);
        InFlightRequests.Generation before = keeper.inFlight().enter();
        assertEquals(0, keeper.awaitIdle(0), "nothing to drain while maintenance is off");
        keeper.turnOn(Mode.FULL, "", 0, "test");
        assertEquals(1, keeper.inFlight().retiredInFlight());
        assertEquals(1, keeper.awaitIdle(0), "still running");
        keeper.turnOn(Mode.READ_ONLY, "", 0, "test");
        assertEquals(1, keeper.inFlight().retiredInFlight(), "a change of the window in force is no new beginning");

        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            Thread[] waiting = new Thread[1];
            Future<Integer> idle = waiter.submit(() -> {
                waiting[0] = Thread.currentThread();
                return keeper.awaitIdle(60);
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!idle.isDone() && (waiting[0] == null || waiting[0].getState() != Thread.State.TIMED_WAITING)) {
                if (System.nanoTime() > deadline) {
                    fail("awaitIdle never waited");
                }
                Thread.yield();
            }
            keeper.inFlight().exit(before);
            assertEquals(0, idle.get(20, TimeUnit.SECONDS), "it waits for the request to leave");
        } finally {
            waiter.shutdownNow();
        }
        assertThrows(IllegalArgumentException.class, () -> keeper.awaitIdle(-1));
    }

    @Test
    void aFlagFileThatCannotBeUsedIsNotChangedAndTheCallerIsToldWhy() throws IOException {
        Path flag = start(HOUR_MILLIS, null);
        byte[] broken = "{\"mode\": \"maintenance\"}".getBytes(StandardCharsets.UTF_8);
        Files.write(flag, broken);
        IllegalStateException unusable = assertThrows(IllegalStateException.class,
                () -> keeper.turnOn(Mode.FULL, "Backup", 30, "JMX"));
        assertTrue(unusable.getMessage().contains("cannot be used"), unusable.getMessage());
        assertNull(unusable.getCause(), "a JMX client has none of our classes");
        assertArrayEquals(broken, Files.readAllBytes(flag));

        byte[] notJson = "{\"message\": ".getBytes(StandardCharsets.UTF_8);
        Files.write(flag, notJson);
        IllegalStateException notAFlag = assertThrows(IllegalStateException.class,
                () -> keeper.turnOn(Mode.FULL, "Backup", 30, "JMX"));
        assertTrue(notAFlag.getMessage().contains("is not replaced: it is not JSON"), notAFlag.getMessage());
        assertNull(notAFlag.getCause(), "a JMX client has none of our classes");
        assertArrayEquals(notJson, Files.readAllBytes(flag));

        byte[] ignoredAllow = "{\"allow\": [\"everyone\"]}".getBytes(StandardCharsets.UTF_8);
        Files.write(flag, ignoredAllow);
        IllegalArgumentException badValue = assertThrows(IllegalArgumentException.class,
                () -> keeper.turnOn(Mode.FULL, "Backup", 30, "JMX"));
        assertTrue(badValue.getMessage().contains("everyone"), badValue.getMessage());
        assertNull(badValue.getCause());
        assertArrayEquals(ignoredAllow, Files.readAllBytes(flag));
    }

    @Test
    void disableRemovesOnlyAFlagFileAndTellsTheCallerWhyNot() throws IOException {
        Path flag = start(HOUR_MILLIS, null);
        byte[] other = "{\"db\": \"secret\"}".getBytes(StandardCharsets.UTF_8);
        Files.write(flag, other);
        keeper.refresh();
        IOException refused = assertThrows(IOException.class, () -> keeper.turnOff("JMX"));
        assertEquals(IOException.class, refused.getClass(), "a JMX client has none of our classes");
        assertTrue(refused.getMessage().startsWith(flag + " is not removed: it has a field a flag file does not have"),
                refused.getMessage());
        assertArrayEquals(other, Files.readAllBytes(flag));
        assertFalse(keeper.gate().isOpen(), "still held out, as for any flag file");

        Files.delete(flag);
        Path victim = Files.write(dir.resolve("victim"), "{}".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(flag, victim);
        refused = assertThrows(IOException.class, () -> keeper.turnOff("JMX"));
        assertTrue(refused.getMessage().contains("is a symbolic link"), refused.getMessage());
        assertTrue(Files.isSymbolicLink(flag));
        IllegalStateException notReplaced = assertThrows(IllegalStateException.class,
                () -> keeper.turnOn(Mode.FULL, "", 0, "JMX"));
        assertTrue(notReplaced.getMessage().contains("is not replaced: it is a symbolic link"), notReplaced.getMessage());
        assertTrue(Files.isSymbolicLink(flag));
        assertEquals("{}", Files.readString(victim));
    }

    @Test
    void asRootAFlagFileInADirectoryOthersMayChangeIsRefused() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(dir, "unix:uid")) == 0, "runs as root (as CI does)");
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path flag = open.resolve("maintenance.flag");
        keeper.start(flag, HOUR_MILLIS, 120, null, "GatekeeperTest-flag-watcher");
        IOException refused = assertThrows(IOException.class, () -> keeper.turnOn(Mode.FULL, "", 0, "JMX"));
        assertTrue(refused.getMessage().contains(open.toString()), refused.getMessage());
        assertFalse(Files.exists(flag));
        assertTrue(keeper.gate().isOpen(), "the state in force is unchanged");

        // Refused before the file is even read: what another user put there is not looked at.
        byte[] planted = "{\"message\": ".getBytes(StandardCharsets.UTF_8);
        Files.write(flag, planted);
        refused = assertThrows(IOException.class, () -> keeper.turnOn(Mode.FULL, "", 0, "JMX"));
        assertTrue(refused.getMessage().contains(open.toString()), refused.getMessage());
        assertArrayEquals(planted, Files.readAllBytes(flag));

        // disable() keeps the same rule: nothing is removed there.
        Files.write(flag, new byte[0]);
        refused = assertThrows(IOException.class, () -> keeper.turnOff("JMX"));
        assertEquals(IOException.class, refused.getClass(), "a JMX client has none of our classes");
        assertTrue(refused.getMessage().startsWith("Refusing to remove " + flag + " as root: " + open), refused.getMessage());
        assertTrue(Files.exists(flag));
    }

    @Test
    void whileMaintenanceIsOnAChangedTemplateIsRenderedAgain() throws Exception {
        Path template = dir.resolve("maintenance.html");
        Files.write(template, "<p>Old page: {{message}}</p>".getBytes(StandardCharsets.UTF_8));
        start(10, template);
        keeper.turnOn(Mode.FULL, "Backup", 0, "test");
        assertTrue(page().contains("Old page: Backup"), page());
        Files.write(template, "<p>New page, a longer one: {{message}}</p>".getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!page().contains("New page, a longer one: Backup")) {
            if (System.nanoTime() > deadline) {
                fail("the changed template was never rendered: " + page());
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------ an Error while the gate is built

    /** A renderer that throws what {@code failWith} holds, then renders as the valve does once it holds nothing. */
    private static Gatekeeper.AnswerRenderer failing(AtomicReference<Error> failWith, AtomicInteger calls) {
        return (state, retryAfter, templates) -> {
            calls.incrementAndGet();
            Error error = failWith.get();
            if (error != null) {
                throw error;
            }
            return MaintenanceAnswer.render(state, retryAfter, templates);
        };
    }

    @Test
    void aClassThatFailsToLoadWhileTheAnswerIsRenderedLetsNobodyInUntilALaterPollRendersIt() throws Exception {
        anErrorWhileRenderingLetsNobodyInUntilALaterPollRendersIt(
                new NoClassDefFoundError("Could not initialize class org.maintenancevalve.response.HtmlPage"));
    }

    @Test
    void runningOutOfMemoryWhileTheAnswerIsRenderedLetsNobodyInUntilALaterPollRendersIt() throws Exception {
        anErrorWhileRenderingLetsNobodyInUntilALaterPollRendersIt(new OutOfMemoryError("Java heap space"));
    }

    private void anErrorWhileRenderingLetsNobodyInUntilALaterPollRendersIt(Error error) throws Exception {
        AtomicReference<Error> failWith = new AtomicReference<>(error);
        AtomicInteger calls = new AtomicInteger();
        Gatekeeper failingKeeper = new Gatekeeper(Clock.systemUTC(), failing(failWith, calls));
        failingKeeper.setAccess(AccessConfig.NONE.withBypassSecret(SECRET).withAllow("127.0.0.1"));
        Path flag = dir.resolve("maintenance.flag");
        try (LogRecords log = LogRecords.of(Gatekeeper.class.getName())) {
            failingKeeper.start(flag, 10, 120, null, "GatekeeperTest-failing-flag-watcher");
            Files.write(flag, "{\"message\":\"XML backup\"}".getBytes(StandardCharsets.UTF_8));
            Await.until(Duration.ofSeconds(10), "the gate closes", () -> !failingKeeper.gate().isOpen());
            Gate closed = failingKeeper.gate();
            assertTrue(closed.state().isActive());
            assertSame(AccessPolicy.NOBODY, closed.policy(), "nobody admitted: no address, no bypass link");
            assertNull(closed.policy().bypass());
            assertSame(failingKeeper.fallbackAnswer(), closed.answer(), "the plain answer made at start");
            assertFalse(closed.answer().page(0).withRetryAfter(1).contains("XML backup"));

            int tried = calls.get();
            Await.until(Duration.ofSeconds(10), "tried again at later polls", () -> calls.get() >= tried + 3);
            assertSame(AccessPolicy.NOBODY, failingKeeper.gate().policy(), "still closed while it fails");
            List<LogRecord> errors = log.list().stream().filter(r -> r.getLevel() == Level.SEVERE)
                    .collect(Collectors.toList());
            assertEquals(1, errors.size(), "one ERROR while the same failure lasts, not one per poll");
            assertTrue(errors.get(0).getMessage().startsWith("MaintenanceValve: cannot prepare the maintenance answer;"
                    + " serving the plain maintenance answer to everyone, nobody admitted"), errors.get(0).getMessage());
            assertSame(error, errors.get(0).getThrown());
            assertEquals(1, count(log, "Maintenance ON [source=file]"), "the change is logged once, when it took effect");

            failWith.set(null); // the class loads, the memory is back
            Await.until(Duration.ofSeconds(10), "the real answer", () -> failingKeeper.gate().policy() != AccessPolicy.NOBODY);
            Gate real = failingKeeper.gate();
            assertTrue(real.answer().page(0).withRetryAfter(1).contains("XML backup"), "the admin's message");
            assertNotNull(real.policy().bypass(), "the ways in apply again");
            assertEquals(1, count(log, "MaintenanceValve: the maintenance answer could be prepared now"));
            assertEquals(1, count(log, "Maintenance ON [source=file]"), "not logged again");
            assertEquals(1, log.list().stream().filter(r -> r.getLevel() == Level.SEVERE).count());
        } finally {
            failingKeeper.stop();
        }
    }

    private static long count(LogRecords log, String prefix) {
        return log.list().stream().filter(r -> r.getMessage().startsWith(prefix)).count();
    }

    private String page() {
        return keeper.gate().answer().page(0).withRetryAfter(1);
    }

    // ------------------------------------------------------------ incoming mail

    private static final String FETCH_DISABLED = "atlassian.mail.fetchdisabled";

    /** Runs {@code test} with the real property cleared, and puts back what was there. */
    private static void withoutFetchDisabled(ThrowingRunnable test) throws Exception {
        String before = System.clearProperty(FETCH_DISABLED);
        try {
            test.run();
        } finally {
            if (before == null) {
                System.clearProperty(FETCH_DISABLED);
            } else {
                System.setProperty(FETCH_DISABLED, before);
            }
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private Path startPausingMail(PauseIncomingMail pause) {
        Path flag = dir.resolve("maintenance.flag");
        keeper.start(flag, HOUR_MILLIS, 120, null, "GatekeeperTest-flag-watcher", MailPause.forValve(pause, false));
        return flag;
    }

    private static List<String> messages(LogRecords log) {
        return log.list().stream().map(LogRecord::getMessage).collect(Collectors.toList());
    }

    @Test
    void aWindowPausesIncomingMailAndItsEndPutsBackWhatWasThereAndTheAuditLineSaysSo() throws Exception {
        withoutFetchDisabled(() -> {
            try (LogRecords log = LogRecords.of(Gatekeeper.class.getName())) {
                Path flag = startPausingMail(PauseIncomingMail.FULL_AND_READ_ONLY);
                assertNull(System.getProperty(FETCH_DISABLED), "no window, no pause");
                keeper.turnOn(Mode.FULL, "Backup", 0, "JMX");
                assertEquals("true", System.getProperty(FETCH_DISABLED), "in force when the operation returns");
                assertTrue(keeper.mail().isPaused());
                assertEquals("paused by this valve's window", keeper.mail().describe(keeper.gate().state()));
                keeper.turnOn(Mode.READ_ONLY, "", 0, "JMX");
                assertEquals("true", System.getProperty(FETCH_DISABLED), "read-only pauses it too");
                keeper.turnOff("JMX");
                assertNull(System.getProperty(FETCH_DISABLED), "absent again, not \"false\"");
                assertFalse(keeper.mail().isPaused());

                List<String> lines = messages(log);
                assertEquals(3, lines.size(), lines.toString());
                assertTrue(lines.get(0).startsWith("Maintenance ON [source=JMX]: mode off -> full,"), lines.get(0));
                assertTrue(lines.get(0).endsWith(", flag=" + flag + "; incoming mail paused (atlassian.mail.fetchdisabled=true;"
                        + " before the window not set)"), lines.get(0));
                assertTrue(lines.get(1).endsWith("; incoming mail paused (atlassian.mail.fetchdisabled=true)"), lines.get(1));
                assertTrue(lines.get(2).endsWith("; incoming mail fetched again (atlassian.mail.fetchdisabled removed, as"
                        + " before the window)"), lines.get(2));
            }
        });
    }

    @Test
    void aValveStoppedDuringAWindowPutsMailBackAndAStartDuringOnePausesItFromTheFirstRead() throws Exception {
        withoutFetchDisabled(() -> {
            System.setProperty(FETCH_DISABLED, "false");
            try (LogRecords log = LogRecords.of(Gatekeeper.class.getName())) {
                Path flag = startPausingMail(PauseIncomingMail.FULL);
                keeper.turnOn(Mode.FULL, "", 0, "JMX");
                assertEquals("true", System.getProperty(FETCH_DISABLED));
                keeper.stop();
                assertEquals("false", System.getProperty(FETCH_DISABLED), "a Tomcat shutdown mid-window puts it back");
                assertTrue(messages(log).contains("MaintenanceValve stopped while its window paused incoming mail:"
                        + " incoming mail fetched again (atlassian.mail.fetchdisabled set back to \"false\", as before the"
                        + " window)"), messages(log).toString());

                assertTrue(Files.exists(flag), "the window is still on");
                startPausingMail(PauseIncomingMail.FULL);
                assertEquals("true", System.getProperty(FETCH_DISABLED), "paused before the first request");
                keeper.turnOn(Mode.READ_ONLY, "", 0, "JMX");
                assertEquals("false", System.getProperty(FETCH_DISABLED), "full windows only");
            }
        });
    }

    @Test
    void withoutAPresetOrWithOffNoWindowTouchesIncomingMail() throws Exception {
        withoutFetchDisabled(() -> {
            startPausingMail(PauseIncomingMail.AUTO);
            keeper.turnOn(Mode.FULL, "", 0, "JMX");
            assertNull(System.getProperty(FETCH_DISABLED));
            assertEquals("fetched (pauseIncomingMail=auto without a preset)", keeper.mail().describe(keeper.gate().state()));
            keeper.stop();
            keeper.start(dir.resolve("maintenance.flag"), HOUR_MILLIS, 120, null, "GatekeeperTest-flag-watcher");
            assertTrue(keeper.gate().state().isActive());
            assertNull(System.getProperty(FETCH_DISABLED), "a gatekeeper started without a mail pause pauses nothing");
        });
    }
}
