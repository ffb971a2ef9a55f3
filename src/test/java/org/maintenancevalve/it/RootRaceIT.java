package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Root is never tricked into handing over a file. An unprivileged racer ({@link LinkSwapper},
 * uid 65534 through {@code setpriv}) owns the directory root is asked to write into and swaps a
 * symbolic link to a root-only victim in under every new name there, while root runs the command
 * line's {@code on} (the real jar, 20 times: it acts as the directory's owner), JMX {@code enable} on a real Tomcat running as root
 * (500 times) and the installer (the real jar, 50 times) on a Tomcat whose {@code conf/} and
 * {@code lib/} the racer owns. The victim's owner, group, permissions and content never change, and each run
 * refuses with the way out. Needs root and {@code setpriv} (CI runs as root); skipped otherwise.
 */
class RootRaceIT {

    private static final int RUNS = 50;
    /** Each run of on is two JVMs now (root's, and the one it runs as the directory's owner). */
    private static final int ON_RUNS = 20;
    /** JMX calls are cheap, and the old writer's window there was microseconds: the racer needed 63 calls once. */
    private static final int JMX_RUNS = 500;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Victim victim;
    private Path work;

    @BeforeEach
    void rootAndSetprivOnly() throws Exception {
        boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        boolean setpriv = Files.isExecutable(Paths.get("/usr/bin/setpriv"));
        if (!root || !setpriv) {
            String reason = "RootRaceIT skipped: it needs root (CI runs as root) and /usr/bin/setpriv to run an "
                    + "unprivileged racer; root=" + root + ", setpriv=" + setpriv;
            System.out.println(reason);
            Assumptions.assumeTrue(false, reason);
        }
        victim = Victim.create();
        work = Files.createDirectories(Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath()
                .resolve("root-race-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet()));
    }

    @AfterEach
    void removeVictim() throws IOException {
        if (victim != null) {
            victim.delete();
        }
    }

    /**
     * Root's {@code on} in the racer's directory runs as the racer (the directory's owner: see
     * {@code ActingUser}), so it writes nothing as root there; whatever the racer swaps in, it
     * swaps under its own process.
     */
    @Test
    void onAsRootNeverChangesAnotherFileAndActsAsTheDirectorysOwner() throws Exception {
        Path flags = racerOwned(work.resolve("flags"));
        Path flag = flags.resolve("maintenance.flag");
        List<Run> runs = new ArrayList<>();
        long swaps;
        try (LinkSwapper.Running racer = LinkSwapper.start(victim.path(), flags)) {
            for (int i = 0; i < ON_RUNS; i++) {
                runs.add(jar("on", "--flag", flag.toString(), "--message", "race " + i, "--bypass", "--no-wait"));
            }
            swaps = racer.stop();
        }
        victim.assertUnchanged("while root ran `on` " + ON_RUNS + " times in the racer's directory");
        for (Run run : runs) {
            assertTrue(run.output.startsWith("maintenance-valve on: as root, this runs as nobody (uid 65534, gid 65534):"
                    + " nobody owns " + flags + ", the flag file's directory"), run.output);
        }
        try (Stream<Path> entries = Files.list(flags)) {
            for (Path entry : entries.toList()) {
                assertEquals(65534, Files.getAttribute(entry, "unix:uid", LinkOption.NOFOLLOW_LINKS), "nothing of root's: " + entry);
            }
        }
        System.out.println("on: " + ON_RUNS + " runs as nobody, the racer swapped " + swaps + " names");
    }

    @Test
    void jmxEnableOnATomcatRunningAsRootNeverChangesAnotherFile() throws Exception {
        Path flags = racerOwned(work.resolve("flags"));
        Path flag = flags.resolve("maintenance.flag");
        String version = System.getProperty("tomcat9.version");
        List<String> answers = new ArrayList<>();
        long swaps;
        Object mode;
        String log;
        try (TomcatServer tomcat = TomcatServer.builder(version).name("root-race")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"200\"").start();
             LinkSwapper.Running racer = LinkSwapper.start(victim.path(), flags)) {
            MBeanServerConnection jmx = tomcat.jmx();
            ObjectName valve = CoreScenarios.valveName(jmx);
            for (int i = 0; i < JMX_RUNS; i++) {
                answers.add(enable(jmx, valve, "race " + i));
            }
            swaps = racer.stop();
            mode = jmx.getAttribute(valve, "mode");
            log = tomcat.log();
        }
        victim.assertUnchanged("while root's Tomcat ran JMX enable " + JMX_RUNS + " times in the racer's directory");
        for (String answer : answers) {
            assertTrue(answer.contains("Refusing to write " + flag + " as root"), answer);
        }
        assertEquals("off", mode, "no change claimed");
        assertTrue(log.contains("JMX change failed, the state in force is unchanged: Refusing to write " + flag), log);
        assertFalse(Files.exists(flag, LinkOption.NOFOLLOW_LINKS), "no flag written");
        System.out.println("JMX enable: " + JMX_RUNS + " calls refused, the racer swapped " + swaps + " names");
    }

    @Test
    void installAndUninstallAsRootNeverChangeAnotherFile() throws Exception {
        String version = System.getProperty("tomcat9.version");
        Path home = TomcatServer.homeOf(version);
        Path install = Files.createDirectories(work.resolve("tomcat"));
        Path conf = Files.createDirectories(install.resolve("conf"));
        Path lib = Files.createDirectories(install.resolve("lib"));
        Files.copy(home.resolve("conf/server.xml"), conf.resolve("server.xml"));
        Files.copy(home.resolve("lib/catalina.jar"), lib.resolve("catalina.jar"));
        Run installed = jar("install", install.toString(), "--jar", valveJar().toString());
        assertEquals(0, installed.code, "installed while conf/ and lib/ are root's: " + installed.output);
        // Then the Tomcat user gets conf/ and lib/, as in a tarball install chowned to it.
        for (Path dir : List.of(conf, lib)) {
            giveToNobody(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    giveToNobody(file);
                }
            }
        }
        byte[] serverXml = Files.readAllBytes(conf.resolve("server.xml"));
        List<String> libFiles = names(lib);

        List<Run> runs = new ArrayList<>();
        long swaps;
        try (LinkSwapper.Running racer = LinkSwapper.start(victim.path(), conf, lib)) {
            for (int i = 0; i < RUNS; i++) {
                runs.add(i % 2 == 0
                        ? jar("install", install.toString(), "--jar", valveJar().toString(), "--poll-interval", String.valueOf(500 + i))
                        : jar("uninstall", install.toString()));
            }
            swaps = racer.stop();
        }
        victim.assertUnchanged("while root ran install and uninstall " + RUNS + " times on the racer's conf/ and lib/");
        for (Run run : runs) {
            assertEquals(1, run.code, run.output);
            assertTrue(run.output.contains("as root: " + conf + " is owned by nobody"), run.output);
            assertTrue(run.output.contains("Nothing was changed. Run it as nobody instead: sudo -u nobody install/"), run.output);
        }
        assertArrayEquals(serverXml, Files.readAllBytes(conf.resolve("server.xml")), "server.xml as it was");
        assertEquals(libFiles, names(lib), "lib/ as it was");
        System.out.println("install/uninstall: " + RUNS + " runs refused, the racer swapped " + swaps + " names");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ------------------------------------------------------------ helpers

    /** Creates {@code dir} and gives it to uid/gid 65534, the racer. */
    private static Path racerOwned(Path dir) throws IOException {
        Files.createDirectories(dir);
        giveToNobody(dir);
        return dir;
    }

    private static void giveToNobody(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal nobody = lookup.lookupPrincipalByName("65534");
        GroupPrincipal nogroup = lookup.lookupPrincipalByGroupName("65534");
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(nobody);
        view.setGroup(nogroup);
    }

    private static String enable(MBeanServerConnection jmx, ObjectName valve, String message) {
        try {
            jmx.invoke(valve, "enable", new Object[] {message, 10}, new String[] {"java.lang.String", "int"});
            return "enable succeeded";
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append(" | ");
            }
            return all.toString();
        }
    }

    private static Path valveJar() {
        return Paths.get(System.getProperty("maintenancevalve.jar")).toAbsolutePath();
    }

    private static final class Run {
        final int code;
        final String output;

        Run(int code, String output) {
            this.code = code;
            this.output = output;
        }
    }

    /** {@code java -jar <the built jar> <args>} as this user (root), output and exit code. */
    private Run jar(String... args) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", valveJar().toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(work.toFile());
        builder.environment().remove("MAINTENANCE_FLAG");
        builder.environment().remove("CATALINA_HOME");
        builder.environment().remove("CATALINA_BASE");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the jar ends: " + command);
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
