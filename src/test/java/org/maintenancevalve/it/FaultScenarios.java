package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate holds when the file system or the input misbehaves: a vanished directory, a directory
 * or a broken link in place of the flag, a file rewritten while read, a huge file, a full or
 * read-only disk under JMX, a restart with the flag present, and bad server.xml values.
 */
abstract class FaultScenarios extends TomcatScenarios {

    static final Duration DEADLINE = TOGGLE_DEADLINE;

    private Path dir;

    FaultScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void start() throws IOException {
        dir = Files.createDirectories(Path.of(System.getProperty("it.work.dir"), "fault-flags-" + version));
        flag = dir.resolve("maintenance.flag");
        deleteTree(flag);
        tomcat = TomcatServer.builder(version).name("faults")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"" + POLL_MILLIS + "\"")
                .start();
    }

    @AfterAll
    void noStackTraceOfOurs() {
        if (tomcat != null) {
            tomcat.close();
            assertFalse(tomcat.log().contains("at org.maintenancevalve."), "no stack trace from our code in the log");
        }
    }

    @AfterEach
    void restore() throws IOException {
        Path away = away();
        if (Files.isDirectory(away) && !Files.exists(dir)) {
            Files.move(away, dir); // the same directory back: a new one would not end maintenance
        }
        Files.createDirectories(dir);
        deleteTree(flag);
        Await.until(Duration.ofSeconds(5), "recovered: off", () -> status() == 200);
    }

    private int status() {
        return status("/");
    }

    private void on(String content) throws IOException {
        Files.writeString(flag, content);
        Await.until(DEADLINE, "on", () -> status() == 503);
    }

    private void assertStaysOnFor(Duration duration, String why) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            assertEquals(503, status(), why);
        }
    }

    private Duration threePolls() {
        return Duration.ofMillis(3 * POLL_MILLIS);
    }

    private Path away() {
        return dir.resolveSibling(dir.getFileName() + ".away");
    }

    @Test
    void aVanishedDirectoryKeepsMaintenanceOnAndRecovers() throws IOException {
        on("{\"message\":\"nfs\"}");
        Files.move(dir, away()); // the shared home went away
        tomcat.waitForLog("WARN.*" + java.util.regex.Pattern.quote(dir.toString()) + " does not exist", DEADLINE);
        assertStaysOnFor(threePolls(), "a vanished directory must not end maintenance");
        assertEquals(1, CoreScenarios.count(tomcat.log(), dir + " does not exist"), "one WARN, not one per poll");
        Files.move(away(), dir); // and came back
        Files.delete(flag);
        Await.until(DEADLINE, "recovered by itself: off", () -> status() == 200);
    }

    @Test
    void aDirectoryABrokenLinkOrALinkLoopInPlaceOfTheFlagKeepsItOn() throws IOException {
        on("");
        // Each link takes the flag's place by one rename: the watcher never sees the flag absent.
        replaceByRename(dir.resolve("nowhere"));
        tomcat.waitForLog("WARN.*symbolic link to a file that does not exist", DEADLINE);
        assertStaysOnFor(threePolls(), "a dangling link");

        Path other = dir.resolve("loop");
        Files.createSymbolicLink(other, flag);
        try {
            replaceByRename(other);
            tomcat.waitForLog("WARN.*" + java.util.regex.Pattern.quote(flag.toString()) + " cannot be examined", DEADLINE);
            assertStaysOnFor(threePolls(), "a link loop");
        } finally {
            Files.delete(flag);
            Files.delete(other);
        }
        Await.until(DEADLINE, "off once the link loop is gone", () -> status() == 200);

        // No rename puts a directory in a file's place: the flag is absent for a moment, and a poll
        // in that moment rightly ends maintenance. Such a try says nothing about a directory and is
        // made again.
        for (int attempt = 1; ; attempt++) {
            on("");
            int offBefore = CoreScenarios.count(tomcat.log(), "Maintenance OFF");
            int warnedBefore = CoreScenarios.count(tomcat.log(), "is a directory, not a file");
            Files.delete(flag);
            Files.createDirectory(flag);
            Await.until(DEADLINE, "a WARN: the flag is a directory",
                    () -> CoreScenarios.count(tomcat.log(), "is a directory, not a file") > warnedBefore);
            if (CoreScenarios.count(tomcat.log(), "Maintenance OFF") == offBefore) {
                break;
            }
            assertTrue(attempt < 5, "a poll fell between removing the file and making the directory 5 times in a row");
            Files.delete(flag);
        }
        assertStaysOnFor(threePolls(), "a directory in place of the flag");
    }

    /** Puts a symbolic link to {@code target} in the flag's place by one atomic rename. */
    private void replaceByRename(Path target) throws IOException {
        Path link = dir.resolve("maintenance.flag.new-link");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target);
        Files.move(link, flag, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aFileRewrittenInPlaceWhileReadNeverOpensTheGate() throws Exception {
        String a = "{\"message\":\"AAAA first message\"}";
        String b = "{\"message\":\"BB second\",\"until\":\"" + java.time.Instant.now().plusSeconds(3600) + "\"}";
        on(a);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            boolean first = false;
            while (writing.get()) {
                try (RandomAccessFile file = new RandomAccessFile(flag.toFile(), "rw")) {
                    byte[] bytes = (first ? a : b).getBytes(StandardCharsets.UTF_8);
                    file.setLength(0);
                    file.write(bytes, 0, bytes.length / 2); // a write in progress, visible to readers
                    file.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                first = !first;
            }
        });
        writer.start();
        int counted = 0;
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < end) {
                Http.Response response = Http.get(tomcat.httpPort(), "/", "Accept", "text/html");
                assertEquals(503, response.status(), "never the app, never a 500");
                assertTrue(response.body().contains("AAAA first message") || response.body().contains("BB second")
                        || response.body().contains("down for planned maintenance"), response.body());
                counted++;
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        assertTrue(counted > 10, "requests made: " + counted);
    }

    @Test
    void aHundredMegabyteFileIsReadBoundedAndStillBlocks() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(flag.toFile(), "rw")) {
            file.setLength(100L * 1024 * 1024);
        }
        Await.until(DEADLINE, "blocked", () -> status() == 503);
        tomcat.waitForLog("WARN.*larger than 65536 bytes", DEADLINE);
        long started = System.nanoTime();
        assertEquals(503, status());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2), "requests are not slowed by the file");
    }

    @Test
    void jmxOnAReadOnlyOrFullDiskFailsClearlyAndClaimsNothing() throws Exception {
        Path mount = Files.createTempDirectory("mv-fault-disk");
        // mode=0755: a tmpfs root is 1777 by default, and root's Tomcat writes only where only root can change the directory
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", mount.toString()) == 0,
                "needs permission to mount a tmpfs (root in CI)");
        Path smallFlag = mount.resolve("maintenance.flag");
        try (TomcatServer small = TomcatServer.builder(version).name("small-disk")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + smallFlag + "\"").start()) {
            MBeanServerConnection jmx = small.jmx();
            ObjectName valve = CoreScenarios.valveName(jmx);

            // Full: fill the file system to the last byte.
            try (RandomAccessFile filler = new RandomAccessFile(mount.resolve("filler").toFile(), "rw")) {
                byte[] block = new byte[1024];
                try {
                    while (true) {
                        filler.write(block);
                    }
                } catch (IOException full) {
                    // full to the block; now to the byte
                }
                try {
                    while (true) {
                        filler.write(0);
                    }
                } catch (IOException full) {
                    // the disk is full now
                }
            }
            String message = enableFails(jmx, valve);
            assertTrue(message.contains("Cannot write the maintenance flag"), message);
            assertEquals("off", jmx.getAttribute(valve, "mode"), "no claim of a change the file does not hold");
            assertEquals(200, Http.get(small.httpPort(), "/").status());
            assertFalse(Files.exists(smallFlag));
            try (Stream<Path> files = Files.list(mount)) {
                assertEquals(1, files.count(), "no temporary file left behind");
            }
            small.waitForLog("SEVERE.*JMX change failed", Duration.ofSeconds(5));
            Files.delete(mount.resolve("filler"));

            // Read-only.
            assertEquals(0, run("mount", "-o", "remount,ro", mount.toString()));
            message = enableFails(jmx, valve);
            assertTrue(message.contains("Cannot write the maintenance flag"), message);
            assertEquals("off", jmx.getAttribute(valve, "mode"));
        } finally {
            run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private static String enableFails(MBeanServerConnection jmx, ObjectName valve) {
        try {
            jmx.invoke(valve, "enable", new Object[] {"backup", 10}, new String[] {"java.lang.String", "int"});
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append(" | ");
            }
            return all.toString();
        }
        throw new AssertionError("enable succeeded on a disk that cannot take the file");
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

    @Test
    void aRestartWithTheFlagPresentNeverServesTheApp() throws IOException {
        Path restartFlag = dir.resolve("restart.flag");
        Files.writeString(restartFlag, "{\"message\":\"restart\"}");
        String attributes = "flagFile=\"" + restartFlag + "\" pollInterval=\"" + POLL_MILLIS + "\"";
        TomcatServer first = TomcatServer.builder(version).name("restart").valve(TomcatServer.Level.HOST, attributes).start();
        Path base = first.baseDir();
        assertEquals(503, Http.get(first.httpPort(), "/").status());
        first.close();
        try (TomcatServer second = TomcatServer.builder(version).name("restart").baseDir(base)
                .valve(TomcatServer.Level.HOST, attributes).start(false)) {
            List<Integer> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // Hammer from the first moment the port answers until well after start-up.
            while (!second.log().contains("Server startup in") && System.nanoTime() < deadline) {
                try {
                    Http.Response response = Http.get(second.httpPort(), "/");
                    assertFalse(response.body().contains("SAMPLE-APP"), "the app answered during start-up");
                    seen.add(response.status());
                } catch (RuntimeException notListeningYet) {
                    // nothing served
                }
            }
            for (int i = 0; i < 20; i++) {
                Http.Response response = Http.get(second.httpPort(), "/");
                assertEquals(503, response.status(), response.toString());
                seen.add(response.status());
            }
            assertTrue(seen.stream().allMatch(s -> s == 503), "only maintenance answers: " + seen);
        } finally {
            Files.deleteIfExists(restartFlag);
        }
    }

    @Test
    void aFlagThatCannotBeExaminedAtStartBlocksFromTheFirstRequestUntilItCan() throws IOException {
        // The shared home is not mounted yet when Tomcat starts: its directory does not exist.
        Path unmounted = dir.resolve("not-mounted-yet");
        deleteTree(unmounted);
        Path unmountedFlag = unmounted.resolve("maintenance.flag");
        try (TomcatServer server = TomcatServer.builder(version).name("unexamined")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + unmountedFlag + "\" pollInterval=\""
                        + POLL_MILLIS + "\"").start(false)) {
            List<Integer> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // From the first moment the port answers until well after start-up.
            while (!server.log().contains("Server startup in") && System.nanoTime() < deadline) {
                try {
                    Http.Response response = Http.get(server.httpPort(), "/");
                    assertFalse(response.body().contains("SAMPLE-APP"), "the app answered during start-up");
                    seen.add(response.status());
                } catch (RuntimeException notListeningYet) {
                    // nothing served
                }
            }
            for (int i = 0; i < 20; i++) {
                seen.add(Http.get(server.httpPort(), "/").status());
            }
            assertTrue(seen.stream().allMatch(s -> s == 503), "only maintenance answers: " + seen);
            assertStaysOnFor(server, threePolls(), "still unexamined");
            server.waitForLog("WARN.*" + java.util.regex.Pattern.quote(unmounted.toString())
                    + " does not exist.*not been examined since the valve started", DEADLINE);
            assertEquals(1, CoreScenarios.count(server.log(), "not been examined since the valve started"),
                    "one WARN, not one per poll");

            Files.createDirectories(unmounted); // mounted: no flag in it
            Await.until(DEADLINE, "open once the flag can be examined", () -> Http.get(server.httpPort(), "/").status() == 200);
        } finally {
            deleteTree(unmounted);
        }
    }

    private static void assertStaysOnFor(TomcatServer server, Duration duration, String why) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            assertEquals(503, Http.get(server.httpPort(), "/").status(), why);
        }
    }

    @Test
    void badServerXmlValuesStopTheValveNamingAttributeAndValue() throws IOException {
        for (String[] bad : new String[][] {
            {"allow=\"10.0.0.0/33\"", "allow=\"10.0.0.0/33\""},
            {"adminPort=\"http\"", "adminPort=\"http\""},
            {"preset=\"bamboo\"", "preset=\"bamboo\""},
            {"retryAfter=\"soon\"", "retryAfter=\"soon\""},
            {"bypassSecret=\"short\"", "bypassSecret=\"(hidden)\""}}) {
            try (TomcatServer server = TomcatServer.builder(version).name("bad-value")
                    .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" " + bad[0]).start(false)) {
                String line = server.waitForLog("SEVERE.*MaintenanceValve not started.*"
                        + java.util.regex.Pattern.quote(bad[1]), Duration.ofSeconds(60));
                assertFalse(line.contains("short\""), "a secret is never logged: " + line);
                try {
                    Http.Response response = Http.get(server.httpPort(), "/");
                    assertFalse(response.body().contains("SAMPLE-APP"), bad[0] + ": the app answered without the gate");
                } catch (RuntimeException nothingListening) {
                    // not serving at all: fine
                }
            }
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(path);
        }
    }
}
