package org.maintenancevalve.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.harness.LogRecords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

        Path away = dir.resolve("shared-home.away");
        Files.move(sub, away); // the NFS mount went away (and comes back as the same directory)
        assertTrue(w.poll("file", false).isActive(), "a vanished directory must not end maintenance");

        Files.move(away, sub);
        Files.delete(flag);
        Files.createDirectory(flag);
        assertTrue(w.poll("file", false).isActive(), "a directory in place of the flag must not end maintenance");

        Files.delete(flag);
        assertFalse(w.poll("file", false).isActive(), "recovers by itself once the fault is fixed");
    }

    // ------------------------------------------------------------ the flag's directory is another one

    /** Points {@code link} at {@code target} in one step, as an admin swapping a link would. */
    private static void pointLink(Path link, Path target) throws IOException {
        Path next = link.resolveSibling(link.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, target);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> messages(List<LogRecord> records, Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).collect(Collectors.toList());
    }

    @Test
    void aDirectorySwappedUnderALinkDuringMaintenanceKeepsItOnWithOneWarningUntilItIsBack() throws IOException {
        Path share = Files.createDirectory(dir.resolve("share"));
        Path mountPoint = Files.createDirectory(dir.resolve("mount-point")); // what an unmount leaves
        Path home = Files.createSymbolicLink(dir.resolve("shared-home"), share);
        Path flag = home.resolve("maintenance.flag");
        write(share.resolve("maintenance.flag"), "{\"message\":\"backup\"}");
        FlagFileWatcher w = watcher(flag);
        List<LogRecord> records = capture();
        try {
            assertEquals("full", w.refresh("file").modeText());

            pointLink(home, mountPoint);
            for (int i = 0; i < FlagFileWatcher.REREAD_EVERY_POLLS + 2; i++) {
                MaintenanceState state = w.poll("file", false);
                assertTrue(state.isActive(), "another directory without a flag must not end maintenance");
                assertEquals("backup", state.settings().message(), "the last state, as it was");
            }
            assertTrue(w.refresh("JMX").isActive(), "nor does a refresh: the command line's confirmations call it");
            List<String> warnings = messages(records, Level.WARNING);
            assertEquals(1, warnings.size(), "one WARN, not one per poll: " + warnings);
            String warning = warnings.get(0);
            assertTrue(warning.startsWith("Maintenance flag file " + flag + ": its directory " + home
                    + " is not the one the state in force was read from (was: "), warning);
            assertTrue(warning.contains("inode " + Files.getAttribute(share, "unix:ino")
                    + "; now: ") && warning.contains("inode " + Files.getAttribute(mountPoint, "unix:ino") + ")"), warning);
            assertTrue(warning.contains("Keeping the last known state (full)"), warning);
            assertTrue(warning.contains("Fix: mount the shared home at " + home + " again"), warning);
            assertTrue(warning.contains("JMX disable on this node or a restart of Tomcat accepts it"), warning);
            assertEquals(List.of("off->full by file"), changes);

            pointLink(home, share); // mounted again
            assertTrue(w.poll("file", false).isActive());
            List<String> infos = messages(records, Level.INFO);
            assertEquals(1, infos.size(), infos.toString());
            assertTrue(infos.get(0).startsWith("Maintenance flag file " + flag + ": its directory " + home
                    + " is the one it was again (" + describe(share) + ")"), infos.get(0));

            Files.delete(share.resolve("maintenance.flag"));
            assertFalse(w.poll("file", false).isActive(), "the flag file is followed again");
            assertEquals(List.of("off->full by file", "full->off by file"), changes);
            assertEquals(1, messages(records, Level.WARNING).size());
        } finally {
            release(records);
        }
    }

    /** What the log says a directory is: its file system and inode. */
    private static String describe(Path directory) throws IOException {
        java.nio.file.FileStore store = Files.getFileStore(directory);
        return "file system " + AuditLine.quote(store.name()) + " (" + AuditLine.quote(store.type()) + "), inode "
                + Files.getAttribute(directory, "unix:ino");
    }

    @Test
    void aScheduledWindowIsKeptWhileTheDirectoryIsAnotherOneAndStartsByTheClock() throws IOException {
        Path share = Files.createDirectory(dir.resolve("share"));
        Path mountPoint = Files.createDirectory(dir.resolve("mount-point"));
        Path home = Files.createSymbolicLink(dir.resolve("shared-home"), share);
        write(share.resolve("maintenance.flag"), "{\"from\":\"2026-11-24T10:05:00Z\"}");
        FlagFileWatcher w = watcher(home.resolve("maintenance.flag"));
        assertEquals("scheduled", w.refresh("file").modeText());
        pointLink(home, mountPoint);
        assertEquals("scheduled", w.poll("file", false).modeText(), "the window is not dropped");
        clock.now = Instant.parse("2026-11-24T10:05:00Z");
        assertEquals("full", w.poll("file", false).modeText(), "and it starts on time");
        assertEquals(List.of("off->scheduled by file", "scheduled->full by schedule"), changes);
    }

    @Test
    void aShareMountedWhileOffIsFollowedAndAFlagOnItApplies() throws IOException {
        Path mountPoint = Files.createDirectory(dir.resolve("mount-point"));
        Path share = Files.createDirectory(dir.resolve("share"));
        Path home = Files.createSymbolicLink(dir.resolve("shared-home"), mountPoint);
        Path flag = home.resolve("maintenance.flag");
        FlagFileWatcher w = watcher(flag);
        List<LogRecord> records = capture();
        try {
            assertFalse(w.refresh("file").isActive(), "Tomcat started before the share was mounted");

            pointLink(home, share); // mounted, no flag on it
            assertFalse(w.poll("file", false).isActive(), "nobody is locked out");
            List<String> infos = messages(records, Level.INFO);
            assertEquals(1, infos.size(), infos.toString());
            assertEquals("Maintenance flag file " + flag + ": its directory " + home + " is another one now (was: "
                    + describe(mountPoint) + "; now: " + describe(share) + "). Maintenance is off here, and the flag"
                    + " file in this directory is followed from now on. If a shared home was unmounted, mount it"
                    + " again: a flag file written on it is not seen by this node until then", infos.get(0));

            write(share.resolve("maintenance.flag"), "{\"mode\":\"read-only\"}");
            assertEquals("read-only", w.poll("file", false).modeText(), "a flag on the share applies");
            pointLink(home, mountPoint); // and now it is unmounted
            assertEquals("read-only", w.poll("file", false).modeText(), "the share is the directory now");
            assertEquals(1, messages(records, Level.WARNING).size(), "held, and said so");
        } finally {
            release(records);
        }
    }

    @Test
    void anotherDirectoryHoldingAFlagIsAppliedAndFollowedFromThen() throws IOException {
        Path share = Files.createDirectory(dir.resolve("share"));
        Path other = Files.createDirectory(dir.resolve("other-share"));
        Path mountPoint = Files.createDirectory(dir.resolve("mount-point"));
        Path home = Files.createSymbolicLink(dir.resolve("shared-home"), share);
        Path flag = home.resolve("maintenance.flag");
        write(share.resolve("maintenance.flag"), "");
        write(other.resolve("maintenance.flag"), "{\"mode\":\"read-only\",\"message\":\"other\"}");
        FlagFileWatcher w = watcher(flag);
        List<LogRecord> records = capture();
        try {
            assertEquals("full", w.refresh("file").modeText());
            pointLink(home, other);
            MaintenanceState state = w.poll("file", false);
            assertEquals("read-only", state.modeText(), "a flag file is obeyed wherever the path leads");
            assertEquals("other", state.settings().message());
            assertTrue(messages(records, Level.INFO).get(0).endsWith(" and it holds a flag file: applying it, and"
                    + " following the flag file in this directory from now on"), messages(records, Level.INFO).toString());

            pointLink(home, mountPoint);
            assertEquals("read-only", w.poll("file", false).modeText(), "the other share is the one that counts now");
            Files.delete(share.resolve("maintenance.flag"));
            pointLink(home, share);
            assertEquals("read-only", w.poll("file", false).modeText(), "the first share is not the one that counts");
        } finally {
            release(records);
        }
    }

    @Test
    void anAdminsChangeThroughJmxAcceptsTheDirectoryAsItIs() throws Exception {
        Path share = Files.createDirectory(dir.resolve("share"));
        Path moved = Files.createDirectory(dir.resolve("moved-share"));
        Path home = Files.createSymbolicLink(dir.resolve("shared-home"), share);
        Path flag = home.resolve("maintenance.flag");
        write(share.resolve("maintenance.flag"), "");
        FlagFileWatcher w = watcher(flag);
        List<LogRecord> records = capture();
        try {
            assertTrue(w.refresh("file").isActive());
            pointLink(home, moved); // moved on purpose, the flag left behind
            assertTrue(w.poll("file", false).isActive());
            w.change("JMX", () -> FlagFileWriter.delete(flag)); // JMX disable on this node
            assertFalse(w.current().isActive());
            assertTrue(messages(records, Level.INFO).stream().anyMatch(m -> m.contains("is another one now")
                    && m.endsWith("; accepted by a change through JMX: maintenance is off, and the flag file in this"
                    + " directory is followed from now on")), messages(records, Level.INFO).toString());
            assertTrue(Files.exists(share.resolve("maintenance.flag")), "the old directory's file is not touched");
            assertFalse(w.poll("file", false).isActive(), "the moved share counts now");
        } finally {
            release(records);
        }
    }

    @Test
    void aRestartAcceptsTheDirectoryItFinds() throws IOException {
        Path share = Files.createDirectory(dir.resolve("share"));
        Path moved = Files.createDirectory(dir.resolve("moved-share"));
        Path home = Files.createSymbolicLink(dir.resolve("shared-home"), share);
        Path flag = home.resolve("maintenance.flag");
        write(share.resolve("maintenance.flag"), "");
        assertTrue(watcher(flag).refresh("file").isActive());
        pointLink(home, moved);
        assertTrue(watcher.poll("file", false).isActive());
        watcher.stop();
        assertFalse(watcher(flag).refresh("file").isActive(), "a new watcher has no directory to compare with");
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

    @Test
    void aStateTheListenerCouldNotApplyIsNotKeptAndIsOfferedAgainAtTheNextPoll() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        int[] failuresLeft = {3};
        watcher = new FlagFileWatcher(flag, 20, clock, "test-watcher-" + System.nanoTime(), (previous, current, source) -> {
            if (failuresLeft[0]-- > 0) {
                throw new NoClassDefFoundError("org/maintenancevalve/response/HtmlPage");
            }
            changes.add(previous.modeText() + "->" + current.modeText() + " by " + source);
        });
        List<LogRecord> records = capture();
        try {
            write(flag, "");
            for (int i = 0; i < 3; i++) {
                assertEquals("off", watcher.poll("file", false).modeText(), "not applied: not in force");
                assertEquals("off", watcher.current().modeText());
            }
            List<LogRecord> errors = records.stream().filter(r -> r.getLevel() == Level.SEVERE).collect(Collectors.toList());
            assertEquals(1, errors.size(), "one ERROR while the same failure lasts, not one per poll");
            assertEquals("Maintenance flag file " + flag + ": the state full could not be applied; the state in force"
                    + " stays off, and it is tried again at each poll", errors.get(0).getMessage());
            assertInstanceOf(NoClassDefFoundError.class, errors.get(0).getThrown());

            assertEquals("full", watcher.poll("file", false).modeText(), "applied at the next poll");
            assertEquals(List.of("off->full by file"), changes, "named by its cause, the file");
            assertTrue(messages(records, Level.INFO).contains("Maintenance flag file " + flag
                    + ": the state full is applied now"), records.toString());
        } finally {
            release(records);
        }
    }

    // ------------------------------------------------------------ real mounts (root)

    /** Runs a command; its exit code (-1 when it did not end in time). */
    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    private void assumeMountsWork() throws IOException, InterruptedException {
        Path probe = Files.createDirectory(dir.resolve("mount-probe"));
        org.junit.jupiter.api.Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "probe", probe.toString()) == 0,
                "skipped: mounting a tmpfs needs root and permission to mount (CI runs as root)");
        assertEquals(0, run("umount", probe.toString()));
    }

    /** Unmounts everything mounted on {@code path}, lazily if busy. */
    private static void unmountAll(Path path) throws IOException, InterruptedException {
        for (int i = 0; i < 5 && run("mountpoint", "-q", path.toString()) == 0; i++) {
            if (run("umount", path.toString()) != 0) {
                run("umount", "-l", path.toString());
            }
        }
    }

    @Test
    void aRealShareMountedAgainWithAnotherDeviceNumberIsTheSameShareAndAnotherShareIsNot() throws Exception {
        assumeMountsWork();
        Path home = Files.createDirectory(dir.resolve("shared-home"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path flag = home.resolve("maintenance.flag");
        try {
            assertEquals(0, run("mount", "-t", "tmpfs", "-o", "mode=0755", "share-a", home.toString()));
            Object firstDevice = Files.getAttribute(home, "unix:dev");
            write(flag, "");
            FlagFileWatcher w = watcher(flag);
            assertTrue(w.refresh("file").isActive());

            assertEquals(0, run("umount", home.toString()));
            assertTrue(w.poll("file", false).isActive(), "the bare mount point does not end maintenance");
            // Another file system takes the device number the share had, as on a busy host.
            assertEquals(0, run("mount", "-t", "tmpfs", "other", elsewhere.toString()));
            assertEquals(0, run("mount", "-t", "tmpfs", "share-b", home.toString()));
            assertTrue(w.poll("file", false).isActive(), "another share without the flag does not end it either");
            assertEquals(0, run("umount", home.toString()));

            assertEquals(0, run("mount", "-t", "tmpfs", "-o", "mode=0755", "share-a", home.toString()));
            org.junit.jupiter.api.Assumptions.assumeFalse(firstDevice.equals(Files.getAttribute(home, "unix:dev")),
                    "skipped: the share got its old device number back");
            assertFalse(w.poll("file", false).isActive(),
                    "the same share, mounted again without the flag (removed meanwhile): off, whatever its device number");
            assertEquals(List.of("off->full by file", "full->off by file"), changes);
        } finally {
            unmountAll(home);
            unmountAll(elsewhere);
        }
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
