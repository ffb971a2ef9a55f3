package org.maintenancevalve.install;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tomcat's JMX remote port as {@code bin/setenv.sh} opens it, whether it answers, and how to open
 * it: the command line's {@code status} and {@code wait-idle} need it where the JDK's attach API is
 * missing (Jira's and Confluence's bundled JRE) or Tomcat runs as another user.
 */
final class JmxSetup {

    private static final Pattern PORT = Pattern.compile("-Dcom\\.sun\\.management\\.jmxremote\\.port=(\\d+)");
    private static final Pattern HOST = Pattern.compile("-Dcom\\.sun\\.management\\.jmxremote\\.host=([^\\s\"']+)");
    private static final long TIMEOUT_MILLIS = 5000;

    /** The port Tomcat opens for JMX, or null; and the setenv.sh that says so. */
    final Integer port;
    final String host;
    final Path setenv;

    private JmxSetup(Integer port, String host, Path setenv) {
        this.port = port;
        this.host = host;
        this.setenv = setenv;
    }

    /**
     * Reads the {@code setenv.sh} catalina.sh runs: {@code CATALINA_BASE/bin/setenv.sh} if there is
     * one, else {@code CATALINA_HOME}'s. Comment lines are skipped.
     */
    static JmxSetup of(TomcatLayout layout) {
        Path setenv = layout.base.resolve("bin").resolve("setenv.sh");
        if (!Files.isRegularFile(setenv) && layout.home != null) {
            setenv = layout.home.resolve("bin").resolve("setenv.sh");
        }
        if (!Files.isRegularFile(setenv)) {
            return new JmxSetup(null, null, layout.base.resolve("bin").resolve("setenv.sh"));
        }
        Integer port = null;
        String host = null;
        try {
            for (String line : Files.readAllLines(setenv, StandardCharsets.ISO_8859_1)) {
                if (line.trim().startsWith("#")) {
                    continue;
                }
                Matcher p = PORT.matcher(line);
                if (p.find()) {
                    port = Integer.valueOf(p.group(1));
                }
                Matcher h = HOST.matcher(line);
                if (h.find()) {
                    host = h.group(1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new JmxSetup(null, null, setenv);
        }
        return new JmxSetup(port, host, setenv);
    }

    /** {@code host:port} to connect to: the bound host, else the loopback address. */
    String address() {
        String h = host == null || host.equals("0.0.0.0") || host.equals("*") ? "127.0.0.1" : host;
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /**
     * Connects (5 s at most) and counts the MaintenanceValves registered there.
     *
     * @return what was found, in words
     */
    static String probe(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT_MILLIS);
        } catch (IOException e) {
            return "nothing answers on " + hostPort + " (" + e.getMessage() + "): Tomcat is not running, or was not "
                    + "started with this setting";
        }
        FutureTask<Integer> count = new FutureTask<>(() -> {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + hostPort + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                return server.queryNames(new ObjectName("*:type=Valve,name=MaintenanceValve,*"), null).size();
            }
        });
        Thread thread = new Thread(count, "maintenance-valve-check-jmx");
        thread.setDaemon(true);
        thread.start();
        try {
            int valves = count.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return "reachable at " + hostPort + ": " + (valves == 0
                    ? "no MaintenanceValve registered there yet (Tomcat has not been restarted since the install)"
                    : valves + " MaintenanceValve" + (valves == 1 ? "" : "s") + " registered");
        } catch (TimeoutException e) {
            return "something listens on " + hostPort + " but no JMX answer came within 5 s";
        } catch (ExecutionException e) {
            return "something listens on " + hostPort + " but it does not answer as JMX (" + e.getCause() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not asked (interrupted)";
        }
    }

    /** The lines to add to setenv.sh for a JMX port on the loopback address only. */
    static List<String> snippet(int port) {
        return Arrays.asList(
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=" + port
                        + " -Dcom.sun.management.jmxremote.rmi.port=" + port + "\"",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.host=127.0.0.1"
                        + " -Djava.rmi.server.hostname=127.0.0.1\"",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.authenticate=false"
                        + " -Dcom.sun.management.jmxremote.ssl=false\"");
    }
}
