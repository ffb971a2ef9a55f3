package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServerConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flag file in a shared home that is really mounted and unmounted while Tomcat runs (as root):
 * the shared home's mount point is the flag's directory, and two tmpfs file systems stand for the
 * NFS servers' shares (mounted elsewhere, so what they hold outlives an unmount of the shared home,
 * as on a server); a share is "mounted" on the shared home by a bind mount of it. One Tomcat for
 * all; each test starts and ends with the bare mount point and maintenance off.
 */
abstract class SharedHomeScenarios extends TomcatScenarios {

    static final Duration DEADLINE = TOGGLE_DEADLINE;

    /** The shared home's mount point: the flag file's directory. */
    private Path sharedHome;
    /** The shares, as their servers keep them. */
    private Path shareA;
    private Path shareB;

    SharedHomeScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void mountTheSharesAndStartTomcat() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("it.work.dir"), "shared-home-" + version));
        sharedHome = work.resolve("shared-home");
        shareA = work.resolve("server-a");
        shareB = work.resolve("server-b");
        for (Path path : new Path[] {sharedHome, shareA, shareB}) {
            unmountAll(path); // left over by a run that was killed
            Files.createDirectories(path);
        }
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "mode=0755", "share-a", shareA.toString()) == 0,
                "skipped: mounting a tmpfs needs root and permission to mount (CI runs as root)");
        assertEquals(0, run("mount", "-t", "tmpfs", "-o", "mode=0755", "share-b", shareB.toString()));
        flag = sharedHome.resolve("maintenance.flag");
        Files.deleteIfExists(flag);
        // Tomcat starts before the shared home is mounted: maintenance is off until then.
        tomcat = TomcatServer.builder(version).name("shared-home")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"" + POLL_MILLIS + "\"")
                .start();
    }

    @AfterAll
    void unmountEverything() throws Exception {
        if (sharedHome != null) {
            unmountAll(sharedHome);
            unmountAll(shareA);
            unmountAll(shareB);
        }
        if (tomcat != null) {
            assertFalse(tomcat.log().contains("at org.maintenancevalve."), "no stack trace from our code in the log");
        }
    }

    /** Back to the bare mount point, accepted through JMX (an admin's change), and maintenance off. */
    @AfterEach
    void backToTheBareMountPoint() throws Exception {
        Files.deleteIfExists(shareA.resolve("maintenance.flag"));
        Files.deleteIfExists(shareB.resolve("maintenance.flag"));
        unmountAll(sharedHome);
        Files.deleteIfExists(flag);
        MBeanServerConnection jmx = tomcat.jmx();
        jmx.invoke(CoreScenarios.valveName(jmx), "disable", new Object[0], new String[0]);
        Await.until(DEADLINE, "off on the bare mount point", () -> status("/") == 200);
    }

    @Test
    void aShareMountedAfterTomcatStartedIsFollowedAndNobodyIsLockedOut() throws Exception {
        assertEquals(200, status("/"));
        int accepted = count("is another one now");
        mount(shareA);
        awaitLog("the share, mounted with no flag, is followed", "is another one now", accepted + 1);
        assertTrue(lastLine("is another one now").contains("Maintenance is off here"), lastLine("is another one now"));
        for (int i = 0; i < 10; i++) {
            assertEquals(200, status("/"), "nobody is locked out");
        }
        Files.writeString(flag, "{\"message\":\"on the share\"}");
        Await.until(DEADLINE, "a flag on the share applies", () -> status("/") == 503);
        Files.delete(flag);
        Await.until(DEADLINE, "and its removal", () -> status("/") == 200);
    }

    @Test
    void aShareMountedWithAFlagOnItHoldsUsersOutAtOnce() throws Exception {
        Files.writeString(shareA.resolve("maintenance.flag"), "{\"message\":\"already on\"}");
        assertEquals(200, status("/"), "not mounted yet");
        int applied = count("and it holds a flag file: applying it");
        mount(shareA);
        Await.until(DEADLINE, "the flag on the newly mounted share applies", () -> status("/") == 503);
        awaitLog("said", "and it holds a flag file: applying it", applied + 1);
    }

    @Test
    void anUnmountedShareKeepsMaintenanceOnWithOneWarningUntilItIsMountedAgain() throws Exception {
        mount(shareA);
        Files.writeString(flag, "{\"message\":\"XML backup\"}");
        Await.until(DEADLINE, "on", () -> status("/") == 503);

        int warnings = count("is not the one the state in force was read from");
        unmount(sharedHome);
        assertHeldOut("unmounted: the bare mount point holds no flag");
        String warning = awaitLog("the WARN", "is not the one the state in force was read from", warnings + 1);
        assertTrue(Pattern.compile("WARN.* Maintenance flag file " + Pattern.quote(flag.toString()) + ": its directory "
                + Pattern.quote(sharedHome.toString()) + " is not the one .*\\(was: file system \"share-a\" \\(\"tmpfs\"\\),"
                + " inode 1; now: file system .*Keeping the last known state \\(full\\).*Fix: mount the shared home at "
                + Pattern.quote(sharedHome.toString()) + " again").matcher(warning).find(), warning);
        assertEquals(warnings + 1, count("is not the one the state in force was read from"), "one WARN, not one per poll");

        int back = count("is the one it was again");
        mount(shareA);
        awaitLog("the INFO", "is the one it was again", back + 1);
        assertHeldOut("mounted again, with the flag: still on");
        Files.delete(flag);
        Await.until(DEADLINE, "the flag's removal is followed again", () -> status("/") == 200);
    }

    @Test
    void aShareMountedAgainWithoutItsFlagIsOffAndAnotherShareEndsNothing() throws Exception {
        mount(shareA);
        Files.writeString(flag, "");
        Await.until(DEADLINE, "on", () -> status("/") == 503);
        int warnings = count("is not the one the state in force was read from");
        unmount(sharedHome);
        awaitLog("the WARN for the bare mount point", "is not the one the state in force was read from", warnings + 1);

        mount(shareB); // another share, no flag on it
        String warning = awaitLog("a WARN for the other share", "is not the one the state in force was read from",
                warnings + 2);
        assertTrue(warning.contains("now: file system \"share-b\""), warning);
        assertHeldOut("another share does not end maintenance");
        unmount(sharedHome);

        Files.delete(shareA.resolve("maintenance.flag")); // maintenance ended (by another node) meanwhile
        int back = count("is the one it was again");
        mount(shareA);
        Await.until(DEADLINE, "off: the share says so", () -> status("/") == 200);
        awaitLog("the INFO", "is the one it was again", back + 1);
    }

    // ------------------------------------------------------------ helpers

    private void mount(Path share) throws Exception {
        assertEquals(0, run("mount", "--bind", share.toString(), sharedHome.toString()), "mount " + share);
    }

    private static void unmount(Path path) throws Exception {
        if (run("umount", path.toString()) != 0) {
            assertEquals(0, run("umount", "-l", path.toString()), "umount -l " + path); // busy: detach it lazily
        }
    }

    /** Unmounts whatever is mounted on {@code path}, repeatedly. */
    private static void unmountAll(Path path) throws Exception {
        for (int i = 0; i < 5 && Files.isDirectory(path) && run("mountpoint", "-q", path.toString()) == 0; i++) {
            if (run("umount", path.toString()) != 0) {
                run("umount", "-l", path.toString());
            }
        }
    }

    /** Ten requests or more, spread over three polls at least: each one held out, none reaching the app. */
    private void assertHeldOut(String why) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * POLL_MILLIS);
        int held = 0;
        while (held < 10 || System.nanoTime() < end) {
            Http.Response response = get("/");
            assertEquals(503, response.status(), why + " (after " + held + " held out)");
            assertFalse(response.body().contains("SAMPLE-APP"), why);
            held++;
            if (held < 10) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS / 3));
            }
        }
    }

    private int count(String text) {
        return CoreScenarios.count(tomcat.log(), text);
    }

    /** The last log line holding {@code text}. */
    private String lastLine(String text) {
        String[] lines = tomcat.log().split("\r?\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].contains(text)) {
                return lines[i];
            }
        }
        return null;
    }

    /** Waits until {@code text} has been logged {@code times} times; returns the last line holding it. */
    private String awaitLog(String what, String text, int times) {
        Await.until(DEADLINE, what + " (" + text + " logged " + times + " times)", () -> count(text) >= times);
        return lastLine(text);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
