package org.maintenancevalve.cli;

import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A JMX node in this JVM (no password) with valves that apply the flag file as the real valve
 * does when asked to {@code refresh}: the mode, whether users are held out, since when, and the
 * fingerprint of what is applied. The request figures are set by the test. (The real valves on
 * real Tomcats: CliScenarios, WindowScenarios, RunScenarios.)
 */
final class LiveNode implements AutoCloseable {

    /** One valve; its attributes are named as Tomcat's descriptor names them. */
    static final class Valve implements DynamicMBean {
        final String flagFile;
        /** Whether it re-reads the flag file when asked; a stuck valve keeps what it applied first. */
        volatile boolean applies = true;
        /** Whether it keeps a window on when the flag file is gone (it never lets users in again). */
        volatile boolean ignoresRemoval;
        volatile long pollInterval = 100;
        volatile long inFlight;
        volatile long inFlightBeforeMaintenance;
        volatile long blockedCount;
        volatile long admittedCount;
        /** What {@code awaitIdle} returns: the requests from before maintenance still running. */
        volatile int stillRunning;
        /** Whether {@code awaitIdle} fails as an operation of an older valve would (not there). */
        volatile boolean noAwaitIdle;
        /** Whether its request figures cannot be read (an attribute error). */
        volatile boolean noFigures;
        /** The seconds {@code awaitIdle} was last given; -1 before. */
        volatile int awaitedSeconds = -1;
        /** Whether its counters read as something else than numbers (a valve of another version). */
        volatile boolean noCounters;
        /** Each {@code blockedCount} read adds this (requests blocked meanwhile). */
        volatile long blockedPerRead;
        /** What it says of incoming mail; {@code null}: a valve too old to say (no such attributes). */
        volatile String incomingMail;
        volatile boolean incomingMailPaused;
        private volatile MaintenanceState state = MaintenanceState.OFF;

        Valve(String flagFile) {
            this.flagFile = flagFile;
        }

        private synchronized String refresh() {
            if (applies) {
                FlagSettings settings = FlagFileParser.read(Path.of(flagFile), Clock.systemUTC());
                if (settings != null || !ignoresRemoval) {
                    state = MaintenanceState.evaluate(settings, null, Instant.now(), state);
                }
            }
            return state.settings() == null ? "none" : state.settings().fingerprint();
        }

        @Override
        public Object getAttribute(String name) throws AttributeNotFoundException {
            switch (name) {
                case "flagFile":
                    return flagFile;
                case "pollInterval":
                    return pollInterval;
                case "mode":
                    return state.modeText();
                case "active":
                    return state.isActive();
                case "since":
                    return state.since() == null ? null : state.since().toString();
                case "inFlight":
                    if (noFigures) {
                        throw new AttributeNotFoundException("inFlight is not there");
                    }
                    return inFlight;
                case "inFlightBeforeMaintenance":
                    return inFlightBeforeMaintenance;
                case "blockedCount":
                    if (noCounters) {
                        return "n/a";
                    }
                    blockedCount += blockedPerRead;
                    return blockedCount;
                case "admittedCount":
                    return admittedCount;
                case "incomingMailPaused":
                    if (incomingMail == null) {
                        throw new AttributeNotFoundException(name);
                    }
                    return incomingMailPaused;
                case "incomingMail":
                    if (incomingMail == null) {
                        throw new AttributeNotFoundException(name);
                    }
                    return incomingMail;
                default:
                    throw new AttributeNotFoundException(name);
            }
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttributeList getAttributes(String[] names) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttributeList setAttributes(AttributeList list) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object invoke(String operation, Object[] params, String[] signature) throws ReflectionException {
            if ("refresh".equals(operation)) {
                return refresh();
            }
            if ("awaitIdle".equals(operation) && !noAwaitIdle) {
                awaitedSeconds = (Integer) params[0];
                return stillRunning;
            }
            throw new ReflectionException(new NoSuchMethodException(operation));
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return new MBeanInfo(Valve.class.getName(), "a valve applying the flag file", null, null, null, null);
        }
    }

    private final Registry registry;
    private final JMXConnectorServer server;
    private final MBeanServer mbeans;
    private final List<Valve> valves = new ArrayList<>();
    /** {@code 127.0.0.1:port}, as given to {@code --jmx}. */
    final String target;

    LiveNode() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry = LocateRegistry.createRegistry(port);
        mbeans = MBeanServerFactory.newMBeanServer();
        server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"), null, mbeans);
        server.start();
        target = "127.0.0.1:" + port;
    }

    /** Adds a valve watching {@code flag} on a host ({@code null}: the engine's). */
    Valve valve(Path flag, String host) throws Exception {
        Valve valve = new Valve(flag.toString());
        mbeans.registerMBean(valve, new ObjectName("Catalina:type=Valve,"
                + (host == null ? "" : "host=" + host + ",") + "name=MaintenanceValve"));
        valves.add(valve);
        return valve;
    }

    /** Registers any other MBean under that name (e.g. one that answers with something else than a valve's). */
    void register(Object mbean, String name) throws Exception {
        mbeans.registerMBean(mbean, new ObjectName(name));
    }

    /** How many JMX clients are connected now. */
    int connections() {
        return server.getConnectionIds().length;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        UnicastRemoteObject.unexportObject(registry, true);
    }
}
