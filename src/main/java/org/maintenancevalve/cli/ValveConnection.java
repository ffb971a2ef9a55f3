package org.maintenancevalve.cli;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.jmxclient.JmxRemote;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A JMX connection to one Tomcat JVM (one node): through {@code --jmx host:port}, or to a local
 * Tomcat found with the JDK's attach API ({@link LocalTomcats}). Knows which of its
 * MaintenanceValves watch the flag file in question, and which other files the others watch.
 */
final class ValveConnection implements AutoCloseable {

    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final String target;
    private final List<ObjectName> valves;
    private final List<String> otherFlags;

    private ValveConnection(JMXConnector connector, MBeanServerConnection server, String target,
            List<ObjectName> valves, List<String> otherFlags) {
        this.connector = connector;
        this.server = server;
        this.target = target;
        this.valves = Collections.unmodifiableList(valves);
        this.otherFlags = Collections.unmodifiableList(otherFlags);
    }

    /** What was connected to, for messages: {@code host:port} or {@code local Tomcat pid N}. */
    String target() {
        return target;
    }

    /** The valves of this JVM that watch the flag file; empty when none does. */
    List<ObjectName> valves() {
        return valves;
    }

    /** The flag files this JVM's other MaintenanceValves watch. */
    List<String> otherFlags() {
        return otherFlags;
    }

    /** Where a valve sits, for messages: {@code target [host=localhost]}. */
    String label(ObjectName valve) {
        String host = valve.getKeyProperty("host");
        String context = valve.getKeyProperty("context");
        StringBuilder where = new StringBuilder(target).append(" [");
        where.append(host == null ? "engine" : "host=" + host);
        if (context != null) {
            where.append(", context=").append(context);
        }
        return where.append(']').toString();
    }

    /** Connects to a JMX remote port ({@link JmxRemote}: with the login, and filtered). */
    static ValveConnection remote(String hostPort, JmxLogin login, Path flag) throws Refused {
        JMXConnector connector;
        try {
            connector = JmxRemote.connect(hostPort, login);
        } catch (IOException | RuntimeException e) {
            throw new Refused("cannot connect to JMX at " + hostPort + ": " + e.getMessage());
        }
        return open(connector, hostPort, flag);
    }

    /**
     * Connects to a JMX service address (a local JVM's management agent, trusted: {@link AttachTrust}).
     *
     * @param target how to name it in messages
     */
    static ValveConnection open(String address, String target, Path flag) throws Refused {
        JMXConnector connector;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (IOException | RuntimeException e) {
            throw new Refused("cannot connect to JMX at " + target + ": " + e.getMessage());
        }
        return open(connector, target, flag);
    }

    private static ValveConnection open(JMXConnector connector, String target, Path flag) throws Refused {
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
            Collections.sort(matching);
            return new ValveConnection(connector, server, target, matching, others);
        } catch (Exception e) {
            closeQuietly(connector);
            throw new Refused("cannot read the valves at " + target + ": " + e.getMessage());
        }
    }

    Object attribute(ObjectName valve, String attribute) throws Refused {
        try {
            return server.getAttribute(valve, attribute);
        } catch (Exception e) {
            throw new Refused("cannot read " + attribute + " at " + label(valve) + ": " + e.getMessage());
        }
    }

    long number(ObjectName valve, String attribute) throws Refused {
        Object value = attribute(valve, attribute);
        if (!(value instanceof Number)) {
            throw new Refused(attribute + " at " + label(valve) + " is not a number: " + value);
        }
        return ((Number) value).longValue();
    }

    /** The sum of a numeric attribute over this JVM's valves watching the flag. */
    long sum(String attribute) throws Refused {
        long sum = 0;
        for (ObjectName valve : valves) {
            sum += number(valve, attribute);
        }
        return sum;
    }

    Object invoke(ObjectName valve, String operation, Object[] params, String[] signature) throws Refused {
        try {
            return server.invoke(valve, operation, params, signature);
        } catch (Exception e) {
            throw new Refused(operation + " failed at " + label(valve) + ": " + e.getMessage());
        }
    }

    /** A view of one valve for {@link Confirmation}. */
    Confirmation.Valve probe(ObjectName valve) {
        return new Confirmation.Valve() {
            @Override
            public String label() {
                return ValveConnection.this.label(valve);
            }

            @Override
            public long pollInterval() throws Refused {
                return number(valve, "pollInterval");
            }

            @Override
            public String refresh() throws Refused {
                return String.valueOf(invoke(valve, "refresh", new Object[0], new String[0]));
            }

            @Override
            public String mode() throws Refused {
                return String.valueOf(attribute(valve, "mode"));
            }
        };
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
