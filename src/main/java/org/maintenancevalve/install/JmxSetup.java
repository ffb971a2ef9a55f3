package org.maintenancevalve.install;

import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.jmxclient.JmxRemote;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
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
    /** A host name or address (nothing else is printed from the file: no control characters). */
    private static final Pattern HOST = Pattern.compile("-Dcom\\.sun\\.management\\.jmxremote\\.host=([A-Za-z0-9._:%*\\[\\]-]+)");
    private static final Pattern AUTHENTICATE = Pattern.compile("-Dcom\\.sun\\.management\\.jmxremote\\.authenticate=([A-Za-z]*)");
    private static final long TIMEOUT_MILLIS = 5000;

    /** The JMX user the printed lines create, with the role {@code readwrite}. */
    static final String JMX_USER = "maintenance";
    /** Where the printed lines keep the password for the command line: a file only root reads. */
    static final String ROOTS_PASSWORD_FILE = "/root/.maintenance-valve-jmx";

    /** The port Tomcat opens for JMX, or null; and the setenv.sh that says so. */
    final Integer port;
    final String host;
    /** The value of {@code jmxremote.authenticate}, or null when not set (the JDK's default: true). */
    final String authenticate;
    final Path setenv;

    private JmxSetup(Integer port, String host, String authenticate, Path setenv) {
        this.port = port;
        this.host = host;
        this.authenticate = authenticate;
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
            return new JmxSetup(null, null, null, layout.base.resolve("bin").resolve("setenv.sh"));
        }
        Integer port = null;
        String host = null;
        String authenticate = null;
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
                Matcher a = AUTHENTICATE.matcher(line);
                if (a.find()) {
                    authenticate = a.group(1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return new JmxSetup(null, null, null, setenv);
        }
        return new JmxSetup(port, host, authenticate, setenv);
    }

    /**
     * Whether the port asks for no password: the JDK reads {@code authenticate} as a boolean, so
     * anything but {@code true} turns it off.
     */
    boolean unauthenticated() {
        return authenticate != null && !authenticate.equalsIgnoreCase("true");
    }

    /** Whether the port is bound to the loopback address alone (without {@code host}: every address). */
    boolean loopbackOnly() {
        return host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")
                || host.equals("[::1]"));
    }

    /** {@code host:port} to connect to: the bound host, else the loopback address. */
    String address() {
        String h = host == null || host.equals("0.0.0.0") || host.equals("*") ? "127.0.0.1" : host;
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }

    /**
     * Connects (5 s at most, with the login, filtered: {@link JmxRemote}) and counts the
     * MaintenanceValves registered there.
     *
     * @return what was found, in words
     */
    static String probe(String hostPort, JmxLogin login) {
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
            try (JMXConnector connector = JmxRemote.connect(hostPort, login)) {
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
            Throwable cause = e.getCause();
            if (cause instanceof JmxRemote.LoginFailed) {
                return "the port answers at " + hostPort + " but the login failed: " + cause.getMessage();
            }
            if (cause instanceof JmxRemote.Unfiltered) {
                return "not asked: " + cause.getMessage();
            }
            return "something listens on " + hostPort + " but it does not answer as JMX (" + cause + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not asked (interrupted)";
        }
    }

    /**
     * The lines to add to setenv.sh for a JMX port on the loopback address only, with a password:
     * {@code jmxremote.password} and {@code jmxremote.access} in {@code conf/}, which
     * {@link #passwordFiles} creates. ({@code ssl=false}: the traffic stays on the loopback interface.)
     */
    static List<String> snippet(int port, Path base) {
        Path conf = base.resolve("conf");
        return Arrays.asList(
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=" + port
                        + " -Dcom.sun.management.jmxremote.rmi.port=" + port + "\"",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.host=127.0.0.1"
                        + " -Djava.rmi.server.hostname=127.0.0.1\"",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.authenticate=true"
                        + " -Dcom.sun.management.jmxremote.ssl=false\"",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.password.file=" + conf.resolve("jmxremote.password") + "\"",
                "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.access.file=" + conf.resolve("jmxremote.access") + "\"");
    }

    /**
     * The commands (for root) that create the password: one copy for the command line in a file only
     * root reads, and Tomcat's {@code jmxremote.password} (the JDK refuses one that others can read)
     * and {@code jmxremote.access} ({@link #JMX_USER} may read and write), both its user's alone.
     *
     * @param tomcatUser   the user Tomcat runs as, or null when not known
     * @param passwordFile where the command line's copy goes ({@link #ROOTS_PASSWORD_FILE})
     */
    static List<String> passwordFiles(Path base, String tomcatUser, String passwordFile) {
        Path conf = base.resolve("conf");
        String owner = tomcatUser == null ? "<tomcat-user>" : tomcatUser;
        return Arrays.asList(
                "(umask 077; tr -dc A-Za-z0-9 </dev/urandom | head -c 32 > " + passwordFile + ")",
                "printf '" + JMX_USER + " %s\\n' \"$(cat " + passwordFile + ")\" | install -m 600 -o " + owner
                        + " /dev/stdin " + conf.resolve("jmxremote.password"),
                "echo '" + JMX_USER + " readwrite' | install -m 600 -o " + owner + " /dev/stdin "
                        + conf.resolve("jmxremote.access"));
    }

    /** The login options for the files {@link #passwordFiles} creates. */
    static String loginOptions() {
        return JmxLogin.USER_OPTION + " " + JMX_USER + " " + JmxLogin.PASSWORD_FILE_OPTION + " " + ROOTS_PASSWORD_FILE;
    }
}
