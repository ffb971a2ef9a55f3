package org.maintenancevalve.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.security.auth.Subject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line against a JMX node in this JVM with a password, whose one valve never applies
 * what is written: what {@code on}, {@code status} and {@code off} say about such a node.
 * (Real valves on real Tomcats: CliScenarios and WindowScenarios.)
 */
class JmxNodeTest extends CommandLineTest {

    /**
     * A valve that keeps applying an old flag content, whatever the file says; its attributes are
     * named as Tomcat's descriptor names them ({@code flagFile}, not a standard MBean's {@code FlagFile}).
     */
    static final class StuckValve implements DynamicMBean {
        private final Map<String, Object> attributes = new HashMap<>();
        int refreshes;

        StuckValve(String flagFile) {
            attributes.put("flagFile", flagFile);
            attributes.put("pollInterval", 100L);
            attributes.put("mode", "off");
            attributes.put("active", false);
            attributes.put("since", null);
            attributes.put("inFlight", 3L);
            attributes.put("inFlightBeforeMaintenance", 0L);
            attributes.put("blockedCount", 0L);
            attributes.put("admittedCount", 0L);
        }

        @Override
        public Object getAttribute(String name) throws AttributeNotFoundException {
            if (!attributes.containsKey(name)) {
                throw new AttributeNotFoundException(name);
            }
            return attributes.get(name);
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttributeList getAttributes(String[] names) {
            AttributeList list = new AttributeList();
            for (String name : names) {
                list.add(new Attribute(name, attributes.get(name)));
            }
            return list;
        }

        @Override
        public AttributeList setAttributes(AttributeList list) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object invoke(String operation, Object[] params, String[] signature) throws ReflectionException {
            if ("refresh".equals(operation)) {
                refreshes++;
                return "none";
            }
            throw new ReflectionException(new NoSuchMethodException(operation));
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return new MBeanInfo(StuckValve.class.getName(), "a stuck valve", null, null, null, null);
        }
    }

    private Registry registry;
    private JMXConnectorServer server;
    private StuckValve valve;
    private String node;

    @BeforeEach
    void startNode() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry = LocateRegistry.createRegistry(port);
        MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
        valve = new StuckValve(dir.resolve("maintenance.flag").toString());
        mbeans.registerMBean(valve, new ObjectName("Catalina:type=Valve,host=localhost,name=MaintenanceValve"));
        JMXAuthenticator passwords = credentials -> {
            if (credentials instanceof String[] && Arrays.equals((String[]) credentials, new String[] {"ops", "s3cret"})) {
                return new Subject(true, Collections.singleton(new JMXPrincipal("ops")),
                        Collections.emptySet(), Collections.emptySet());
            }
            throw new SecurityException("Authentication failed");
        };
        Map<String, Object> environment = new HashMap<>();
        environment.put(JMXConnectorServer.AUTHENTICATOR, passwords);
        server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"), environment, mbeans);
        server.start();
        node = "127.0.0.1:" + port;
    }

    @AfterEach
    void stopNode() throws Exception {
        server.stop();
        UnicastRemoteObject.unexportObject(registry, true);
    }

    private String flag() {
        return dir.resolve("maintenance.flag").toString();
    }

    @Test
    void aNodeWithAPasswordIsReachedWithTheCredentialsFromTheEnvironment() {
        assertEquals(0, run("status", "--flag", flag(), "--jmx", node));
        assertTrue(out.contains("Live figures: not available (cannot connect to JMX at " + node), out);

        env.put("MAINTENANCE_JMX_USER", "ops");
        env.put("MAINTENANCE_JMX_PASSWORD", "s3cret");
        assertEquals(0, run("status", "--flag", flag(), "--jmx", node));
        assertTrue(out.contains("Live (" + node + "): off; 3 in flight"), out);
    }

    @Test
    void aValveThatDoesNotApplyTheFlagWithinItsPollIntervalMakesOnExitWithOne() throws Exception {
        env.put("MAINTENANCE_JMX_USER", "ops");
        env.put("MAINTENANCE_JMX_PASSWORD", "s3cret");
        long started = System.nanoTime();
        assertEquals(1, run("on", "--flag", flag(), "--jmx", node, "--message", "backup"));
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertTrue(Files.exists(dir.resolve("maintenance.flag")), "written all the same");
        assertTrue(out.contains("NOT CONFIRMED: " + node + " [host=localhost]: after "), out);
        assertTrue(out.contains("it still applies another flag content (mode off; applied none, written "), out);
        assertTrue(err.contains("NOT CONFIRMED on every node"), err);
        assertFalse(out.contains("Maintenance is on"), out);
        assertTrue(waited >= 100 + Confirmation.MARGIN_MILLIS, "waited pollInterval + margin: " + waited + " ms");
        assertTrue(valve.refreshes > 1, "asked to re-read more than once: " + valve.refreshes);
    }

    @Test
    void waitIdleSaysWhenMaintenanceIsNotInForceOnANode() throws Exception {
        env.put("MAINTENANCE_JMX_USER", "ops");
        env.put("MAINTENANCE_JMX_PASSWORD", "s3cret");
        Files.writeString(dir.resolve("maintenance.flag"), "");
        assertEquals(1, run("wait-idle", "--flag", flag(), "--jmx", node, "--timeout", "1s"));
        assertTrue(out.startsWith("Maintenance is not in force at " + node + " [host=localhost] after 1s: it says off"), out);
    }
}
