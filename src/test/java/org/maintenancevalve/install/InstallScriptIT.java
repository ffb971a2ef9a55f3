package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.maintenancevalve.it.Await;
import org.maintenancevalve.it.Http;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end, the way an admin does it: a real Tomcat distribution laid out like a Jira install
 * (the webapp in {@code <install>/atlassian-jira}, {@code Context path=""}, the server.xml of
 * {@code shared/fixtures/jira}), then {@code install/install.sh}, start, touch the flag (503),
 * remove it (200), stop, {@code install/uninstall.sh}, start again (200), and server.xml is
 * byte for byte what it was.
 */
class InstallScriptIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration TOGGLE = Duration.ofSeconds(20);
    private static final Duration STOP = Duration.ofSeconds(30);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @ParameterizedTest(name = "Tomcat {0}")
    @ValueSource(strings = {"tomcat9.version", "tomcat101.version"})
    void installToggleUninstallOnAJiraShapedTomcat(String versionProperty) throws Exception {
        String version = tomcatVersion(versionProperty);
        Path valveJar = Paths.get(System.getProperty("maintenancevalve.jar")).toAbsolutePath();
        JiraShapedInstall jira = JiraShapedInstall.create(version);
        Path install = jira.dir;
        int shutdownPort = jira.shutdownPort;
        int httpPort = jira.httpPort;
        byte[] original = jira.originalServerXml;
        Path serverXml = install.resolve("conf/server.xml");
        Path flag = install.resolve("maintenance.flag");

        // ---- install.sh
        Script installed = script("install.sh", install.toString(), "--poll-interval", "200");
        assertEquals(0, installed.code, installed.output);
        assertTrue(installed.output.contains("Tomcat " + version + ", Jira"), installed.output);
        assertTrue(installed.output.contains("touch " + flag + "\n"), installed.output);
        assertTrue(installed.output.contains("Yes: a restart starts the valve"), "install.sh ends with check: " + installed.output);
        List<Element> valves = Fixtures.maintenanceValves(Fixtures.parse(Files.readAllBytes(serverXml)));
        assertEquals(1, valves.size());
        assertEquals("jira", valves.get(0).getAttribute("preset"));
        assertArrayEquals(Files.readAllBytes(valveJar), Files.readAllBytes(install.resolve("lib").resolve(valveJar.getFileName())));

        // ---- start, toggle, stop
        String log = startToggleAndStop(install, flag, httpPort, shutdownPort);
        assertTrue(log.contains("MaintenanceValve watching " + flag), log);

        // ---- uninstall.sh, start again
        Script removed = script("uninstall.sh", install.toString());
        assertEquals(0, removed.code, removed.output);
        assertArrayEquals(original, Files.readAllBytes(serverXml), "server.xml byte for byte as before install");
        assertFalse(Files.exists(install.resolve("lib").resolve(valveJar.getFileName())));
        Process again = start(install, httpPort);
        try {
            Files.write(flag, new byte[0]);
            Http.Response response = Http.get(httpPort, "/");
            assertEquals(200, response.status(), response.toString());
            assertTrue(response.body().contains("SAMPLE-APP"));
        } finally {
            stop(again, shutdownPort, install);
        }
        assertFalse(catalinaOut(install).substring(log.length()).contains("MaintenanceValve"), "no valve after uninstall");
        deleteTree(install); // kept when the test fails, for its logs
    }

    /**
     * What {@code check} says is what Tomcat does: an attribute the valve refuses, written into
     * the installed line by hand, gets "No" (exit 1) and Tomcat really does not come up; after
     * install.sh mends it, "Yes" (exit 0) and Tomcat starts with the valve.
     */
    @Test
    void checkSaysNoExactlyWhenTheRestartWouldNotStartTheValve() throws Exception {
        Path valveJar = Paths.get(System.getProperty("maintenancevalve.jar")).toAbsolutePath();
        JiraShapedInstall jira = JiraShapedInstall.create(tomcatVersion("tomcat9.version"));
        Path install = jira.dir;
        Path serverXml = install.resolve("conf/server.xml");
        assertEquals(0, script("install.sh", install.toString(), "--poll-interval", "200").code);

        // ---- the hand edit of issue 17: an allow list the valve refuses
        String installed = new String(Files.readAllBytes(serverXml), StandardCharsets.UTF_8);
        assertTrue(installed.contains("pollInterval=\"200\"/>"), installed);
        Files.write(serverXml, installed.replace("pollInterval=\"200\"/>", "pollInterval=\"200\" allow=\"localhost\"/>")
                .getBytes(StandardCharsets.UTF_8));
        Script no = cli(valveJar, "check", install.toString());
        assertEquals(1, no.code, no.output);
        assertTrue(no.output.contains("PROBLEM  allow=\"localhost\": \"localhost\" is not an IP address or CIDR block"), no.output);
        assertTrue(no.output.contains("No: a restart would not start the valve"), no.output);

        Process refused = launch(install);
        try {
            assertTrue(refused.waitFor(START.toMillis(), TimeUnit.MILLISECONDS),
                    "Tomcat gives up by itself\n" + tail(install, 0));
            String log = catalinaOut(install);
            assertTrue(log.contains("MaintenanceValve not started, invalid attribute: allow=\"localhost\""), log);
            assertFalse(log.contains("Server startup in"), "Tomcat did not start: " + log);
        } finally {
            stop(refused, jira.shutdownPort, install);
        }

        // ---- mended by install.sh: check says yes, and Tomcat starts with the valve
        long before = catalinaOut(install).length();
        Script mended = script("install.sh", install.toString(), "--allow", "127.0.0.1");
        assertEquals(0, mended.code, mended.output);
        assertTrue(mended.output.contains("Yes: a restart starts the valve"), mended.output);
        Script yes = cli(valveJar, "check", install.toString());
        assertEquals(0, yes.code, yes.output);
        Process started = start(install, jira.httpPort);
        try {
            assertTrue(catalinaOut(install).substring((int) before).contains("MaintenanceValve watching "
                    + install.resolve("maintenance.flag")), tail(install, before));
        } finally {
            stop(started, jira.shutdownPort, install);
        }
        deleteTree(install);
    }

    /** {@code java -jar <valve jar> <args>} with this JVM's java. */
    /**
     * Starts the installed Tomcat, touches the flag (503, the jira preset's /status still 200),
     * removes it (200 again), stops Tomcat, and returns its catalina.out.
     */
    static String startToggleAndStop(Path install, Path flag, int httpPort, int shutdownPort) throws Exception {
        Process tomcat = start(install, httpPort);
        try {
            assertTrue(Http.get(httpPort, "/").body().contains("SAMPLE-APP"));
            Files.write(flag, new byte[0]);
            Http.Response blocked = Await.until(TOGGLE, "503 after touching the flag", () -> Http.get(httpPort, "/"),
                    r -> r.status() == 503);
            assertFalse(blocked.body().contains("SAMPLE-APP"), blocked.toString());
            assertEquals(200, Http.get(httpPort, "/status").status(), "the jira preset lets /status through");
            Files.delete(flag);
            Await.until(TOGGLE, "200 after removing the flag", () -> Http.get(httpPort, "/"),
                    r -> r.status() == 200 && r.body().contains("SAMPLE-APP"));
        } finally {
            stop(tomcat, shutdownPort, install);
        }
        return catalinaOut(install);
    }

    private static Script cli(Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(java.util.Arrays.asList(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(java.util.Arrays.asList(args));
        return run(command);
    }

    /** The Tomcat version a system property names (set by the pom for mvn verify). */
    static String tomcatVersion(String versionProperty) {
        String version = System.getProperty(versionProperty);
        assertTrue(version != null && !version.isEmpty(), versionProperty + " is not set: run through mvn verify");
        return version;
    }

    /**
     * A Jira-shaped install under {@code it.work.dir}: the real Tomcat distribution, the sample app
     * in {@code atlassian-jira}, and Jira's server.xml on free loopback ports.
     */
    static final class JiraShapedInstall {
        final Path dir;
        final int shutdownPort;
        final int httpPort;
        /** conf/server.xml as laid out, before any install. */
        final byte[] originalServerXml;

        private JiraShapedInstall(Path dir, int shutdownPort, int httpPort, byte[] originalServerXml) {
            this.dir = dir;
            this.shutdownPort = shutdownPort;
            this.httpPort = httpPort;
            this.originalServerXml = originalServerXml;
        }

        static JiraShapedInstall create(String version) throws Exception {
            Path distribution = Paths.get(System.getProperty("tomcat.dist.dir", "target/tomcat-dists"), "apache-tomcat-" + version)
                    .toAbsolutePath();
            Path work = Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath();
            Path install = work.resolve("jira-install-" + version + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime());
            copyTree(distribution, install);
            copyTree(Paths.get(InstallScriptIT.class.getResource("/sample-app/index.html").toURI()).getParent(),
                    install.resolve("atlassian-jira"));
            int[] ports = freeLoopbackPorts(2);
            String jiraXml = new String(Fixtures.resource("jira-server.xml"), StandardCharsets.UTF_8);
            assertTrue(jiraXml.contains("<Server port=\"8005\"") && jiraXml.contains("<Connector port=\"8080\""));
            byte[] original = jiraXml
                    .replace("<Server port=\"8005\"", "<Server port=\"" + ports[0] + "\" address=\"127.0.0.1\"")
                    .replace("<Connector port=\"8080\"", "<Connector port=\"" + ports[1] + "\" address=\"127.0.0.1\"")
                    .getBytes(StandardCharsets.UTF_8);
            Files.write(install.resolve("conf/server.xml"), original);
            return new JiraShapedInstall(install, ports[0], ports[1], original);
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            paths.forEach(all::add);
            java.util.Collections.reverse(all);
            for (Path path : all) {
                Files.delete(path);
            }
        }
    }

    // ------------------------------------------------------------ the scripts

    private static final class Script {
        final int code;
        final String output;

        Script(int code, String output) {
            this.code = code;
            this.output = output;
        }
    }

    /** Runs {@code bash install/<name> <args>} from the checkout, with this JVM's java. */
    private static Script script(String name, String... args) throws Exception {
        Path script = Paths.get("install", name).toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(script.toString());
        command.addAll(java.util.Arrays.asList(args));
        return run(command);
    }

    private static Script run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("CATALINA_HOME");
        builder.environment().remove("CATALINA_BASE");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " ends");
        return new Script(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------ a Tomcat process of our own

    /**
     * {@code java -cp bin/bootstrap.jar:bin/tomcat-juli.jar ... Bootstrap start} with
     * catalina.home = catalina.base = the install, as Jira's scripts run it; output appended to
     * {@code logs/catalina.out}. Returns once {@code /} answers and Tomcat logged its start.
     */
    static Process start(Path install, int httpPort) throws IOException {
        Path out = install.resolve("logs/catalina.out");
        long offset = Files.exists(out) ? Files.size(out) : 0;
        Process process = launch(install);
        try {
            Await.until(START, "Tomcat at " + install + " serving / on 127.0.0.1:" + httpPort, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Tomcat exited with " + process.exitValue() + "\n" + tail(install, offset));
                }
                return catalinaOut(install).substring((int) offset).contains("Server startup in")
                        && Http.get(httpPort, "/").status() == 200;
            }, ok -> ok);
        } catch (AssertionError | RuntimeException e) {
            process.destroyForcibly();
            throw new AssertionError(e.getMessage() + "\n" + tail(install, offset), e);
        }
        return process;
    }

    /** Starts Tomcat's JVM on the install and returns at once. */
    private static Process launch(Path install) throws IOException {
        Path out = install.resolve("logs/catalina.out");
        List<String> command = new ArrayList<>(java.util.Arrays.asList(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-Djava.util.logging.config.file=" + install.resolve("conf/logging.properties"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Dcatalina.home=" + install,
                "-Dcatalina.base=" + install,
                "-Djava.io.tmpdir=" + install.resolve("temp"),
                "-classpath", install.resolve("bin/bootstrap.jar") + ":" + install.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        Files.createDirectories(out.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(install.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        builder.environment().remove("CLASSPATH");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        return builder.start();
    }

    /** Sends SHUTDOWN to the shutdown port and waits for the JVM to end; kills it only as a last resort. */
    static void stop(Process process, int shutdownPort, Path install) throws Exception {
        try {
            if (process.isAlive()) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), shutdownPort), 5000);
                    OutputStream out = socket.getOutputStream();
                    out.write("SHUTDOWN".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            assertTrue(process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS),
                    "Tomcat ends after SHUTDOWN\n" + tail(install, 0));
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static String catalinaOut(Path install) {
        try {
            Path out = install.resolve("logs/catalina.out");
            return Files.exists(out) ? new String(Files.readAllBytes(out), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path install, long offset) {
        String log = catalinaOut(install);
        log = log.length() > offset ? log.substring((int) offset) : "";
        return "---- catalina.out ----\n" + (log.length() > 6000 ? log.substring(log.length() - 6000) : log);
    }

    private static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
