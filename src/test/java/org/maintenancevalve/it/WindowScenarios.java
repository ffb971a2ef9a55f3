package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.Mode;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A maintenance window as an admin runs it, on real Tomcat: a scheduled start, the announced end
 * (overdue, or an automatic end), draining the requests already running before the backup, and
 * every node of a Data Center cluster switched through one shared flag file.
 */
abstract class WindowScenarios extends TomcatScenarios {

    static final Duration DEADLINE = TOGGLE_DEADLINE;

    WindowScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void start() throws IOException {
        startTomcat("window", "window-flags", POLL_MILLIS, "", builder -> builder);
    }

    @AfterEach
    void off() throws IOException {
        removeFlagAndAwait(DEADLINE, () -> status("/") == 200);
    }

    private static String inSeconds(long seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Test
    void aScheduledWindowStartsByItselfAtFrom() throws Exception {
        Files.writeString(flag, "{\"from\":\"" + inSeconds(3) + "\",\"until\":\"" + inSeconds(3600) + "\",\"by\":\"alice@jira1\"}");
        Await.until(DEADLINE, "scheduled", () -> "scheduled".equals(attribute("mode")));
        assertEquals(200, status("/"), "nobody is blocked before from");
        Await.until(Duration.ofSeconds(3).plus(DEADLINE), "the window starts at from",
                () -> status("/") == 503);
        assertEquals("full", attribute("mode"));
        String line = tomcat.waitForLog("Maintenance ON \\[source=schedule\\]", Duration.ofSeconds(5));
        assertTrue(line.contains("by=\"alice@jira1\""), line);
        assertTrue(line.contains("mode scheduled -> full"), line);
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
                () -> ((Number) attribute("inFlight")).longValue() >= 3);

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
        String attributes = "flagFile=\"" + sharedFlag + "\" pollInterval=\"" + POLL_MILLIS + "\"";
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

    // ------------------------------------------------------------------ JMX: one meaning of "turn on"

    private String enable(String operation, String message, int minutes) throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        return (String) jmx.invoke(CoreScenarios.valveName(jmx), operation, new Object[] {message, minutes},
                new String[] {"java.lang.String", "int"});
    }

    private FlagSettings onDisk() {
        FlagSettings settings = FlagFileParser.read(flag, Clock.systemUTC());
        assertNotNull(settings, "a flag file");
        assertNull(settings.problem(), settings.problem());
        return settings;
    }

    @Test
    void jmxEnableChangesOnlyWhatIsGivenAsOnDoes() throws Exception {
        Instant until = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Files.writeString(flag, "{\"mode\":\"read-only\",\"message\":\"Migration\",\"until\":\"" + until
                + "\",\"allow\":[\"10.9.9.9\"],\"bypassSecret\":\"a-secret-of-enough-length\",\"window\":\"w1\","
                + "\"future\":{\"x\":1}}");
        Await.until(DEADLINE, "read-only", () -> "read-only".equals(attribute("mode")));

        // read-only -> full: the mode changes, nothing else.
        String answer = enable("enable", "", 0);
        FlagSettings full = onDisk();
        assertEquals(Mode.FULL, full.mode());
        assertEquals("Migration", full.message(), "an empty message keeps the window's");
        assertEquals(until, full.until(), "0 minutes keeps the window's end");
        assertEquals(List.of("10.9.9.9"), full.allow());
        assertEquals("a-secret-of-enough-length", full.bypassSecret());
        assertEquals("w1", full.window(), "the same window");
        assertEquals("JMX", full.by());
        assertTrue(Files.readString(flag).contains("\"future\""), "fields this version does not know are kept");
        assertEquals("full", attribute("mode"), "in force when the call returns");
        assertTrue(answer.startsWith("In force on this node: full (the present window changed; kept: message, until, allow, bypassSecret)"),
                answer);

        // Message only, and back to read-only because the operation says so.
        enable("enableReadOnly", "Update: 10 more minutes", 0);
        assertEquals(full.toBuilder().mode(Mode.READ_ONLY).message("Update: 10 more minutes").build(), onDisk());
        assertEquals("Update: 10 more minutes", attribute("message"));

        // The end only.
        Instant before = Instant.now();
        enable("enableReadOnly", "", 30);
        FlagSettings later = onDisk();
        long minutes = Duration.between(before, later.until()).toMinutes();
        assertTrue(minutes >= 29 && minutes <= 30, later.until().toString());
        assertEquals("Update: 10 more minutes", later.message());
        assertEquals(later.until().toString(), attribute("until"));

        // -1: no announced end.
        enable("enableReadOnly", "", -1);
        assertNull(onDisk().until());
        assertEquals(List.of("10.9.9.9"), onDisk().allow(), "the addresses stay through every change");
    }

    @Test
    void jmxEnableSaysWhenAKeptAutomaticEndWillEndTheWindow() throws Exception {
        Files.writeString(flag, "{\"until\":\"" + inSeconds(3600) + "\",\"autoEnd\":true}");
        Await.until(DEADLINE, "on", () -> status("/") == 503);
        String answer = enable("enable", "", 120);
        Instant until = onDisk().until();
        assertTrue(onDisk().autoEnd(), "kept: not asked to change");
        assertTrue(answer.contains("It still ends by itself at " + until), answer);
        String line = tomcat.waitForLog("Maintenance CHANGED \\[source=JMX\\].*autoEnd=true \\(ends by itself at "
                + until + "\\)", Duration.ofSeconds(5));
        assertTrue(line.contains("by=\"JMX\""), line);
    }

    @Test
    void jmxEnableWritesNothingTheValveWouldIgnoreOrRefuse() throws Exception {
        String ignored = "{\"message\":\"m\",\"allow\":[\"localhost\"]}";
        Files.writeString(flag, ignored);
        String why = enableFails("m2", 0);
        assertTrue(why.contains("allow") && why.contains("localhost"), why);
        assertEquals(ignored, Files.readString(flag), "untouched");

        String broken = "{\"mode\": \"maintenance\"}";
        Files.writeString(flag, broken);
        why = enableFails("m2", 0);
        assertTrue(why.contains("cannot be used as it is") && why.contains("field \"mode\" must be"), why);
        assertEquals(broken, Files.readString(flag), "untouched");

        String notJson = "{\"message\": \"half";
        Files.writeString(flag, notJson);
        why = enableFails("m2", 0);
        assertTrue(why.contains(flag + " is not replaced: it is not JSON, so it does not read as a maintenance flag"
                + " file"), why);
        assertEquals(notJson, Files.readString(flag), "untouched");

        Files.delete(flag);
        why = enableFails("x".repeat(70_000), 0);
        assertTrue(why.contains("larger than"), why);
        assertFalse(Files.exists(flag), "nothing written");
    }

    private String enableFails(String message, int minutes) {
        try {
            enable("enable", message, minutes);
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append(" | ");
            }
            return all.toString();
        }
        throw new AssertionError("enable wrote what the valve would not accept");
    }

    @Test
    void aNewWindowGetsANewIdAndAChangeKeepsIt() throws Exception {
        enable("enable", "first", 0);
        String window = onDisk().window();
        assertNotNull(window);
        enable("enableReadOnly", "second", 10);
        assertEquals(window, onDisk().window(), "a change keeps the window");
        MBeanServerConnection jmx = tomcat.jmx();
        jmx.invoke(CoreScenarios.valveName(jmx), "disable", new Object[0], new String[0]);
        enable("enable", "", 0);
        assertNotEquals(window, onDisk().window(), "the next window is another one");
        assertNull(onDisk().message(), "nothing of the last window");
    }

    // ------------------------------------------------------------------ the command line on a cluster

    @Test
    void oneCommandLineWindowForTwoNodesSharingTheFlag() throws Exception {
        Path shared = Files.createDirectories(flag.resolveSibling("shared-home-cli"));
        Path sharedFlag = shared.resolve("maintenance.flag");
        Files.deleteIfExists(sharedFlag);
        String attributes = "flagFile=\"" + sharedFlag + "\" pollInterval=\"" + LONG_POLL_MILLIS + "\"";
        try (TomcatServer nodeA = TomcatServer.builder(version).name("cli-node-a").valve(TomcatServer.Level.HOST, attributes).start();
             TomcatServer nodeB = TomcatServer.builder(version).name("cli-node-b").valve(TomcatServer.Level.HOST, attributes).start()) {
            String a = "127.0.0.1:" + nodeA.jmxPort();
            String b = "127.0.0.1:" + nodeB.jmxPort();
            long started = System.nanoTime();
            CompletableFuture<Http.Response> slowOnB = CompletableFuture.supplyAsync(
                    () -> Http.get(nodeB.httpPort(), "/slow.jsp?ms=2500"));
            Await.until(Duration.ofSeconds(10), "a slow request on node B", () -> {
                cli("status", "--flag", sharedFlag.toString(), "--jmx", b, "--json");
                return CoreScenarios.readJson(out).path("live").path("inFlight").asLong() >= 1;
            });

            assertEquals(0, cli("on", "--flag", sharedFlag.toString(), "--jmx", a, "--jmx", b, "--message", "Upgrade"),
                    err + out);
            assertTrue(out.contains("applied:       " + a + " [host=localhost]: full"), out);
            assertTrue(out.contains("applied:       " + b + " [host=localhost]: full"), out);
            assertEquals(503, Http.get(nodeA.httpPort(), "/").status(), "node A holds users out when on returns");
            assertEquals(503, Http.get(nodeB.httpPort(), "/").status(), "node B too, long before its next poll");

            assertEquals(0, cli("wait-idle", "--flag", sharedFlag.toString(), "--jmx", a + "," + b, "--timeout", "30s"),
                    err + out);
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertTrue(out.startsWith("Idle: no request from before maintenance is still running (2 nodes)."), out);
            assertTrue(out.contains("  " + a + ": idle") && out.contains("  " + b + ": idle"), out);
            assertTrue(waited >= 2500, "waited for node B's 2.5 s request: " + waited + " ms");
            assertEquals(200, slowOnB.get(10, java.util.concurrent.TimeUnit.SECONDS).status(), "which finished normally");

            assertEquals(0, cli("status", "--flag", sharedFlag.toString(), "--jmx", a, "--jmx", b, "--json"), err);
            JsonNode nodes = CoreScenarios.readJson(out).get("nodes");
            assertEquals(2, nodes.size(), out);
            for (JsonNode node : nodes) {
                assertTrue(node.get("active").asBoolean(), out);
            }
            assertEquals(0, cli("status", "--flag", sharedFlag.toString(), "--jmx", a, "--jmx", b), err);
            assertTrue(out.contains("Live, 2 nodes:\n  " + a + ": full since "), out);

            assertEquals(0, cli("off", "--flag", sharedFlag.toString(), "--jmx", a, "--jmx", b), err + out);
            assertEquals(200, Http.get(nodeA.httpPort(), "/").status());
            assertEquals(200, Http.get(nodeB.httpPort(), "/").status());
        } finally {
            Files.deleteIfExists(sharedFlag);
        }
    }
}
