package org.maintenancevalve.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar's own JVM reads from a JMX port only what a JMX client needs (its deserialisation
 * filter, set first thing in main): a node whose "valve" answers with an object of another class
 * (a {@code java.net.URL} in a map: the shape of the URLDNS probe), or nested deeper than a JMX
 * answer is, is refused before the object is built; a valve's real answers pass. With a filter of
 * the admin's own ({@code -Djdk.serialFilter}), that one is in force: the same object then arrives,
 * so the refusal is the filter's.
 */
class SerialFilterIT {

    @TempDir
    Path dir;

    /** Answers {@code flagFile} with whatever the test plants. */
    public static final class Planted implements DynamicMBean {
        volatile Object value;
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Object getAttribute(String name) throws AttributeNotFoundException {
            if (!"flagFile".equals(name)) {
                throw new AttributeNotFoundException(name);
            }
            reads.incrementAndGet();
            return value;
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttributeList getAttributes(String[] names) {
            return new AttributeList();
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object invoke(String action, Object[] params, String[] signature) throws ReflectionException {
            throw new ReflectionException(new NoSuchMethodException(action));
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return new MBeanInfo(Planted.class.getName(), "answers what the test plants", null, null, null, null);
        }
    }

    @Test
    void onlyWhatAJmxClientNeedsIsRead() throws Exception {
        Path flag = dir.resolve("maintenance.flag");
        try (LiveNode good = new LiveNode(); LiveNode planted = new LiveNode()) {
            good.valve(flag, "localhost");
            Planted mbean = new Planted();
            planted.register(mbean, "Catalina:type=Valve,host=localhost,name=MaintenanceValve");

            String valve = jar(List.of(), "status", "--flag", flag.toString(), "--jmx", good.target);
            assertTrue(valve.contains("Live (" + good.target + "): off; 0 in flight"), "a valve's answers pass: " + valve);

            Map<URL, String> probe = new HashMap<>();
            probe.put(new URL("http://127.0.0.1/planted-probe"), "x");
            mbean.value = probe;
            String refused = jar(List.of(), "status", "--flag", flag.toString(), "--jmx", planted.target);
            assertEquals(1, mbean.reads.get(), "the port was asked and answered");
            assertTrue(refused.contains("Live figures: not available (cannot read the valves at " + planted.target), refused);
            assertTrue(refused.contains("filter status: REJECTED"), refused);
            assertFalse(refused.contains("planted-probe"), refused);

            String admins = jar(List.of("-Djdk.serialFilter=maxdepth=20;*"), "status", "--flag", flag.toString(),
                    "--jmx", planted.target);
            assertTrue(admins.contains("(it watches {http://127.0.0.1/planted-probe=x})"),
                    "the admin's own filter is in force, and the object then arrives: " + admins);

            List<Object> deep = new ArrayList<>();
            List<Object> inner = deep;
            for (int i = 0; i < 40; i++) {
                List<Object> next = new ArrayList<>();
                inner.add(next);
                inner = next;
            }
            mbean.value = deep;
            String tooDeep = jar(List.of(), "status", "--flag", flag.toString(), "--jmx", planted.target);
            assertTrue(tooDeep.contains("filter status: REJECTED"), "nested deeper than a JMX answer: " + tooDeep);
            assertEquals(3, mbean.reads.get());
        }
    }

    /** {@code java <jvmOptions> -jar <the built jar> <args>}: its output and error together. */
    private String jar(List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(Paths.get(System.getProperty("maintenancevalve.jar", "target/maintenance-valve.jar")).toAbsolutePath().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ends: " + command);
        return new String(output, StandardCharsets.UTF_8);
    }
}
