package org.maintenancevalve.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A maintenance window as an admin runs it, on real Tomcat: a scheduled start, the announced end
 * (overdue, or an automatic end), draining the requests already running before the backup, and
 * every node of a Data Center cluster switched through one shared flag file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WindowScenarios {

    static final Duration DEADLINE = CoreScenarios.TOGGLE_DEADLINE;

    private final String version;
    private Path flag;
    private TomcatServer tomcat;

    WindowScenarios(String version) {
        this.version = version;
    }

    @BeforeAll
    void start() throws IOException {
        flag = TomcatServer.freshFlagFile("window-flags", version);
        tomcat = TomcatServer.builder(version).name("window")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"" + CoreScenarios.POLL_MILLIS + "\"")
                .start();
    }

    @AfterAll
    void stop() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @AfterEach
    void off() throws IOException {
        Files.deleteIfExists(flag);
        Await.until(DEADLINE, "off", () -> Http.get(tomcat.httpPort(), "/").status() == 200);
    }

    private int status(String path) {
        return Http.get(tomcat.httpPort(), path).status();
    }

    private Object attribute(String name) throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        return jmx.getAttribute(CoreScenarios.valveName(jmx), name);
    }

    private static String inSeconds(long seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Test
    void aScheduledWindowStartsByItselfAtFrom() throws Exception {
        Files.writeString(flag, "{\"from\":\"" + inSeconds(3) + "\",\"until\":\"" + inSeconds(3600) + "\",\"by\":\"alice@jira1\"}");
        Await.until(DEADLINE, "scheduled", () -> "scheduled".equals(uncheckedAttribute("mode")));
        assertEquals(200, status("/"), "nobody is blocked before from");
        Await.until(Duration.ofSeconds(3).plus(DEADLINE), "the window starts at from",
                () -> status("/") == 503);
        assertEquals("full", attribute("mode"));
        String line = tomcat.waitForLog("Maintenance ON \\[source=schedule\\]", Duration.ofSeconds(5));
        assertTrue(line.contains("by=\"alice@jira1\""), line);
        assertTrue(line.contains("mode scheduled -> full"), line);
    }

    private Object uncheckedAttribute(String name) {
        try {
            return attribute(name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pastTheAnnouncedEndItStaysOnAndSaysSo() throws Exception {
        Files.writeString(flag, "{\"until\":\"" + inSeconds(2) + "\"}");
        Await.until(DEADLINE, "on", () -> status("/") == 503);
        long before = Long.parseLong(Http.get(tomcat.httpPort(), "/").header("retry-after"));
        assertTrue(before >= 1 && before <= 2, "counts down to until: " + before);
        tomcat.waitForLog("Maintenance CHANGED \\[source=schedule\\].*\\(passed, still on\\)",
                Duration.ofSeconds(2).plus(DEADLINE));
        Http.Response after = Http.get(tomcat.httpPort(), "/", "Accept", "text/html");
        assertEquals(503, after.status(), "no automatic end unless asked for");
        assertEquals("300", after.header("retry-after"), "the default once until has passed");
        assertTrue(after.body().contains("\">Taking a little longer than planned</span>"),
                "the page says so, even without JavaScript: " + after.body());
    }

    @Test
    void autoEndEndsTheWindowAtUntil() throws Exception {
        Files.writeString(flag, "{\"until\":\"" + inSeconds(2) + "\",\"autoEnd\":true}");
        Await.until(DEADLINE, "on", () -> status("/") == 503);
        Await.until(Duration.ofSeconds(2).plus(DEADLINE), "ends by itself", () -> status("/") == 200);
        tomcat.waitForLog("Maintenance OFF \\[source=auto-end\\]", Duration.ofSeconds(5));
        assertTrue(Files.exists(flag), "the file stays: it still says when the window ended");
        assertEquals("off", attribute("mode"));
    }

    @Test
    void awaitIdleReturnsWhenTheRequestsFromBeforeHaveFinishedNormally() throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        ObjectName valve = CoreScenarios.valveName(jmx);
        List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=2500")));
        }
        Await.until(Duration.ofSeconds(10), "three slow requests in flight",
                () -> ((Number) uncheckedAttribute("inFlight")).longValue() >= 3);

        jmx.invoke(valve, "enable", new Object[] {"backup", 0}, new String[] {"java.lang.String", "int"});
        assertEquals(503, status("/echo.jsp"), "new requests are held out");
        int stillRunning = (Integer) jmx.invoke(valve, "awaitIdle", new Object[] {0}, new String[] {"int"});
        assertTrue(stillRunning >= 1, "not drained yet: " + stillRunning);
        assertTrue(((Number) attribute("inFlightBeforeMaintenance")).longValue() >= 1);

        int remaining = (Integer) jmx.invoke(valve, "awaitIdle", new Object[] {30}, new String[] {"int"});
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, remaining, "drained");
        assertTrue(waitedMillis >= 2500, "awaitIdle returned only after the 2.5 s requests ended: " + waitedMillis + " ms");
        for (CompletableFuture<Http.Response> request : slow) {
            Http.Response response = request.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, response.status(), "finished normally, not cut off: " + response);
            assertTrue(response.body().contains("slow done"), response.body());
        }
        jmx.invoke(valve, "disable", new Object[0], new String[0]);
    }

    @Test
    void oneSharedFlagSwitchesEveryNodeAndABypassCookieWorksOnAll() throws Exception {
        Path shared = Files.createDirectories(flag.resolveSibling("shared-home"));
        Path sharedFlag = shared.resolve("maintenance.flag");
        Files.deleteIfExists(sharedFlag);
        String attributes = "flagFile=\"" + sharedFlag + "\" pollInterval=\"" + CoreScenarios.POLL_MILLIS + "\"";
        try (TomcatServer nodeA = TomcatServer.builder(version).name("node-a").valve(TomcatServer.Level.HOST, attributes).start();
             TomcatServer nodeB = TomcatServer.builder(version).name("node-b").valve(TomcatServer.Level.HOST, attributes).start()) {
            MBeanServerConnection jmxA = nodeA.jmx();
            MBeanServerConnection jmxB = nodeB.jmx();
            jmxA.invoke(CoreScenarios.valveName(jmxA), "enable", new Object[] {"Upgrade", 60},
                    new String[] {"java.lang.String", "int"});
            assertEquals(503, Http.get(nodeA.httpPort(), "/").status(), "node A at once");
            Await.until(DEADLINE, "node B within the poll interval", () -> Http.get(nodeB.httpPort(), "/").status() == 503);

            // What `on --bypass` does: a secret in the shared file.
            String secret = "shared-secret-for-the-whole-cluster";
            String content = Files.readString(sharedFlag);
            Files.writeString(sharedFlag, content.replaceFirst("\\{", "{\"bypassSecret\":\"" + secret + "\","));
            Await.until(DEADLINE, "both nodes know the secret", () ->
                    Http.get(nodeA.httpPort(), "/?maintenance-bypass=" + secret).status() == 303
                            && Http.get(nodeB.httpPort(), "/x?maintenance-bypass=" + secret).status() == 303);
            Http.Response link = Http.get(nodeA.httpPort(), "/secure/Dashboard.jspa?maintenance-bypass=" + secret);
            String setCookie = link.header("set-cookie");
            assertNotNull(setCookie);
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            Http.Response onB = Http.get(nodeB.httpPort(), "/echo.jsp", "Cookie", cookie);
            assertEquals(200, onB.status(), "node A's cookie is accepted by node B: " + onB);
            assertFalse(Http.get(nodeB.httpPort(), "/echo.jsp").status() == 200, "but not without it");

            jmxB.invoke(CoreScenarios.valveName(jmxB), "disable", new Object[0], new String[0]);
            assertEquals(200, Http.get(nodeB.httpPort(), "/").status());
            Await.until(DEADLINE, "node A released within the poll interval",
                    () -> Http.get(nodeA.httpPort(), "/").status() == 200);
        } finally {
            Files.deleteIfExists(sharedFlag);
        }
    }
}
