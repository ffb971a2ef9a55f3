package org.maintenancevalve.it;

import org.maintenancevalve.config.ValveAttributes;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Tomcat distribution (unpacked by the build into {@code tomcat.dist.dir}) started as a
 * separate JVM on its own {@code CATALINA_BASE}, with the sample app as the root web app and,
 * optionally, the maintenance valve in {@code server.xml}. Everything binds to 127.0.0.1 only.
 *
 * <pre>{@code
 * try (TomcatServer tomcat = TomcatServer.builder(version)
 *         .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"200\"")
 *         .start()) {
 *     Http.Response r = Http.get(tomcat.httpPort(), "/");
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts Tomcat down for real (shutdown port), and kills it only as a last
 * resort; a JVM shutdown hook kills any server a test forgot to close.
 */
public final class TomcatServer implements AutoCloseable {

    /** Where the valve goes in {@code server.xml}. */
    public enum Level { ENGINE, HOST, CONTEXT }

    /**
     * Writes {@code conf/server.xml} of a {@link Builder#prepared prepared} base for the ports of
     * one start, e.g. by rendering a template as an image's entrypoint does at every start.
     */
    @FunctionalInterface
    public interface ServerXmlWriter {
        /**
         * @param shutdownPort the Server's shutdown port (on the loopback address)
         * @param httpPort     the port of the one HTTP connector, to be bound to 127.0.0.1
         */
        void write(Path base, int shutdownPort, int httpPort) throws IOException;
    }

    public static final String VALVE_CLASS = ValveAttributes.CLASS_NAME;
    public static final String SHUTDOWN_COMMAND = "SHUTDOWN";
    /** util-linux's setpriv, which {@link Builder#runAs} starts Tomcat through. */
    public static final Path SETPRIV = Paths.get("/usr/bin/setpriv");

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration JMX_TIMEOUT = Duration.ofSeconds(30);
    static final int LOG_TAIL_LINES = 60;

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<Integer> PORTS_HANDED_OUT = new HashSet<>();
    private static final Set<Process> LIVE = Collections.synchronizedSet(new HashSet<>());

    static {
        // Bounded RMI calls for the JMX client (only if the test JVM has not chosen otherwise).
        if (System.getProperty("sun.rmi.transport.tcp.responseTimeout") == null) {
            System.setProperty("sun.rmi.transport.tcp.responseTimeout", "30000");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<Process> left;
            synchronized (LIVE) {
                left = new ArrayList<>(LIVE);
            }
            for (Process p : left) {
                p.destroyForcibly();
            }
        }, "tomcat-it-reaper"));
    }

    private final Builder config;
    private final Path home;
    private final Path baseDir;
    private final Path catalinaOut;
    private final List<Integer> httpPorts;
    private final List<Integer> ajpPorts;
    private final int shutdownPort;
    private final int jmxPort;
    private final long logOffset;
    private Process process;
    private JMXConnector jmxConnector;

    private TomcatServer(Builder config, Path home, Path baseDir, List<Integer> httpPorts, List<Integer> ajpPorts,
            int shutdownPort, int jmxPort, long logOffset) {
        this.config = config;
        this.home = home;
        this.baseDir = baseDir;
        this.catalinaOut = baseDir.resolve("logs").resolve("catalina.out");
        this.httpPorts = List.copyOf(httpPorts);
        this.ajpPorts = List.copyOf(ajpPorts);
        this.shutdownPort = shutdownPort;
        this.jmxPort = jmxPort;
        this.logOffset = logOffset;
    }

    // ------------------------------------------------------------------ entry points

    /**
     * {@code maintenance.flag} in a directory of its own under {@code it.work.dir}
     * ({@code <name>-<version>}), created if needed; a flag left by an earlier run is removed.
     */
    public static Path freshFlagFile(String name, String version) throws IOException {
        Path flag = Files.createDirectories(Path.of(System.getProperty("it.work.dir"), name + "-" + version))
                .resolve("maintenance.flag");
        Files.deleteIfExists(flag);
        return flag;
    }

    public static Builder builder(String version) {
        return new Builder(version);
    }

    /** The four Tomcat versions the build unpacked: 8.5, 9.0, 10.1 and 11.0 (system properties). */
    public static List<String> versions() {
        List<String> versions = new ArrayList<>();
        for (String key : List.of("tomcat85.version", "tomcat9.version", "tomcat101.version", "tomcat11.version")) {
            String v = System.getProperty(key);
            if (v == null || v.isBlank()) {
                throw new IllegalStateException("system property " + key
                        + " is not set: run the integration tests through Maven (mvn verify)");
            }
            versions.add(v);
        }
        return versions;
    }

    /** {@code <tomcat.dist.dir>/apache-tomcat-<version>}. */
    public static Path homeOf(String version) {
        String dist = System.getProperty("tomcat.dist.dir", "target/tomcat-dists");
        return Paths.get(dist).toAbsolutePath().resolve("apache-tomcat-" + version);
    }

    // ------------------------------------------------------------------ accessors

    public String version() {
        return config.version;
    }

    public Path home() {
        return home;
    }

    public Path baseDir() {
        return baseDir;
    }

    /** The first HTTP connector's port. */
    public int httpPort() {
        return httpPorts.get(0);
    }

    /** Connector 0 is the first; 1..n are the {@link Builder#extraConnectors(int) extra} ones. */
    public int httpPort(int connectorIndex) {
        return httpPorts.get(connectorIndex);
    }

    public List<Integer> httpPorts() {
        return httpPorts;
    }

    /** The port of an {@link Builder#ajpConnectors(int) AJP connector}, counted from 0. */
    public int ajpPort(int connectorIndex) {
        return ajpPorts.get(connectorIndex);
    }

    public int shutdownPort() {
        return shutdownPort;
    }

    public int jmxPort() {
        return jmxPort;
    }

    public Path catalinaOut() {
        return catalinaOut;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** What this JVM wrote to {@code logs/catalina.out} (an earlier run on the same base excluded). */
    public String log() {
        try (SeekableByteChannel ch = Files.newByteChannel(catalinaOut)) {
            long size = ch.size();
            if (size <= logOffset) {
                return "";
            }
            ch.position(logOffset);
            InputStream in = java.nio.channels.Channels.newInputStream(ch);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + catalinaOut, e);
        }
    }

    /** The last {@code lines} lines of {@link #log()}. */
    public String logTail(int lines) {
        String log = log();
        String[] all = log.split("\r?\n", -1);
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
    }

    /**
     * Waits until a line of {@link #log()} matches {@code regex} ({@code find}, not a full match)
     * and returns the first such line. Fails early if the process has exited without writing it.
     */
    public String waitForLog(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            boolean aliveBefore = isAlive();
            String line = findLine(pattern);
            if (line != null) {
                return line;
            }
            if (!aliveBefore) {
                throw new AssertionError("Tomcat " + version() + " exited (code " + exitCodeText()
                        + ") without logging a line matching /" + regex + "/\n" + tailForMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Timed out after " + elapsedMs(start) + " ms waiting for a log line matching /"
                        + regex + "/ from Tomcat " + version() + "\n" + tailForMessage());
            }
            LockSupport.parkNanos(Await.POLL_INTERVAL.toNanos());
        }
    }

    private String findLine(Pattern pattern) {
        for (String line : log().split("\r?\n")) {
            if (pattern.matcher(line).find()) {
                return line;
            }
        }
        return null;
    }

    /** Waits for the process to exit by itself (e.g. after a failed start) and returns its exit code. */
    public int waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Tomcat " + version() + " still running after " + timeout.toMillis()
                        + " ms\n" + tailForMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for Tomcat to exit", e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    // ------------------------------------------------------------------ JMX

    /** The remote JMX connection to this Tomcat (connected on first use, closed by stop/close). */
    public synchronized MBeanServerConnection jmx() {
        if (jmxConnector == null) {
            JMXServiceURL url;
            try {
                url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
            jmxConnector = Await.until(JMX_TIMEOUT, "JMX connection to Tomcat " + version() + " at " + url, () -> {
                if (!isAlive()) {
                    throw new AssertionError("Tomcat " + version() + " is not running");
                }
                try {
                    return JMXConnectorFactory.connect(url, config.jmxUsers.isEmpty() ? Map.of()
                            : Map.of(JMXConnector.CREDENTIALS, new String[] {config.jmxUsers.get(0)[0], config.jmxUsers.get(0)[1]}));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Objects::nonNull);
        }
        try {
            return jmxConnector.getMBeanServerConnection();
        } catch (IOException e) {
            throw new UncheckedIOException("JMX connection to Tomcat " + version() + " failed", e);
        }
    }

    private synchronized void closeJmx() {
        if (jmxConnector != null) {
            try {
                jmxConnector.close();
            } catch (IOException | RuntimeException ignored) {
                // the server may already be gone
            }
            jmxConnector = null;
        }
    }

    // ------------------------------------------------------------------ stop / close

    /**
     * A real shutdown: sends {@code SHUTDOWN} to the shutdown port and waits (30 s at most) for
     * the JVM to exit. Returns its exit code. Returns at once if it has already exited.
     */
    public synchronized int stop() {
        closeJmx();
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        long start = System.nanoTime();
        long deadline = start + STOP_TIMEOUT.toNanos();
        boolean sent = false;
        IOException lastError = null;
        while (process.isAlive() && !sent) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), shutdownPort), 2000);
                socket.setSoTimeout(2000);
                OutputStream out = socket.getOutputStream();
                out.write(SHUTDOWN_COMMAND.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sent = true;
            } catch (IOException e) {
                // Not listening yet (still starting) or not any more: retry until the deadline.
                lastError = e;
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
                LockSupport.parkNanos(Await.POLL_INTERVAL.toNanos());
            }
        }
        try {
            long remaining = Math.max(0, deadline - System.nanoTime());
            if (!process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                throw new AssertionError("Tomcat " + version() + " did not exit within " + STOP_TIMEOUT.toSeconds()
                        + " s after " + (sent ? "SHUTDOWN was sent" : "trying to send SHUTDOWN (" + lastError + ")")
                        + " to port " + shutdownPort + "\n" + tailForMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping Tomcat " + version(), e);
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /**
     * Stops Tomcat if it is running, killing it as a last resort. Never throws for a process that
     * has already exited; throws (after killing it) if a running Tomcat would not shut down, since
     * that is a bug worth seeing (e.g. a non-daemon thread left behind).
     */
    @Override
    public void close() {
        AssertionError failure = null;
        try {
            if (isAlive()) {
                stop();
            }
        } catch (AssertionError | RuntimeException e) {
            failure = e instanceof AssertionError ? (AssertionError) e : new AssertionError(e.toString(), e);
        } finally {
            closeJmx();
            if (process != null) {
                if (process.isAlive()) {
                    process.destroyForcibly();
                    try {
                        process.waitFor(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                LIVE.remove(process);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Tomcat " + version() + " [base=" + baseDir + ", http=" + httpPorts + ", shutdown=" + shutdownPort
                + ", jmx=" + jmxPort + (process != null ? ", pid=" + process.pid() : "") + "]";
    }

    // ------------------------------------------------------------------ launching

    private void launch(boolean waitUntilServing) {
        List<String> cmd = new ArrayList<>();
        if (config.runAs != null) {
            // As the unprivileged user a product image runs Tomcat as (the test JVM is root).
            cmd.addAll(List.of(SETPRIV.toString(), "--reuid=" + config.runAs[0], "--regid=" + config.runAs[1],
                    "--clear-groups", "--"));
        }
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(moduleOptions());
        cmd.add("-Djava.util.logging.config.file=" + baseDir.resolve("conf").resolve("logging.properties"));
        cmd.add("-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager");
        cmd.add("-Djdk.tls.ephemeralDHKeySize=2048");
        if (!config.version.startsWith("11.")) {
            cmd.add("-Djava.protocol.handler.pkgs=org.apache.catalina.webresources");
        }
        cmd.add("-Dcom.sun.management.jmxremote.port=" + jmxPort);
        cmd.add("-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort);
        if (config.jmxUsers.isEmpty()) {
            // Without a password: a throwaway Tomcat on 127.0.0.1, for tests only (docs/jmx.md).
            cmd.add("-Dcom.sun.management.jmxremote.authenticate=false");
        } else {
            cmd.add("-Dcom.sun.management.jmxremote.authenticate=true");
            cmd.add("-Dcom.sun.management.jmxremote.password.file=" + writeJmxFile("jmxremote.password", 1));
            cmd.add("-Dcom.sun.management.jmxremote.access.file=" + writeJmxFile("jmxremote.access", 2));
        }
        cmd.add("-Dcom.sun.management.jmxremote.ssl=false");
        cmd.add("-Dcom.sun.management.jmxremote.host=127.0.0.1");
        cmd.add("-Dcom.sun.management.jmxremote.local.only=true");
        cmd.add("-Djava.rmi.server.hostname=127.0.0.1");
        for (Map.Entry<String, String> p : config.systemProperties.entrySet()) {
            cmd.add("-D" + p.getKey() + "=" + p.getValue());
        }
        // Lets server.xml name a connector's port, as in adminPort="${it.httpPort.1}" (conf/catalina.properties
        // holds them too, for check).
        for (int i = 0; i < httpPorts.size(); i++) {
            cmd.add("-Dit.httpPort." + i + "=" + httpPorts.get(i));
        }
        for (int i = 0; i < ajpPorts.size(); i++) {
            cmd.add("-Dit.ajpPort." + i + "=" + ajpPorts.get(i));
        }
        cmd.add("-classpath");
        cmd.add(home.resolve("bin").resolve("bootstrap.jar") + java.io.File.pathSeparator
                + home.resolve("bin").resolve("tomcat-juli.jar"));
        cmd.add("-Dcatalina.base=" + baseDir);
        cmd.add("-Dcatalina.home=" + home);
        cmd.add("-Djava.io.tmpdir=" + baseDir.resolve("temp"));
        cmd.add("org.apache.catalina.startup.Bootstrap");
        cmd.add("start");

        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(baseDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(catalinaOut.toFile()));
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("CLASSPATH");
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + cmd, e);
        }
        LIVE.add(process);
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to write to it anyway
        }
        if (waitUntilServing) {
            try {
                awaitServing();
            } catch (RuntimeException | AssertionError e) {
                try {
                    close();
                } catch (RuntimeException | AssertionError closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
        }
    }

    /**
     * {@code conf/<name>}, one line per JMX user: the user and its password ({@code column} 1) or
     * its role (2); mode 600, as the JDK requires of the password file.
     */
    private Path writeJmxFile(String name, int column) {
        StringBuilder text = new StringBuilder();
        for (String[] user : config.jmxUsers) {
            text.append(user[0]).append(' ').append(user[column]).append('\n');
        }
        Path file = baseDir.resolve("conf").resolve(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** The module options Tomcat's catalina.sh passes on Java 9+ (union over the four lines). */
    private List<String> moduleOptions() {
        List<String> opts = new ArrayList<>(List.of(
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED"));
        if (config.version.startsWith("11.")) {
            opts.add("--enable-native-access=ALL-UNNAMED");
        }
        return opts;
    }

    private void awaitServing() {
        long start = System.nanoTime();
        long deadline = start + START_TIMEOUT.toNanos();
        Throwable lastError = null;
        boolean answered = false;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Tomcat " + version() + " exited during start-up with code "
                        + process.exitValue() + " after " + elapsedMs(start) + " ms\n" + tailForMessage());
            }
            String log = log();
            if (log.contains("java.net.BindException") || log.contains("Address already in use")) {
                String message = "Tomcat " + version() + " could not bind a port " + this + "\n" + tailForMessage();
                process.destroyForcibly(); // half started, maybe without its shutdown port: nothing to keep
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                LIVE.remove(process);
                throw new PortTaken(message);
            }
            if (!answered) {
                try {
                    RawHttp.send(httpPort(), "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + httpPort()
                            + "\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
                    answered = true;
                } catch (RuntimeException e) {
                    lastError = e;
                }
            }
            // "Server startup in" follows the connectors' start: this Tomcat, not some other
            // process on a reused port, has answered.
            if (answered && log.contains("Server startup in")) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("Tomcat " + version() + " did not " + (answered
                        ? "log 'Server startup in'" : "answer HTTP on 127.0.0.1:" + httpPort())
                        + " within " + START_TIMEOUT.toSeconds() + " s (last error: " + lastError + ") " + this
                        + "\n" + tailForMessage());
            }
            LockSupport.parkNanos(Await.POLL_INTERVAL.toNanos());
        }
    }

    private String exitCodeText() {
        return process != null && !process.isAlive() ? String.valueOf(process.exitValue()) : "?";
    }

    private String tailForMessage() {
        return "---- last " + LOG_TAIL_LINES + " lines of " + catalinaOut + " ----\n" + logTail(LOG_TAIL_LINES)
                + "\n---- end of catalina.out ----";
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Tomcat could not bind a port it was given: it has been stopped, and another start may try new ports. */
    static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ ports

    /** Free loopback ports, distinct from each other and from any handed out before in this JVM. */
    static List<Integer> freePorts(int count) {
        synchronized (PORTS_HANDED_OUT) {
            List<ServerSocket> held = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            try {
                int attempts = 0;
                while (ports.size() < count) {
                    if (++attempts > count + 200) {
                        throw new IllegalStateException("cannot find " + count + " free loopback ports");
                    }
                    ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    held.add(s);
                    int port = s.getLocalPort();
                    if (PORTS_HANDED_OUT.add(port)) {
                        ports.add(port);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot allocate loopback ports", e);
            } finally {
                for (ServerSocket s : held) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
            return ports;
        }
    }

    // ------------------------------------------------------------------ builder

    /** Describes one Tomcat start. {@link #start()} may be called once per builder. */
    public static final class Builder {
        private final String version;
        private String name = "tomcat";
        private final List<String[]> valves = new ArrayList<>();
        private int extraConnectors;
        private int ajpConnectors;
        private boolean http2;
        private final List<String> hostValveXml = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String[]> jmxUsers = new ArrayList<>();
        private Path baseDir;
        private boolean installJar = true;
        private String app = "sample-app";
        private final List<Path> webappLibs = new ArrayList<>();
        private String contextPath = "";
        private final List<BaseStep> beforeLaunch = new ArrayList<>();
        private int[] runAs;
        private List<String> userDirectories = List.of();
        private Path prepared;
        private ServerXmlWriter serverXmlWriter;

        private Builder(String version) {
            this.version = Objects.requireNonNull(version, "version");
        }

        /** Prefix of the CATALINA_BASE directory name (letters, digits, '-', '_', '.'). */
        public Builder name(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("unsuitable directory name: " + name);
            }
            this.name = name;
            return this;
        }

        /**
         * Adds {@code <Valve className="org.maintenancevalve.MaintenanceValve" ATTRIBUTES/>} at
         * {@code level}; {@code attributes} is raw XML attribute text (may be null or empty).
         * Each call adds one valve.
         */
        public Builder valve(Level level, String attributes) {
            valves.add(new String[] {Objects.requireNonNull(level, "level").name(),
                    attributes == null ? "" : attributes.trim()});
            return this;
        }

        /** {@code n} more HTTP connectors on 127.0.0.1, each on its own free port. */
        public Builder extraConnectors(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("n < 0");
            }
            this.extraConnectors = n;
            return this;
        }

        /**
         * {@code n} AJP connectors on 127.0.0.1 ({@code protocol="AJP/1.3" secretRequired="false"}),
         * each on its own free port: {@link TomcatServer#ajpPort(int)}, {@code ${it.ajpPort.<i>}}.
         */
        public Builder ajpConnectors(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("n < 0");
            }
            this.ajpConnectors = n;
            return this;
        }

        /** Lets the first connector speak HTTP/2 as well (cleartext: upgrade or prior knowledge). */
        public Builder http2() {
            this.http2 = true;
            return this;
        }

        /** Raw XML placed in {@code <Host>} before our valve (e.g. a RemoteIpValve). May be repeated. */
        public Builder hostValveXml(String rawXml) {
            hostValveXml.add(Objects.requireNonNull(rawXml, "rawXml"));
            return this;
        }

        /**
         * A JMX user: with one, the JMX port asks for a user and password (the files of
         * docs/jmx.md, in {@code conf/}, mode 600). {@link TomcatServer#jmx()} logs in as the first.
         *
         * @param role {@code readonly} or {@code readwrite}
         */
        public Builder jmxUser(String user, String password, String role) {
            jmxUsers.add(new String[] {user, password, role});
            return this;
        }

        /** A {@code -Dkey=value} for the Tomcat JVM. */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Reuses an existing CATALINA_BASE (e.g. {@code previous.baseDir()} for a restart):
         * {@code conf/} is kept as it is, except {@code server.xml}, which is written anew (new
         * ports); the jar and the sample app are copied again; catalina.out is appended to.
         */
        public Builder baseDir(Path baseDir) {
            this.baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath();
            return this;
        }

        /** The sample app's context path: {@code ""} (ROOT, the default) or e.g. {@code "/jira"}. */
        public Builder contextPath(String path) {
            if (!path.isEmpty() && !path.matches("(/[A-Za-z0-9._-]+)+")) {
                throw new IllegalArgumentException("unsuitable context path: " + path);
            }
            this.contextPath = path;
            return this;
        }

        /**
         * Whether to copy the maintenance valve jar into {@code lib/} (default true). With false,
         * a copy left in {@code lib/} by an earlier start on the same base is removed.
         */
        public Builder installJar(boolean installJar) {
            this.installJar = installJar;
            return this;
        }

        /**
         * The root web app: a directory of the test resources (default {@code sample-app};
         * {@code routing-app} routes like Jira and Confluence).
         */
        public Builder app(String resourceDirectory) {
            this.app = Objects.requireNonNull(resourceDirectory, "resourceDirectory");
            return this;
        }

        /**
         * A step on the prepared CATALINA_BASE just before Tomcat starts (its {@code server.xml}
         * written, with its ports), e.g. an install into it. May be repeated; they run in order.
         */
        public Builder beforeLaunch(BaseStep step) {
            beforeLaunch.add(Objects.requireNonNull(step, "step"));
            return this;
        }

        /**
         * Starts Tomcat as this user and group, through {@code setpriv} (the test JVM must be
         * root), as a product image runs it. Before it starts, the CATALINA_BASE is given to that
         * user: all of it ({@code chown -R}, as a tarball install chowned to the Tomcat user), or,
         * when {@code directories} are named (e.g. {@code logs}, {@code temp}, {@code work}), only
         * those, the rest staying root's (as in Atlassian's images).
         */
        public Builder runAs(int uid, int gid, String... directories) {
            this.runAs = new int[] {uid, gid};
            this.userDirectories = List.of(directories);
            return this;
        }

        /** A jar copied into the root web app's {@code WEB-INF/lib}. May be repeated. */
        public Builder webappLib(Path jar) {
            webappLibs.add(Objects.requireNonNull(jar, "jar"));
            return this;
        }

        /**
         * Starts on a directory the test laid out itself, which is CATALINA_BASE and CATALINA_HOME
         * at once (as a Jira or Confluence installation directory, and the images' one): Tomcat's
         * {@code bin/} jars, {@code lib/}, {@code conf/}, the web applications. The harness writes
         * nothing there but {@code logs/}; {@code writer} writes {@code conf/server.xml} for the
         * ports of this start. The valve, app and connector settings of this builder are not used.
         */
        public Builder prepared(Path base, ServerXmlWriter writer) {
            this.prepared = Objects.requireNonNull(base, "base").toAbsolutePath();
            this.serverXmlWriter = Objects.requireNonNull(writer, "writer");
            return this;
        }

        /** Starts Tomcat and waits until it serves HTTP on its first connector (60 s at most). */
        public TomcatServer start() {
            return start(true);
        }

        /** Starts Tomcat without waiting for it to serve; wait on {@link #waitForLog} instead. */
        public TomcatServer startExpectingFailure() {
            return start(false);
        }

        /** Starts Tomcat, waiting until it serves HTTP only if {@code waitUntilServing}. */
        public TomcatServer start(boolean waitUntilServing) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return prepared != null ? startPrepared(waitUntilServing) : startOnce(waitUntilServing);
                } catch (PortTaken e) {
                    // A port found free was taken before Tomcat bound it (by an outgoing connection's
                    // ephemeral port, or another process): new ports, once or twice.
                    if (attempt == 3) {
                        throw e;
                    }
                }
            }
        }

        private TomcatServer startOnce(boolean waitUntilServing) {
            Path home = runAs != null ? readableHome(homeOf(version)) : homeOf(version);
            if (!Files.isRegularFile(home.resolve("bin").resolve("bootstrap.jar"))) {
                throw new IllegalStateException("no Tomcat " + version + " at " + home
                        + ": the pre-integration-test phase unpacks it (run mvn verify)");
            }
            try {
                Path base = prepareBase(home);
                List<Integer> ports = freePorts(3 + extraConnectors + ajpConnectors);
                int shutdownPort = ports.get(0);
                int jmxPort = ports.get(1);
                List<Integer> httpPorts = ports.subList(2, 3 + extraConnectors);
                List<Integer> ajpPorts = ports.subList(3 + extraConnectors, ports.size());
                Files.writeString(base.resolve("conf").resolve("server.xml"), serverXml(shutdownPort, httpPorts, ajpPorts),
                        StandardCharsets.UTF_8);
                writePortProperties(base.resolve("conf").resolve("catalina.properties"), httpPorts, ajpPorts);
                for (BaseStep step : beforeLaunch) {
                    step.prepare(base);
                }
                if (runAs != null) {
                    giveToUser(base);
                }
                Path out = base.resolve("logs").resolve("catalina.out");
                long offset = Files.exists(out) ? Files.size(out) : 0L;
                TomcatServer server = new TomcatServer(this, home, base, httpPorts, ajpPorts, shutdownPort, jmxPort,
                        offset);
                server.launch(waitUntilServing);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare CATALINA_BASE for Tomcat " + version, e);
            }
        }

        /**
         * A CATALINA_HOME every user can read: the distributions ship their jars readable by their
         * owner and group only, so a Tomcat started as another user gets a copy of {@code bin/},
         * {@code conf/} and {@code lib/} (made once per version under {@code it.work.dir}).
         */
        private static Path readableHome(Path home) {
            if (!Files.isRegularFile(home.resolve("bin").resolve("bootstrap.jar"))) {
                return home; // start() says what is missing
            }
            Path work = Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath();
            Path copy = work.resolve(home.getFileName() + "-readable");
            if (Files.isDirectory(copy)) {
                return copy;
            }
            try {
                Files.createDirectories(work);
                Path partial = work.resolve(home.getFileName() + "-readable.partial-" + ProcessHandle.current().pid());
                for (String dir : List.of("bin", "conf", "lib")) {
                    copyTree(home.resolve(dir), partial.resolve(dir), p -> !p.toString().endsWith(".sh"));
                }
                try (Stream<Path> all = Files.walk(partial)) {
                    for (Path path : (Iterable<Path>) all::iterator) {
                        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(
                                Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
                return copy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a readable copy of " + home, e);
            }
        }

        /** Gives the base (or only {@link #userDirectories}) to the {@link #runAs} user. */
        private void giveToUser(Path base) throws IOException {
            if (!Files.isExecutable(SETPRIV)) {
                throw new IllegalStateException("runAs needs " + SETPRIV + " (util-linux) and root");
            }
            List<Path> roots = new ArrayList<>();
            if (userDirectories.isEmpty()) {
                roots.add(base);
            } else {
                for (String directory : userDirectories) {
                    roots.add(base.resolve(directory));
                }
            }
            for (Path root : roots) {
                try (Stream<Path> all = Files.walk(root)) {
                    for (Path path : (Iterable<Path>) all::iterator) {
                        Files.setAttribute(path, "unix:uid", runAs[0], java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        Files.setAttribute(path, "unix:gid", runAs[1], java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    }
                }
            }
        }

        private TomcatServer startPrepared(boolean waitUntilServing) {
            if (!Files.isRegularFile(prepared.resolve("bin").resolve("bootstrap.jar"))) {
                throw new IllegalStateException("no bin/bootstrap.jar in the prepared base " + prepared);
            }
            try {
                List<Integer> ports = freePorts(3);
                serverXmlWriter.write(prepared, ports.get(0), ports.get(2));
                Path out = Files.createDirectories(prepared.resolve("logs")).resolve("catalina.out");
                long offset = Files.exists(out) ? Files.size(out) : 0L;
                TomcatServer server = new TomcatServer(this, prepared, prepared, List.of(ports.get(2)), List.of(),
                        ports.get(0), ports.get(1), offset);
                server.launch(waitUntilServing);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write server.xml of " + prepared, e);
            }
        }

        private Path prepareBase(Path home) throws IOException {
            Path base = baseDir;
            if (base == null) {
                Path work = Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath();
                Files.createDirectories(work);
                do {
                    base = work.resolve(name + "-" + version + "-" + COUNTER.incrementAndGet());
                } while (Files.exists(base));
            }
            for (String dir : List.of("conf", "lib", "logs", "temp", "work", "webapps")) {
                Files.createDirectories(base.resolve(dir));
            }
            Path conf = base.resolve("conf");
            if (!Files.exists(conf.resolve("web.xml"))) {
                copyTree(home.resolve("conf"), conf, p -> !p.toString().equals("server.xml"));
            }
            Path jar = JarRun.jar();
            if (installJar) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("maintenance valve jar not found at " + jar
                            + " (system property maintenancevalve.jar): the package phase builds it");
                }
                Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(base.resolve("lib").resolve(jar.getFileName()));
            }
            Path root = base.resolve("webapps").resolve("ROOT");
            copyTree(appDir(app), root, p -> true);
            for (Path lib : webappLibs) {
                if (!Files.isRegularFile(lib)) {
                    throw new IllegalStateException("web app library not found at " + lib
                            + ": the pre-integration-test phase copies it (run mvn verify)");
                }
                Path libDir = Files.createDirectories(root.resolve("WEB-INF").resolve("lib"));
                Files.copy(lib, libDir.resolve(lib.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return base;
        }

        /**
         * {@code it.httpPort.<i>} and {@code it.ajpPort.<i>} in {@code conf/catalina.properties} (those of
         * an earlier start replaced): Tomcat makes them system properties, and {@code check} resolves
         * {@code ${...}} in server.xml from this file as Tomcat would.
         */
        private static void writePortProperties(Path file, List<Integer> httpPorts, List<Integer> ajpPorts)
                throws IOException {
            List<String> lines = new ArrayList<>();
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    if (!line.startsWith("it.httpPort.") && !line.startsWith("it.ajpPort.")) {
                        lines.add(line);
                    }
                }
            }
            for (int i = 0; i < httpPorts.size(); i++) {
                lines.add("it.httpPort." + i + "=" + httpPorts.get(i));
            }
            for (int i = 0; i < ajpPorts.size(); i++) {
                lines.add("it.ajpPort." + i + "=" + ajpPorts.get(i));
            }
            Files.write(file, lines, StandardCharsets.ISO_8859_1);
        }

        private String serverXml(int shutdownPort, List<Integer> httpPorts, List<Integer> ajpPorts) {
            StringBuilder x = new StringBuilder();
            x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            x.append("<!-- Written by the integration-test harness (TomcatServer) for Tomcat ").append(version)
                    .append(" -->\n");
            x.append("<Server port=\"").append(shutdownPort).append("\" address=\"127.0.0.1\" shutdown=\"")
                    .append(SHUTDOWN_COMMAND).append("\">\n");
            x.append("  <Listener className=\"org.apache.catalina.startup.VersionLoggerListener\"/>\n");
            x.append("  <Service name=\"Catalina\">\n");
            for (int port : httpPorts) {
                x.append("    <Connector port=\"").append(port)
                        .append("\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\"");
                if (http2 && port == httpPorts.get(0)) {
                    x.append(">\n      <UpgradeProtocol className=\"org.apache.coyote.http2.Http2Protocol\"/>\n"
                            + "    </Connector>\n");
                } else {
                    x.append("/>\n");
                }
            }
            for (int port : ajpPorts) {
                x.append("    <Connector port=\"").append(port)
                        .append("\" address=\"127.0.0.1\" protocol=\"AJP/1.3\" secretRequired=\"false\"/>\n");
            }
            x.append("    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n");
            appendValves(x, Level.ENGINE, "      ");
            // Under another path the sample app (webapps/ROOT) must not be deployed a second time as ROOT.
            x.append("      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"false\" autoDeploy=\"false\"")
                    .append(contextPath.isEmpty() ? "" : " deployOnStartup=\"false\"").append(">\n");
            for (String xml : hostValveXml) {
                x.append("        ").append(xml.trim()).append('\n');
            }
            appendValves(x, Level.HOST, "        ");
            x.append("        <Context path=\"").append(contextPath).append("\" docBase=\"ROOT\">\n");
            appendValves(x, Level.CONTEXT, "          ");
            x.append("        </Context>\n");
            x.append("      </Host>\n");
            x.append("    </Engine>\n");
            x.append("  </Service>\n");
            x.append("</Server>\n");
            return x.toString();
        }

        private void appendValves(StringBuilder x, Level level, String indent) {
            for (String[] valve : valves) {
                if (valve[0].equals(level.name())) {
                    x.append(indent).append("<Valve className=\"").append(VALVE_CLASS).append('"');
                    if (!valve[1].isEmpty()) {
                        x.append(' ').append(valve[1]);
                    }
                    x.append("/>\n");
                }
            }
        }
    }

    // ------------------------------------------------------------------ files

    /** The sample app, src/test/resources/sample-app (a directory on the test class path). */
    static Path sampleAppDir() {
        return appDir("sample-app");
    }

    /** A web app under src/test/resources (a directory on the test class path with a WEB-INF/web.xml). */
    static Path appDir(String name) {
        URL url = TomcatServer.class.getResource("/" + name + "/WEB-INF/web.xml");
        if (url == null) {
            throw new IllegalStateException(name + "/WEB-INF/web.xml is not on the test class path");
        }
        if (!"file".equals(url.getProtocol())) {
            throw new IllegalStateException(name + " must be a directory on the class path, not " + url);
        }
        try {
            return Paths.get(url.toURI()).getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Something done to a prepared CATALINA_BASE before Tomcat starts ({@link Builder#beforeLaunch}). */
    public interface BaseStep {
        void prepare(Path base) throws IOException;
    }

    private interface PathFilter {
        boolean accept(Path relative);
    }

    private static void copyTree(Path from, Path to, PathFilter filter) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path relative = from.relativize(source);
                if (!filter.accept(relative)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
