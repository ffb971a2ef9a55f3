package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.maintenancevalve.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line from a root shell ({@code docker exec}, {@code kubectl exec}) while the product
 * runs as an unprivileged user: two "pods" (two Tomcats started as uid 65534, {@code nobody}, through
 * {@code setpriv}) share one flag directory that user owns, each installed by the recipe. Root runs
 * the real jar ({@code java -jar}, a JVM of its own, so the change of user is real): {@code on}
 * from pod 1 holds both out and confirms on pod 1, the flag file is that user's and root wrote
 * nothing; {@code status --jmx} says what each pod applies; {@code off} releases both; {@code run}
 * runs its command as that user, passes its exit code on, and a Ctrl-C of root's command ends the
 * window. Pod 1's CATALINA_BASE is all the user's ({@code chown -R jira}); pod 2's is root's but for
 * {@code logs/}, {@code temp/} and {@code work/}, as in Atlassian's images, so both ways of choosing
 * the user are taken. Needs root and setpriv (CI runs as root: there a missing setpriv fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RootShellScenarios {

    /** The unprivileged user the pods run as. */
    static final int USER = 65534;
    static final String USER_NAME = "nobody";
    static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    /** A page of the routing app a user would open (an action, as Jira's are). */
    static final String USER_PAGE = "/secure/Dashboard.jspa";

    final String version;
    private Path work;
    private Path shared;
    private Path flag;
    private TomcatServer pod1;
    private TomcatServer pod2;

    RootShellScenarios(String version) {
        this.version = version;
    }

    @BeforeAll
    void startTwoPods() throws IOException {
        boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
        boolean setpriv = Files.isExecutable(TomcatServer.SETPRIV);
        if (root && !setpriv && "true".equals(System.getenv("CI"))) {
            fail("RootShellScenarios: CI=true runs as root, and " + TomcatServer.SETPRIV + " (util-linux) is missing");
        }
        String reason = "RootShellScenarios skipped: it needs root (CI runs as root) and " + TomcatServer.SETPRIV
                + " to start Tomcat as an unprivileged user; root=" + root + ", setpriv=" + setpriv;
        if (!root || !setpriv) {
            System.out.println(reason);
        }
        assumeTrue(root && setpriv, reason);

        work = Files.createDirectories(Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath()
                .resolve("root-shell-" + version + "-" + ProcessHandle.current().pid()));
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        shared = giveToUser(Files.createDirectories(work.resolve("shared-home")));
        flag = shared.resolve("maintenance.flag");
        pod1 = pod("pod1").runAs(USER, USER).start();
        pod2 = pod("pod2").runAs(USER, USER, "logs", "temp", "work").start();
    }

    private TomcatServer.Builder pod(String name) {
        return TomcatServer.builder(version).name("root-shell-" + name).app("routing-app")
                .webappLib(RoutingScenarios.urlRewriteFilterJar(version)).installJar(false)
                .beforeLaunch(this::installByTheRecipe);
    }

    /**
     * The recipe's install step, the one place it lives: the install verb into
     * {@code conf/context.xml} (the form docs/containers.md installs in the official images), with
     * the flag file in the shared directory and Jira's preset (so {@code /status} answers during a
     * window).
     */
    private void installByTheRecipe(Path base) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(output, true);
        int code = Main.run(new String[] {"install", base.toString(), "--jar", JarRun.jar().toString(), "--flag", flag.toString(),
                "--preset", "jira", "--context-xml", "--catalina-home", TomcatServer.homeOf(version).toString()}, print, print, Map.of());
        assertEquals(0, code, output.toString(StandardCharsets.UTF_8));
    }

    @AfterEach
    void offAfterEachTest() throws IOException {
        if (flag != null && Files.deleteIfExists(flag)) {
            Await.until(Duration.ofSeconds(10), "both pods let users in after the test",
                    () -> Http.get(pod1.httpPort(), USER_PAGE).status() == 200 && Http.get(pod2.httpPort(), USER_PAGE).status() == 200);
        }
    }

    @AfterAll
    void stopPods() {
        for (TomcatServer pod : new TomcatServer[] {pod1, pod2}) {
            if (pod != null) {
                pod.close();
            }
        }
    }

    @Test
    void oneOnFromARootShellHoldsBothPodsOutStatusSaysWhatEachAppliesAndOffReleasesBoth() throws Exception {
        FileTime before = FileTime.fromMillis(System.currentTimeMillis() - 1000);
        Run on = jar("on", "--catalina-base", pod1.baseDir().toString(), "--for", "10m", "--message", "XML backup");
        assertEquals(0, on.code, on.all());
        assertTrue(on.err.startsWith("maintenance-valve on: as root, this runs as nobody (uid 65534, gid 65534): nobody owns "
                + pod1.baseDir() + ", so " + pod1.baseDir().resolve("conf/server.xml") + ", which names the flag file, is"
                + " nobody's word, not root's (setpriv, with this java and jar, in a session of its own).\n"), on.err);
        assertTrue(on.out.contains("  applied:       local Tomcat pid " + pod1.pid() + " [host=localhost, context=/]: full"),
                "confirmed on the pod it ran in: " + on.out);
        assertTrue(on.out.contains("Maintenance is on (full): applied by every valve reached"), on.out);
        for (TomcatServer pod : new TomcatServer[] {pod1, pod2}) {
            assertEquals(503, Http.get(pod.httpPort(), USER_PAGE).status(), "held out on " + pod);
            assertEquals(200, Http.get(pod.httpPort(), "/status").status(), "the readiness probe passes on " + pod);
        }
        assertOwnedByTheUser(flag);
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(flag)));
        assertTrue(Files.readString(flag).matches("(?s).*\"by\"\\s*:\\s*\"nobody@.*"), "set by: " + Files.readString(flag));
        assertNothingWrittenAsRoot(before);

        String nodes = "127.0.0.1:" + pod1.jmxPort() + ",127.0.0.1:" + pod2.jmxPort();
        Run status = jar("status", "--catalina-base", pod2.baseDir().toString(), "--jmx", nodes);
        assertEquals(0, status.code, status.all());
        assertTrue(status.err.startsWith("maintenance-valve status: as root, this runs as nobody (uid 65534, gid 65534):"
                + " nobody owns " + shared + ", the flag file's directory: it reads what that user writes, and asks that"
                + " user's Tomcat"), "pod 2's server.xml is root's: the flag's directory says whom: " + status.err);
        assertTrue(status.out.startsWith("Maintenance: full (on since "), status.out);
        assertTrue(status.out.contains("  message:      \"XML backup\""), status.out);
        assertTrue(status.out.contains("Live, 2 nodes:\n  127.0.0.1:" + pod1.jmxPort() + ": full since "), status.out);
        assertTrue(status.out.contains("\n  127.0.0.1:" + pod2.jmxPort() + ": full since "), status.out);

        Run off = jar("off", "--catalina-base", pod2.baseDir().toString());
        assertEquals(0, off.code, off.all());
        assertTrue(off.err.startsWith("maintenance-valve off: as root, this runs as nobody (uid 65534, gid 65534): nobody"
                + " owns " + shared + ", the flag file's directory, and root does not write where another user can change"
                + " things"), off.err);
        assertTrue(off.out.contains("  applied:       local Tomcat pid " + pod2.pid() + " [host=localhost, context=/]: off"), off.out);
        assertTrue(off.out.contains("Maintenance is off: applied by every valve reached"), off.out);
        assertFalse(Files.exists(flag, LinkOption.NOFOLLOW_LINKS));
        for (TomcatServer pod : new TomcatServer[] {pod1, pod2}) {
            assertEquals(200, Http.get(pod.httpPort(), USER_PAGE).status(), "released on " + pod);
        }
        assertNothingWrittenAsRoot(before);
    }

    @Test
    void runsCommandRunsAsThatUserItsExitCodePassesAndCtrlCEndsTheWindow() throws Exception {
        Path scratch = giveToUser(Files.createDirectories(work.resolve("command")));
        Path seen = scratch.resolve("seen");
        Path session = scratch.resolve("session");
        Run run = jar("run", "--catalina-base", pod2.baseDir().toString(), "--for", "10m", "--", "/bin/sh", "-c",
                "id -u > " + seen + "; env >> " + seen + "; cut -d' ' -f6 /proc/$$/stat > " + session + "; exit 7");
        assertEquals(7, run.code, "the command's exit code, through both JVMs: " + run.all());
        List<String> lines = Files.readAllLines(seen);
        assertEquals(String.valueOf(USER), lines.get(0), "the command ran as the user: " + lines);
        assertTrue(lines.contains("HOME=/nonexistent"), "with that user's HOME: " + lines);
        assertFalse(lines.contains("ROOT_SECRET=do not pass"), "and none of root's secrets: " + lines);
        String ours = Files.readString(Paths.get("/proc/self/stat")).split(" ")[5];
        assertFalse(ours.equals(Files.readString(session).trim()),
                "in a session of its own, so root's terminal is not its controlling terminal (session " + ours + ")");
        assertTrue(run.err.contains("Maintenance is off: applied by every valve reached"), run.err);
        assertFalse(Files.exists(flag, LinkOption.NOFOLLOW_LINKS));

        Path started = scratch.resolve("started");
        Path stopped = scratch.resolve("stopped");
        Process running = start("run", "--catalina-base", pod1.baseDir().toString(), "--", "/bin/sh", "-c",
                "trap 'echo TERM > " + stopped + "; exit 143' TERM; echo $$ > " + started + "; while :; do sleep 1; done");
        Await.until(RUN_TIMEOUT, "the command started inside the window", () -> Files.exists(started));
        assertEquals(503, Http.get(pod1.httpPort(), USER_PAGE).status());
        assertEquals(503, Http.get(pod2.httpPort(), USER_PAGE).status());
        new ProcessBuilder("kill", "-INT", String.valueOf(running.pid())).start().waitFor();
        assertTrue(running.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "run ends after Ctrl-C");
        String output = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(130, running.exitValue(), "run's code for SIGINT, through both JVMs: " + output);
        assertEquals("TERM", Files.readString(stopped).trim(), "the command was told to stop: " + output);
        assertTrue(output.contains("Maintenance is off: applied by every valve reached"), output);
        assertFalse(Files.exists(flag, LinkOption.NOFOLLOW_LINKS), output);
        assertEquals(200, Http.get(pod1.httpPort(), USER_PAGE).status());
        assertEquals(200, Http.get(pod2.httpPort(), USER_PAGE).status());
    }

    // ------------------------------------------------------------ helpers

    private static Path giveToUser(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", USER, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", USER, LinkOption.NOFOLLOW_LINKS);
        return path;
    }

    private static void assertOwnedByTheUser(Path file) throws IOException {
        assertEquals(USER, Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS), file + "'s owner");
        assertEquals(USER, Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS), file + "'s group");
    }

    /** No file root owns changed since {@code before} in the shared directory or the pods' bases (but the harness's catalina.out). */
    private void assertNothingWrittenAsRoot(FileTime before) throws IOException {
        for (Path tree : Arrays.asList(shared, pod1.baseDir(), pod2.baseDir())) {
            try (Stream<Path> all = Files.walk(tree)) {
                for (Path path : (Iterable<Path>) all::iterator) {
                    if (path.equals(pod1.catalinaOut()) || path.equals(pod2.catalinaOut())) {
                        continue;
                    }
                    boolean roots = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) == 0;
                    if (roots && Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).compareTo(before) > 0) {
                        fail("written as root: " + path);
                    }
                }
            }
        }
    }

    private static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** {@code java -jar <the built jar> <args>} as root, as from a root shell; its output and exit code. */
    private Run jar(String... args) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        assertTrue(process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the jar ends: " + Arrays.toString(args));
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts it, stdout and stderr together. */
    private Process start(String... args) throws IOException {
        Process process = builder(args).redirectErrorStream(true).start();
        process.getOutputStream().close();
        return process;
    }

    private ProcessBuilder builder(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (ignoresSigint()) {
            // As RunScenarios: a JVM keeps a SIGINT ignored when it started; a terminal does not ignore it.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.addAll(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JarRun.jar().toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        for (String name : List.of("MAINTENANCE_FLAG", "CATALINA_HOME", "CATALINA_BASE", "CATALINA_PID", "RUN_USER",
                "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            builder.environment().remove(name);
        }
        builder.environment().put("ROOT_SECRET", "do not pass");
        return builder;
    }

    private static boolean ignoresSigint() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }
}
