package org.maintenancevalve.cli;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JMX connection to the running valve(s) that watch one flag file: through {@code --jmx
 * host:port}, or found among the local Tomcat processes with the JDK's attach API (same user as
 * Tomcat; needs a JDK, not only a JRE). The attach API is used by reflection, as on Java 8 it
 * lives in tools.jar.
 */
final class ValveConnection implements AutoCloseable {

    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final List<ObjectName> valves;
    private final String target;

    private ValveConnection(JMXConnector connector, MBeanServerConnection server, List<ObjectName> valves, String target) {
        this.connector = connector;
        this.server = server;
        this.valves = valves;
        this.target = target;
    }

    /** What was connected to, for messages: {@code host:port} or {@code local Tomcat, pid N}. */
    String target() {
        return target;
    }

    /**
     * @param jmx  {@code host:port} of a JMX remote port, or {@code null} to look for a local Tomcat
     * @param flag the flag file whose valves are wanted
     */
    static ValveConnection open(String jmx, Path flag) throws Refused {
        if (jmx != null) {
            String address = "service:jmx:rmi:///jndi/rmi://" + jmx.trim() + "/jmxrmi";
            JMXConnector connector = connect(address, jmx);
            return forFlag(connector, flag, jmx.trim(), true);
        }
        List<String[]> locals = localTomcats();
        List<String> seen = new ArrayList<>();
        for (String[] local : locals) {
            JMXConnector connector;
            try {
                connector = connect(local[1], "local Tomcat pid " + local[0]);
            } catch (Refused e) {
                seen.add("pid " + local[0] + ": " + e.getMessage());
                continue;
            }
            ValveConnection connection = forFlag(connector, flag, "local Tomcat, pid " + local[0], false);
            if (connection != null) {
                return connection;
            }
            seen.add("pid " + local[0] + ": no MaintenanceValve watching " + flag);
        }
        throw new Refused("no running Tomcat with a MaintenanceValve watching " + flag + " was found"
                + (seen.isEmpty() ? " among local processes" : " (" + String.join("; ", seen) + ")")
                + "; give --jmx host:port");
    }

    private static JMXConnector connect(String address, String name) throws Refused {
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (IOException | RuntimeException e) {
            throw new Refused("cannot connect to JMX at " + name + ": " + e.getMessage());
        }
    }

    private static ValveConnection forFlag(JMXConnector connector, Path flag, String target, boolean mustMatch)
            throws Refused {
        try {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            List<ObjectName> matching = new ArrayList<>();
            List<String> others = new ArrayList<>();
            for (ObjectName name : server.queryNames(new ObjectName("*:type=Valve,name=MaintenanceValve,*"), null)) {
                Object watched = server.getAttribute(name, "flagFile");
                if (flag.toString().equals(watched)) {
                    matching.add(name);
                } else {
                    others.add(String.valueOf(watched));
                }
            }
            if (!matching.isEmpty()) {
                return new ValveConnection(connector, server, matching, target);
            }
            closeQuietly(connector);
            if (mustMatch) {
                throw new Refused("no MaintenanceValve at " + target + " watches " + flag
                        + (others.isEmpty() ? "" : " (they watch " + others + ")"));
            }
            return null;
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            closeQuietly(connector);
            throw new Refused("cannot read the valves at " + target + ": " + e.getMessage());
        }
    }

    /** {pid, JMX address} of each local Tomcat the attach API can reach. */
    private static List<String[]> localTomcats() throws Refused {
        Class<?> vmClass;
        Class<?> descriptorClass;
        try {
            vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
            descriptorClass = Class.forName("com.sun.tools.attach.VirtualMachineDescriptor");
        } catch (ClassNotFoundException e) {
            throw new Refused("this Java has no attach API (a JRE, or Java 8 without tools.jar): give --jmx host:port");
        }
        List<String[]> found = new ArrayList<>();
        try {
            Method list = vmClass.getMethod("list");
            Method displayName = descriptorClass.getMethod("displayName");
            Method id = descriptorClass.getMethod("id");
            Method attach = vmClass.getMethod("attach", descriptorClass);
            Method startAgent = vmClass.getMethod("startLocalManagementAgent");
            Method detach = vmClass.getMethod("detach");
            for (Object descriptor : (List<?>) list.invoke(null)) {
                if (!String.valueOf(displayName.invoke(descriptor)).contains("org.apache.catalina.startup.Bootstrap")) {
                    continue;
                }
                String pid = String.valueOf(id.invoke(descriptor));
                try {
                    Object vm = attach.invoke(null, descriptor);
                    try {
                        found.add(new String[] {pid, String.valueOf(startAgent.invoke(vm))});
                    } finally {
                        detach.invoke(vm);
                    }
                } catch (InvocationTargetException e) {
                    // Another user's Tomcat, or one that does not allow attaching: skip it.
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Refused("cannot list local Java processes: " + e + ": give --jmx host:port");
        }
        return found;
    }

    /** The sum of a numeric attribute over the valves watching the flag. */
    long sum(String attribute) throws Refused {
        long sum = 0;
        for (ObjectName valve : valves) {
            sum += ((Number) get(valve, attribute)).longValue();
        }
        return sum;
    }

    /** Whether any of the valves is holding users out. */
    boolean active() throws Refused {
        for (ObjectName valve : valves) {
            if (Boolean.TRUE.equals(get(valve, "active"))) {
                return true;
            }
        }
        return false;
    }

    /** Waits on every valve in turn, sharing the time; returns how many requests still run. */
    long awaitIdle(long timeoutMillis) throws Refused {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long remaining = 0;
        for (ObjectName valve : valves) {
            int seconds = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (deadline - System.currentTimeMillis() + 999) / 1000));
            try {
                remaining += ((Number) server.invoke(valve, "awaitIdle", new Object[] {seconds},
                        new String[] {"int"})).longValue();
            } catch (Exception e) {
                throw new Refused("awaitIdle failed at " + target + ": " + e.getMessage());
            }
        }
        return remaining;
    }

    private Object get(ObjectName valve, String attribute) throws Refused {
        try {
            return server.getAttribute(valve, attribute);
        } catch (Exception e) {
            throw new Refused("cannot read " + attribute + " at " + target + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closeQuietly(connector);
    }

    private static void closeQuietly(JMXConnector connector) {
        try {
            connector.close();
        } catch (IOException | RuntimeException e) {
            // nothing more to do
        }
    }
}
