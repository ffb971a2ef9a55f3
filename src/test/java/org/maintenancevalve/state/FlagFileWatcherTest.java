package org.maintenancevalve.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.harness.LogRecords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagFileWatcherTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private FlagFileWatcher watcher;

    private FlagFileWatcher watcher(Path flag) {
        watcher = new FlagFileWatcher(flag, 20, clock, "test-watcher-" + System.nanoTime(),
                (previous, current, source) -> changes.add(previous.modeText() + "->" + current.modeText() + " by " + source));
        return watcher;
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.stop();
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void followsTheFileAppearingChangingAndGoing() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        FlagFileWatcher w = watcher(flag);
        assertEquals("off", w.poll("file", false).modeText());
        assertTrue(changes.isEmpty());

        write(flag, "");
        assertTrue(w.poll("file", false).isActive());
        write(flag, "{\"mode\":\"read-only\",\"message\":\"m\"}");
        assertEquals("read-only", w.poll("file", false).modeText());
        assertEquals("m", w.current().settings().message());
        Files.delete(flag);
        assertEquals("off", w.poll("file", false).modeText());

        assertEquals(List.of("off->full by file", "full->read-only by file", "read-only->off by file"), changes);
    }

    @Test
    void theHookRunsOnTheWatcherThreadAfterEachPollAndItsFailuresDoNotStopThePolling() {
        FlagFileWatcher w = watcher(dir.resolve("maintenance.flag"));
        List<String> threads = new CopyOnWriteArrayList<>();
        w.onEachPoll(() -> {
            threads.add(Thread.currentThread().getName());
            throw new IllegalStateException("a hook that fails");
        });
        w.refresh("JMX");
        assertTrue(threads.isEmpty(), "not after an explicit refresh");
        w.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threads.size() < 3 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        assertTrue(threads.size() >= 3, "the hook ran after several polls despite failing: " + threads);
        assertTrue(threads.get(0).startsWith("test-watcher-"), threads.get(0));
        assertTrue(w.isRunning());
    }

    @Test
    void anUnchangedFileIsNotPublishedAgain() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        write(flag, "{\"message\":\"m\"}");
        FlagFileWatcher w = watcher(flag);
        for (int i = 0; i < FlagFileWatcher.REREAD_EVERY_POLLS * 2 + 3; i++) {
            w.poll("file", false);
        }
        assertEquals(List.of("off->full by file"), changes);
    }

    @Test
    void seesAnInPlaceEditThatKeepsSizeAndModifiedTime() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        write(flag, "{\"message\":\"aaaa\"}");
        FileTime fixed = Files.getLastModifiedTime(flag);
        FlagFileWatcher w = watcher(flag);
        w.poll("file", false);
        write(flag, "{\"message\":\"bbbb\"}");
        Files.setLastModifiedTime(flag, fixed); // as if the clock had been set back
        for (int i = 0; i < FlagFileWatcher.REREAD_EVERY_POLLS && "aaaa".equals(w.current().settings().message()); i++) {
            w.poll("file", false);
        }
        assertEquals("bbbb", w.current().settings().message());
    }

    @Test
    void aBadFileStillMeansFullMaintenance() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        write(flag, "{\"mode\":\"read-only\",\"message\":");
        MaintenanceState state = watcher(flag).poll("file", false);
        assertTrue(state.isActive());
        assertEquals("full", state.modeText());
        assertEquals(null, state.settings().message());
    }

    @Test
    void aMissingDirectoryOrADirectoryInPlaceKeepsTheLastState() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("shared-home"));
        Path flag = sub.resolve("maintenance.flag");
        write(flag, "{\"message\":\"m\"}");
        FlagFileWatcher w = watcher(flag);
        assertTrue(w.poll("file", false).isActive());

        Files.delete(flag);
        Files.delete(sub); // the NFS mount went away
        assertTrue(w.poll("file", false).isActive(), "a vanished directory must not end maintenance");

        Files.createDirectory(sub);
        Files.createDirectory(flag);
        assertTrue(w.poll("file", false).isActive(), "a directory in place of the flag must not end maintenance");

        Files.delete(flag);
        assertFalse(w.poll("file", false).isActive(), "recovers by itself once the fault is fixed");
    }

    @Test
    void aFlagThatCannotBeExaminedAtStartMeansFullMaintenanceUntilItCan() throws IOException {
        Path sub = dir.resolve("shared-home"); // not mounted yet
        Path flag = sub.resolve("maintenance.flag");
        FlagFileWatcher w = watcher(flag);
        List<LogRecord> records = capture();
        try {
            MaintenanceState first = w.refresh("file"); // what start() does before the first request
            assertTrue(first.isActive(), "no last state to keep: off would let everyone in");
            assertEquals("full", first.modeText());
            assertEquals(null, first.settings().message());
            for (int i = 0; i < 5; i++) {
                assertTrue(w.poll("file", false).isActive());
            }
            List<String> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING)
                    .map(LogRecord::getMessage).collect(Collectors.toList());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(sub + " does not exist") && warnings.get(0).contains("full mode"),
                    warnings.get(0));

            Files.createDirectory(sub); // mounted, no flag in it
            assertFalse(w.poll("file", false).isActive(), "off once the file can be examined");
            assertEquals(List.of("off->full by file", "full->off by file"), changes);

            // From now on the valve has a last known state, and keeps it.
            Files.delete(sub);
            assertFalse(w.poll("file", false).isActive(), "a running valve keeps its last state (off)");
        } finally {
            release(records);
        }
    }

    @Test
    void aDanglingLinkAtStartMeansFullMaintenanceUntilItLeadsSomewhere() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        Path target = dir.resolve("real.flag");
        Files.createSymbolicLink(flag, target);
        FlagFileWatcher w = watcher(flag);
        assertEquals("full", w.refresh("file").modeText());
        write(target, "{\"mode\":\"read-only\",\"message\":\"m\"}");
        assertEquals("read-only", w.poll("file", false).modeText());
        assertEquals("m", w.current().settings().message());
    }

    private LogRecords log;

    private List<LogRecord> capture() {
        log = LogRecords.of(FlagFileWatcher.class.getName());
        return log.list();
    }

    private void release(List<LogRecord> records) {
        log.close();
    }

    @Test
    void aDanglingSymlinkKeepsTheLastState() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        write(flag, "");
        FlagFileWatcher w = watcher(flag);
        assertTrue(w.poll("file", false).isActive());
        Files.delete(flag);
        Files.createSymbolicLink(flag, dir.resolve("nowhere"));
        assertTrue(w.poll("file", false).isActive());
    }

    @Test
    void aFlagTheSystemRefusesToReadStillMeansFullMaintenance() {
        // Root reads through any permission, so use a file whose read really fails: reading
        // /proc/self/mem at offset 0 gives EIO, as an unreadable NFS file or a bad disk would.
        Path unreadable = Path.of("/proc/self/mem");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(unreadable), "needs Linux /proc");
        MaintenanceState state = watcher(unreadable).poll("file", false);
        assertTrue(state.isActive(), "an unreadable flag is still a flag");
        assertEquals("full", state.modeText());
        assertTrue(state.settings().problem().startsWith("cannot be read"), state.settings().problem());
    }

    @Test
    void aScheduledStartHappensByTheClockAlone() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        write(flag, "{\"from\":\"2026-11-24T10:05:00Z\"}");
        FlagFileWatcher w = watcher(flag);
        assertEquals("scheduled", w.poll("file", false).modeText());
        clock.now = Instant.parse("2026-11-24T10:04:59Z");
        assertEquals("scheduled", w.poll("file", false).modeText());
        clock.now = Instant.parse("2026-11-24T10:05:00Z");
        assertEquals("full", w.poll("file", false).modeText());
        assertEquals(List.of("off->scheduled by file", "scheduled->full by schedule"), changes);
    }

    @Test
    void refreshPublishesAtOnceWithItsSource() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        FlagFileWatcher w = watcher(flag);
        w.poll("file", false);
        write(flag, "");
        assertTrue(w.refresh("JMX").isActive());
        assertEquals(List.of("off->full by JMX"), changes);
    }

    @Test
    void anAnnouncedEndThatEndsByItselfIsPublishedAsTheAutomaticEnd() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        write(flag, "{\"until\":\"2026-11-24T10:05:00Z\",\"autoEnd\":true}");
        FlagFileWatcher w = watcher(flag);
        assertTrue(w.poll("file", false).isActive());
        clock.now = Instant.parse("2026-11-24T10:05:00Z");
        assertFalse(w.poll("file", false).isActive());
        assertEquals(List.of("off->full by file", "full->off by auto-end"), changes);
    }

    @Test
    void aBrokenFileIsOneWarningSayingWhatItDoesAndItsFixIsAnnounced() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        write(flag, "{\"mode\":");
        FlagFileWatcher w = watcher(flag);
        List<LogRecord> records = capture();
        try {
            for (int i = 0; i < FlagFileWatcher.REREAD_EVERY_POLLS + 2; i++) {
                assertEquals("full", w.poll("file", false).modeText());
            }
            List<String> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING)
                    .map(LogRecord::getMessage).collect(Collectors.toList());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("Maintenance flag file " + flag + " cannot be used (not valid JSON"),
                    warnings.get(0));
            assertTrue(warnings.get(0).endsWith("; maintenance is on (full mode, default message) until the file is fixed"),
                    warnings.get(0));

            write(flag, "{\"mode\":\"read-only\"}");
            assertEquals("read-only", w.poll("file", false).modeText());
            assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.INFO
                    && r.getMessage().equals("Maintenance flag file " + flag + " is usable again")), records.toString());
        } finally {
            release(records);
        }
    }

    @Test
    void aFailingHookIsLoggedAsAnError() {
        FlagFileWatcher w = watcher(dir.resolve("maintenance.flag"));
        List<LogRecord> records = capture();
        try {
            w.onEachPoll(() -> {
                throw new IllegalStateException("a hook that fails");
            });
            w.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (records.stream().noneMatch(r -> r.getLevel() == Level.SEVERE) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            }
            LogRecord error = records.stream().filter(r -> r.getLevel() == Level.SEVERE).findFirst().orElseThrow();
            assertEquals("Unexpected error after polling the flag file " + dir.resolve("maintenance.flag"), error.getMessage());
            assertEquals("a hook that fails", error.getThrown().getMessage());
        } finally {
            w.stop();
            release(records);
        }
    }

    @Test
    void theThreadIsADaemonThatHoldsNoWebApplicationsClassLoader() throws Exception {
        FlagFileWatcher w = watcher(dir.resolve("maintenance.flag"));
        List<Thread> threads = new CopyOnWriteArrayList<>();
        w.onEachPoll(() -> threads.add(Thread.currentThread()));
        Thread caller = Thread.currentThread();
        ClassLoader callers = caller.getContextClassLoader();
        try (java.net.URLClassLoader webApplication = new java.net.URLClassLoader(new java.net.URL[0], callers)) {
            caller.setContextClassLoader(webApplication); // as when a web application's thread starts the valve
            w.start();
        } finally {
            caller.setContextClassLoader(callers);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threads.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        Thread thread = threads.get(0);
        assertTrue(thread.isDaemon(), "does not keep Tomcat's JVM from exiting");
        assertEquals(FlagFileWatcher.class.getClassLoader(), thread.getContextClassLoader());
    }

    @Test
    void startingTwiceIsOneThreadAndStoppingWhatDidNotStartIsNothing() {
        FlagFileWatcher w = watcher(dir.resolve("maintenance.flag"));
        w.stop();
        assertFalse(w.isRunning());
        String name = "test-watcher-twice-" + System.nanoTime();
        watcher = new FlagFileWatcher(dir.resolve("maintenance.flag"), 20, clock, name, (p, c, s) -> { });
        List<LogRecord> records = capture();
        try {
            watcher.start();
            watcher.start();
            assertEquals(1, threadNames().stream().filter(name::equals).count());
            watcher.stop();
            assertFalse(watcher.isRunning());
            assertEquals(List.of(), records.stream().filter(r -> r.getLevel() == Level.WARNING)
                    .map(LogRecord::getMessage).collect(Collectors.toList()), "it stopped in time: nothing to warn about");
        } finally {
            release(records);
        }
    }

    @Test
    void theThreadPollsAndStops() throws Exception {
        Path flag = dir.resolve("maintenance.flag");
        FlagFileWatcher w = watcher(flag);
        w.start();
        assertTrue(w.isRunning());
        String name = threadNames().stream().filter(n -> n.startsWith("test-watcher-")).findFirst().orElseThrow();
        write(flag, "");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!w.current().isActive() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        assertTrue(w.current().isActive(), "the polling thread saw the flag");
        w.stop();
        assertFalse(w.isRunning());
        // awaitTermination returns once the task is done; the thread itself exits a moment later.
        long exitDeadline = System.nanoTime() + 5_000_000_000L;
        while (threadNames().contains(name) && System.nanoTime() < exitDeadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        assertFalse(threadNames().contains(name), "the thread is gone after stop");
    }

    private static List<String> threadNames() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
