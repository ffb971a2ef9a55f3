package org.maintenancevalve.jmxclient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.ObjectName;
import javax.security.auth.login.FailedLoginException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.rmi.dgc.Lease;
import java.rmi.dgc.VMID;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line's deserialisation filter: what a JMX client reads passes, anything else (and
 * anything nested too deep) is refused before it is built; a Java without a filter connects to no
 * JMX port. (In the jar's own JVM, against a port: SerialFilterIT; against a real Tomcat:
 * JmxLoginScenarios and the CLI and run scenarios.)
 */
class SerialFilterTest {

    @AfterEach
    void forget() {
        SerialFilter.forget();
    }

    /** Writes the object and reads it back through the pattern, as a filtered stream of the CLI's JVM would. */
    private static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(SerialFilter.PATTERN));
            return in.readObject();
        }
    }

    @Test
    void whatAJmxClientReadsPasses() throws Exception {
        Set<ObjectName> names = new HashSet<>(Collections.singleton(new ObjectName("Catalina:type=Valve,host=localhost,name=MaintenanceValve")));
        assertEquals(names, roundTrip(names));
        for (Object value : List.of(42L, 7, true, "/var/jira/maintenance.flag", new Lease(new VMID(), 600_000),
                Collections.emptyList(), new String[] {"a", "b"}, new byte[] {1, 2})) {
            Object back = roundTrip(value);
            assertEquals(value.getClass(), back.getClass());
        }
        SecurityException login = new SecurityException("Authentication failed! Invalid username or password",
                new FailedLoginException("Invalid username or password"));
        assertEquals(login.getMessage(), ((SecurityException) roundTrip(login)).getMessage());
        MBeanException failed = new MBeanException(new IllegalArgumentException("no"), "refresh failed");
        assertEquals("refresh failed", ((MBeanException) roundTrip(failed)).getMessage());
        assertEquals("x", ((InstanceNotFoundException) roundTrip(new InstanceNotFoundException("x"))).getMessage());
    }

    @Test
    void anythingElseIsRefusedBeforeItIsBuilt() throws Exception {
        Map<URL, String> probe = new HashMap<>();
        probe.put(new URL("http://127.0.0.1/probe"), "x");
        InvalidClassException refused = assertThrows(InvalidClassException.class, () -> roundTrip(probe));
        assertTrue(refused.getMessage().contains("REJECTED"), refused.getMessage());
        assertThrows(InvalidClassException.class, () -> roundTrip(new AtomicInteger(1)), "java.util.concurrent is not read");
        assertThrows(InvalidClassException.class, () -> roundTrip(new java.io.File("/etc/passwd")), "java.io is not read");

        List<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 30; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertThrows(InvalidClassException.class, () -> roundTrip(deep), "nested deeper than an answer is");
        assertThrows(InvalidClassException.class, () -> roundTrip(new long[200_000]), "an array longer than an answer's");
    }

    @Test
    void aJavaWithoutAFilterConnectsToNoPort() throws Exception {
        String missing = SerialFilter.putInForce(SerialFilter.PATTERN, new String[] {"no.such.ObjectInputFilter$Config"});
        assertTrue(missing.startsWith("this Java (" + System.getProperty("java.version") + ") has no deserialization filter"
                + " (JEP 290, Java 8u121 or later)"), missing);
        try (ServerSocket port = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port.setSoTimeout(300);
            JmxRemote.Unfiltered e = assertThrows(JmxRemote.Unfiltered.class,
                    () -> JmxRemote.connect("127.0.0.1:" + port.getLocalPort(), JmxLogin.NONE));
            assertEquals(missing, e.getMessage());
            assertThrows(SocketTimeoutException.class, port::accept, "nothing connected to the port");
        }
        SerialFilter.forget();
        assertNull(SerialFilter.missing());
    }
}
