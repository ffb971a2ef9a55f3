package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.maintenancevalve.cli.Main;

import javax.management.MBeanServerConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * What the scenario classes share: one real Tomcat per class (started by the subclass's
 * {@code @BeforeAll} through {@link #startTomcat}, stopped after all its tests), the flag file its
 * valve watches, and the ways the tests talk to it: HTTP, JMX and the command line in process.
 * Subclasses name the Tomcat line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TomcatScenarios {

    /** The valve's pollInterval in most scenarios: short, so a test waits little for a change. */
    static final long POLL_MILLIS = 200;
    /** Long enough that a request right after a command would still pass if the command had not confirmed. */
    static final long LONG_POLL_MILLIS = 10_000;
    /** pollInterval plus a margin for a loaded CI machine. */
    static final Duration TOGGLE_DEADLINE = Duration.ofMillis(POLL_MILLIS + 2500);
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    static final ObjectMapper JSON = new ObjectMapper();

    final String version;
    /** The flag file the scenario's valve watches; absent when the Tomcat starts. */
    Path flag;
    TomcatServer tomcat;
    /** What the last {@link #cli} printed. */
    String out;
    String err;

    TomcatScenarios(String version) {
        this.version = version;
    }

    /**
     * Starts the scenario's Tomcat with the valve at Host level, watching a fresh flag file in
     * {@code it.work.dir/<flags>-<version>/}.
     *
     * @param attributes the valve's attributes besides {@code flagFile} and {@code pollInterval}
     * @param more       anything else the scenario's Tomcat needs (connectors, a context path, ...)
     */
    TomcatServer startTomcat(String name, String flags, long pollMillis, String attributes,
                             UnaryOperator<TomcatServer.Builder> more) throws IOException {
        flag = TomcatServer.freshFlagFile(flags, version);
        tomcat = more.apply(TomcatServer.builder(version).name(name)
                        .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"" + pollMillis + "\""
                                + (attributes.isEmpty() ? "" : " " + attributes)))
                .start();
        return tomcat;
    }

    @AfterAll
    void stopTomcat() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    /** Removes the flag file and waits until {@code off} says the valve let users in again. */
    void removeFlagAndAwait(Duration deadline, BooleanSupplier off) throws IOException {
        Files.deleteIfExists(flag);
        Await.until(deadline, "maintenance off after the test", off);
    }

    Http.Response get(String path, String... headers) {
        return Http.get(tomcat.httpPort(), path, headers);
    }

    /** The address of {@code path} on the scenario's Tomcat, for a browser. */
    String url(String path) {
        return "http://127.0.0.1:" + tomcat.httpPort() + path;
    }

    int status(String path) {
        return get(path).status();
    }

    /** {@code 127.0.0.1:<Tomcat's JMX port>}, for the command line's {@code --jmx}. */
    String jmx() {
        return "127.0.0.1:" + tomcat.jmxPort();
    }

    /** An attribute of the valve, read over JMX. */
    Object attribute(String name) {
        try {
            MBeanServerConnection jmx = tomcat.jmx();
            return jmx.getAttribute(CoreScenarios.valveName(jmx), name);
        } catch (Exception e) {
            throw new AssertionError("JMX attribute " + name, e);
        }
    }

    /** Runs the command line in this JVM (no environment); {@link #out} and {@link #err} keep what it printed. */
    int cli(String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(outBytes, true), new PrintStream(errBytes, true), Map.of());
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return code;
    }
}
