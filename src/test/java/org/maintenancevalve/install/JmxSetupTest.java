package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.jmxclient.JmxRemote;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JMX port check finds in setenv.sh, whether it asks for a password, the address it connects
 * to, what it says when the port is no JMX, and the lines it prints to open one, run as printed.
 */
class JmxSetupTest {

    @TempDir
    Path tmp;

    private static final String PORT_9011 = "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=9011\"\n";

    private static TomcatLayout layout(Path base, Path home) throws Refused {
        return TomcatLayout.locate(base, home, Collections.<String, String>emptyMap(), false);
    }

    private Path tomcat(String name) throws IOException {
        return Fixtures.tomcat(tmp.resolve(name), "9.0.117", Fixtures.resource("tomcat-9.0.117-server.xml"));
    }

    @Test
    void theBasesSetenvElseTheHomesAsCatalinaShReadsThem() throws IOException, Refused {
        Path home = tomcat("home");
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("conf"));
        Files.createDirectories(base.resolve("bin"));
        Files.copy(home.resolve("conf/server.xml"), base.resolve("conf/server.xml"));

        JmxSetup none = JmxSetup.of(layout(base, home));
        assertNull(none.port);
        assertEquals(base.resolve("bin/setenv.sh"), none.setenv, "where to add it");

        Files.write(home.resolve("bin/setenv.sh"), Fixtures.bytes(PORT_9011));
        JmxSetup fromHome = JmxSetup.of(layout(base, home));
        assertEquals(Integer.valueOf(9011), fromHome.port);
        assertEquals(home.resolve("bin/setenv.sh"), fromHome.setenv);

        Files.write(base.resolve("bin/setenv.sh"), Fixtures.bytes("# no JMX here\n"));
        JmxSetup fromBase = JmxSetup.of(layout(base, home));
        assertNull(fromBase.port, "the base's setenv.sh is the one catalina.sh runs");
        assertEquals(base.resolve("bin/setenv.sh"), fromBase.setenv);

        Files.delete(home.resolve("lib/catalina.jar"));
        Files.delete(base.resolve("bin/setenv.sh"));
        assertNull(JmxSetup.of(layout(base, null)).port, "without a home, only the base is read");
    }

    @Test
    void commentedOutLinesAndPortsThatAreNoPortAreNotTaken() throws IOException, Refused {
        Path jira = tomcat("jira");
        Path setenv = jira.resolve("bin/setenv.sh");
        Files.write(setenv, Fixtures.bytes("  # CATALINA_OPTS=\"-Dcom.sun.management.jmxremote.port=9011"
                + " -Dcom.sun.management.jmxremote.host=10.0.0.1\"\n"));
        JmxSetup commented = JmxSetup.of(layout(jira, null));
        assertNull(commented.port);
        assertNull(commented.host);

        Files.write(setenv, Fixtures.bytes("CATALINA_OPTS=\"-Dcom.sun.management.jmxremote.port=99999999999\"\n"));
        JmxSetup overflow = JmxSetup.of(layout(jira, null));
        assertNull(overflow.port);
        assertEquals(setenv, overflow.setenv);
    }

    @Test
    void theAddressIsTheBoundHostElseTheLoopback() throws IOException, Refused {
        Path jira = tomcat("jira");
        Path setenv = jira.resolve("bin/setenv.sh");
        Files.write(setenv, Fixtures.bytes(PORT_9011));
        assertEquals("127.0.0.1:9011", JmxSetup.of(layout(jira, null)).address());
        String[][] hosts = {{"0.0.0.0", "127.0.0.1:9011"}, {"*", "127.0.0.1:9011"}, {"10.0.0.5", "10.0.0.5:9011"},
                {"::1", "[::1]:9011"}, {"jira.example.com", "jira.example.com:9011"}};
        for (String[] host : hosts) {
            Files.write(setenv, Fixtures.bytes(PORT_9011 + "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.host="
                    + host[0] + "\"\n"));
            JmxSetup jmx = JmxSetup.of(layout(jira, null));
            assertEquals(host[0], jmx.host);
            assertEquals(host[1], jmx.address());
        }
    }

    @Test
    void aPortWithoutAPasswordIsTold() throws IOException, Refused {
        Path jira = tomcat("jira");
        Path setenv = jira.resolve("bin/setenv.sh");
        String[][] cases = {{"", "false"}, {"-Dcom.sun.management.jmxremote.authenticate=true", "false"},
                {"-Dcom.sun.management.jmxremote.authenticate=false", "true"},
                {"-Dcom.sun.management.jmxremote.authenticate=no", "true"},
                {"-Dcom.sun.management.jmxremote.authenticate=", "true"},
                {"-Dcom.sun.management.jmxremote.authenticate=TRUE", "false"}};
        for (String[] c : cases) {
            Files.write(setenv, Fixtures.bytes(PORT_9011 + "CATALINA_OPTS=\"$CATALINA_OPTS " + c[0] + "\"\n"
                    + "# -Dcom.sun.management.jmxremote.authenticate=false\n"));
            assertEquals(Boolean.parseBoolean(c[1]), JmxSetup.of(layout(jira, null)).unauthenticated(),
                    "the JDK reads anything but true as false: " + c[0]);
        }
        Files.write(setenv, Fixtures.bytes(PORT_9011 + "CATALINA_OPTS=\"-Dcom.sun.management.jmxremote.host=\u001b[2J\"\n"));
        assertNull(JmxSetup.of(layout(jira, null)).host, "nothing but a host name is taken from the file (and printed)");
    }

    /** A JVM that only waits (60 s at most): what the printed lines open a JMX port in. */
    public static final class Idle {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(60_000);
        }
    }

    /**
     * What check prints, run as printed: the commands create the password and Tomcat's files, and a
     * JVM started with the setenv.sh lines opens a port on 127.0.0.1 only that refuses a client without
     * the password and lets in the command line with the printed login, for reading and writing.
     */
    @Test
    void thePrintedLinesOpenAPortOnTheLoopbackThatAsksForThePassword() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("jira"));
        Files.createDirectories(base.resolve("conf"));
        Path cliPassword = tmp.resolve("cli-password");
        String me = System.getProperty("user.name");
        Process commands = new ProcessBuilder("bash", "-c", String.join("\n", JmxSetup.passwordFiles(base, me,
                cliPassword.toString()))).redirectErrorStream(true).start();
        String said = new String(commands.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(commands.waitFor(30, TimeUnit.SECONDS) && commands.exitValue() == 0, said);
        for (Path file : List.of(cliPassword, base.resolve("conf/jmxremote.password"), base.resolve("conf/jmxremote.access"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
        assertEquals(32, Files.readString(cliPassword).length());

        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        List<String> snippet = JmxSetup.snippet(port, base);
        assertFalse(String.join(" ", snippet).contains("authenticate=false"), snippet.toString());
        Process options = new ProcessBuilder("bash", "-c", "CATALINA_OPTS=\n" + String.join("\n", snippet)
                + "\nprintf '%s\\n' $CATALINA_OPTS").start();
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(new String(options.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")));
        assertTrue(options.waitFor(30, TimeUnit.SECONDS));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Idle.class.getName()));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    break;
                } catch (IOException notYet) {
                    if (!jvm.isAlive()) {
                        throw new AssertionError("the JVM ended: " + new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    }
                    assertTrue(System.nanoTime() - deadline < 0, "the port opens");
                    Thread.sleep(50);
                }
            }
            String hostPort = "127.0.0.1:" + port;
            JmxRemote.LoginFailed anonymous = assertThrows(JmxRemote.LoginFailed.class, () -> JmxRemote.connect(hostPort, JmxLogin.NONE));
            assertTrue(anonymous.getMessage().startsWith("Authentication failed! Credentials required"), anonymous.getMessage());

            String[] printed = JmxSetup.loginOptions().replace(JmxSetup.ROOTS_PASSWORD_FILE, cliPassword.toString()).split(" ");
            JmxLogin login = JmxLogin.from(JmxLogin.options(Args.spec()).parse(List.of(printed)), Map.of());
            try (JMXConnector connector = JmxRemote.connect(hostPort, login)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                server.invoke(new ObjectName("java.lang:type=Memory"), "gc", null, null);
            }

            // Where the port listens, read from the kernel's socket table rather than by connecting to
            // this machine's other addresses (the tests talk to 127.0.0.1 only).
            assertEquals(List.of("0100007F"), listeningAddresses(port), "bound to 127.0.0.1 only");
        } finally {
            jvm.destroyForcibly();
            jvm.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The local addresses (as /proc/net/tcp and tcp6 write them, hex) of the sockets listening on
     * {@code port}: {@code 0100007F} is 127.0.0.1 (also on an IPv6 socket), {@code 00000000} every IPv4 address.
     */
    private static final String V4_MAPPED = "0000000000000000FFFF0000";

    private static List<String> listeningAddresses(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Paths.get(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.trim().split("\\s+");
                // local_address is "ADDR:PORT"; state 0A is LISTEN
                if (fields.length > 3 && fields[1].endsWith(hexPort) && fields[3].equals("0A")) {
                    String address = fields[1].substring(0, fields[1].length() - hexPort.length());
                    // An IPv4 address on an IPv6 socket is written as ::ffff:a.b.c.d
                    addresses.add(address.startsWith(V4_MAPPED) ? address.substring(V4_MAPPED.length()) : address);
                }
            }
        }
        return addresses;
    }

    @Test
    void aPortThatAnswersButNotAsJmxIsSaidToBeSo() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket accepted = server.accept()) {
                        accepted.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes("US-ASCII"));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "not-jmx");
            closer.setDaemon(true);
            closer.start();
            String address = "127.0.0.1:" + server.getLocalPort();
            String said = JmxSetup.probe(address, JmxLogin.NONE);
            assertTrue(said.startsWith("something listens on " + address + " but it does not answer as JMX ("), said);
        }
    }
}
