package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Refused;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JMX port check finds in setenv.sh, the address it connects to, and what it says when the port is no JMX. */
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
            String said = JmxSetup.probe(address);
            assertTrue(said.startsWith("something listens on " + address + " but it does not answer as JMX ("), said);
        }
    }
}
