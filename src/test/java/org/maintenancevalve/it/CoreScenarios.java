package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core promise on one real Tomcat distribution: touch the flag, 503; remove it, 200; JMX
 * flips it at once; a bad flag still blocks; read-only takes no GET with a body for a read; an
 * asynchronous request is waited for until it completes; a bad attribute stops the valve; every
 * container level works and leaves no thread behind. Subclasses name the Tomcat line.
 */
abstract class CoreScenarios extends TomcatScenarios {

    private Path flagDir;

    CoreScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void startTomcat() throws IOException {
        startTomcat("core", "flags", POLL_MILLIS, "", TomcatServer.Builder::http2);
        flagDir = flag.getParent();
    }

    @AfterEach
    void removeFlag() throws IOException {
        removeFlagAndAwait(TOGGLE_DEADLINE, () -> get("/").status() == 200);
    }

    private static void assertMaintenanceHeaders(Http.Response response) {
        assertEquals(503, response.status(), response.toString());
        assertNotNull(response.header("retry-after"), "Retry-After");
        assertTrue(Long.parseLong(response.header("retry-after")) >= 1);
        assertEquals("no-store", response.header("cache-control"));
        assertFalse(response.body().contains("SAMPLE-APP"), "the app must not answer");
    }

    @Test
    void offTheAppAnswers() {
        Http.Response response = get("/", "Accept", BROWSER_ACCEPT);
        assertEquals(200, response.status());
        assertTrue(response.body().contains("SAMPLE-APP"));
    }

    @Test
    void http2RequestsAreAnsweredFromTheirHeadersToo() throws IOException {
        // Tomcat holds HTTP/1.1 header values as bytes and HTTP/2 ones (HPACK) as Strings; the
        // valve reads both. Prior knowledge: no HTTP/1.1 upgrade request is involved.
        int port = tomcat.httpPort();
        assertTrue(H2c.get(port, "/").contains("SAMPLE-APP"), "the app answers HTTP/2 with maintenance off");
        Files.createFile(flag);
        String german = Await.until(TOGGLE_DEADLINE, "the maintenance page over HTTP/2",
                () -> H2c.get(port, "/", "Accept", BROWSER_ACCEPT, "Accept-Language", "fr;q=0.5, DE-ch"),
                body -> !body.contains("SAMPLE-APP"));
        assertTrue(german.contains("<html lang=\"de\""), german);
        assertTrue(H2c.get(port, "/", "Accept", "text/html, application/json").contains("<html lang=\"en\""),
                "HTML listed first: the page");
        for (String[] headers : new String[][] {{"Accept", "text/plain, Application/JSON"},
                {"X-Requested-With", "xmlhttprequest"}}) {
            String json = H2c.get(port, "/secure/Dashboard.jspa", headers);
            assertTrue(json.startsWith("{\"errorMessages\":["), headers[0] + ": " + json);
        }
    }

    @Test
    void touchingTheFlagBlocksWithinThePollIntervalAndRemovingItReleases() throws IOException {
        Files.createFile(flag);
        Http.Response page = Await.until(TOGGLE_DEADLINE, "503 after touching the flag",
                () -> get("/", "Accept", BROWSER_ACCEPT), r -> r.status() == 503);
        assertMaintenanceHeaders(page);
        assertEquals("300", page.header("retry-after"), "default retryAfter when no end is announced");
        assertEquals("text/html;charset=UTF-8", page.header("content-type"));
        assertTrue(page.body().contains("<h1>Down for maintenance</h1>"), page.body());

        Http.Response rest = get("/rest/api/2/serverInfo");
        assertMaintenanceHeaders(rest);
        assertEquals("application/json;charset=UTF-8", rest.header("content-type"));
        JsonNode json = readJson(rest.body());
        assertTrue(json.get("errorMessages").get(0).asText().contains("maintenance"));
        assertEquals("full", json.get("maintenance").get("mode").asText());
        assertEquals(300, json.get("maintenance").get("retryAfterSeconds").asInt());

        assertMaintenanceHeaders(get("/secure/Dashboard.jspa", "Accept", "application/json"));
        assertTrue(get("/secure/Dashboard.jspa", "X-Requested-With", "XMLHttpRequest")
                .header("content-type").startsWith("application/json"));

        Http.Response head = Http.request("HEAD", tomcat.httpPort(), "/");
        assertEquals(503, head.status());
        assertEquals("", head.body());

        Files.delete(flag);
        Await.until(TOGGLE_DEADLINE, "200 after removing the flag", () -> get("/").status() == 200);
        assertTrue(get("/").body().contains("SAMPLE-APP"));
    }

    @Test
    void theFlagsMessageAndEndAreShownEscaped() throws IOException {
        String until = java.time.Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        write("{\"message\":\"Upgrade <b>now</b> & \\\"soon\\\"\",\"until\":\"" + until + "\"}");
        Http.Response page = Await.until(TOGGLE_DEADLINE, "503 with the message",
                () -> get("/", "Accept", BROWSER_ACCEPT), r -> r.status() == 503 && r.body().contains("Upgrade"));
        assertTrue(page.body().contains("Upgrade &lt;b&gt;now&lt;/b&gt; &amp; &quot;soon&quot;"), page.body());
        assertFalse(page.body().contains("<b>now"));
        assertTrue(page.body().contains("datetime=\"" + until + "\""));
        long retryAfter = Long.parseLong(page.header("retry-after"));
        assertTrue(retryAfter > 3500 && retryAfter <= 3600, "Retry-After counts down to until: " + retryAfter);

        JsonNode json = readJson(get("/rest/api/2/serverInfo").body());
        assertEquals("Upgrade <b>now</b> & \"soon\"", json.get("errorMessages").get(0).asText());
        assertEquals(until, json.get("maintenance").get("until").asText());
        assertNotNull(json.get("maintenance").get("since").asText());
    }

    @Test
    void aBadFlagFileStillBlocksAndIsLoggedOnce() throws IOException {
        write("{\"mode\":\"read-only\", this is not json");
        Http.Response page = Await.until(TOGGLE_DEADLINE, "503 for a bad flag",
                () -> get("/", "Accept", BROWSER_ACCEPT), r -> r.status() == 503);
        assertMaintenanceHeaders(page);
        assertTrue(page.body().contains("down for planned maintenance"), "default message: " + page.body());
        String warning = tomcat.waitForLog("WARN.*" + java.util.regex.Pattern.quote(flag.toString()) + " cannot be used \\(not valid JSON",
                Duration.ofSeconds(5));
        assertNotNull(warning);
        // Five poll intervals later there is still only one warning for this problem.
        long warnedAt = System.nanoTime();
        Await.until(Duration.ofSeconds(5), "five poll intervals pass",
                () -> System.nanoTime() - warnedAt > 5 * POLL_MILLIS * 1_000_000L);
        assertEquals(1, count(tomcat.log(), "not valid JSON"), "one WARN, not one per poll");
        // Read-only was NOT applied from a broken file: a GET is blocked too (full mode).
        assertEquals(503, get("/echo.jsp").status());
    }

    @Test
    void readOnlyModeLetsReadsThroughAndBlocksWrites() throws IOException {
        write("{\"mode\":\"read-only\"}");
        // In force first: a POST sent before that passes, and may take seconds on a loaded machine
        // (the JSP compiled on its first request), which would use up the deadline.
        Await.until(TOGGLE_DEADLINE, "read-only in force", () -> "read-only".equals(attribute("mode")));
        assertEquals(503, Http.requestWithBody("POST", tomcat.httpPort(), "/echo.jsp", "a=1").status(),
                "POST blocked in read-only mode");
        Http.Response read = get("/echo.jsp");
        assertEquals(200, read.status());
        assertTrue(read.body().contains("SAMPLE-APP"));
        assertTrue(H2c.get(tomcat.httpPort(), "/echo.jsp").contains("SAMPLE-APP"), "a plain GET over HTTP/2");
        Http.Response write = Http.requestWithBody("POST", tomcat.httpPort(), "/rest/api/2/issue", "{}",
                "Content-Type", "application/json");
        assertMaintenanceHeaders(write);
        assertTrue(readJson(write.body()).get("errorMessages").get(0).asText().contains("read-only"));
    }

    @Test
    void readOnlyModeTakesNoGetHeadOrOptionsThatCarriesABodyOrAContentTypeForARead() throws IOException {
        // No preset here: a body is input to any application (Jira's useBodyEncodingForURI and
        // multipart parsing are two ways an atl_token hides in it).
        int port = tomcat.httpPort();
        String h2Off = H2c.getWithBody(port, "/echo.jsp?id=1", "atl_token=abc", "Accept", "application/json");
        assertTrue(h2Off.contains("SAMPLE-APP"), "off, a GET with a body over HTTP/2 reaches the app: " + h2Off);
        write("{\"mode\":\"read-only\"}");
        Await.until(TOGGLE_DEADLINE, "read-only", () -> "read-only".equals(attribute("mode")));
        String form = "Content-Type: application/x-www-form-urlencoded\r\n";
        String[] inputs = {
            "Content-Length: 13\r\n" + form + "\r\natl_token=abc",
            "Content-Length: 13\r\n\r\natl_token=abc",
            "Transfer-Encoding: chunked\r\n\r\nd\r\natl_token=abc\r\n0\r\n\r\n",
            "Transfer-Encoding: chunked\r\n" + form + "\r\n0\r\n\r\n",
            "Content-Type: application/x-www-form-urlencoded; charset=UTF-16\r\n\r\n",
            "Content-Length: 0\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\n"};
        for (String input : inputs) {
            for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                Http.Response response = RawHttp.send(port, method + " /echo.jsp?id=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nConnection: close\r\n" + input);
                String what = method + " with " + input.replace("\r\n", " | ");
                assertEquals(503, response.status(), what + ": " + response);
                assertEquals("no-store", response.header("cache-control"), what);
                assertFalse(response.body().contains("SAMPLE-APP") || response.header("x-sample-app") != null, what);
            }
        }
        Http.Response empty = RawHttp.send(port, "GET /echo.jsp?id=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        assertEquals(200, empty.status(), "an empty body carries nothing: " + empty);
        assertEquals(200, RawHttp.get(port, "/echo.jsp?id=1").status(), "a plain GET");
        assertEquals(200, RawHttp.request("HEAD", port, "/echo.jsp").status(), "a plain HEAD");

        // HTTP/2 needs no header for a body: a stream the headers leave open.
        String h2 = H2c.getWithBody(port, "/echo.jsp?id=1", "atl_token=abc", "Accept", "application/json");
        assertTrue(h2.startsWith("{\"errorMessages\":["), "a GET with a DATA frame over HTTP/2: " + h2);
        assertTrue(H2c.get(port, "/echo.jsp?id=1").contains("SAMPLE-APP"), "a plain GET over HTTP/2");
    }

    @Test
    void jmxEnableAndDisableFlipAtOnceThroughTheFile() throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        ObjectName valve = valveName(jmx);
        assertEquals(Boolean.FALSE, jmx.getAttribute(valve, "active"));
        assertEquals("off", jmx.getAttribute(valve, "mode"));
        assertEquals(flag.toString(), jmx.getAttribute(valve, "flagFile"));
        assertEquals(POLL_MILLIS, ((Number) jmx.getAttribute(valve, "pollInterval")).longValue());
        long blockedBefore = ((Number) jmx.getAttribute(valve, "blockedCount")).longValue();

        jmx.invoke(valve, "enable", new Object[] {"XML backup <running>", 30},
                new String[] {String.class.getName(), int.class.getName()});
        // No waiting: the change is in force when the call returns.
        Http.Response page = get("/", "Accept", BROWSER_ACCEPT);
        assertMaintenanceHeaders(page);
        assertTrue(page.body().contains("XML backup &lt;running&gt;"));
        long retryAfter = Long.parseLong(page.header("retry-after"));
        assertTrue(retryAfter > 1700 && retryAfter <= 1800, "30 minutes: " + retryAfter);
        assertTrue(Files.exists(flag), "enable writes the flag file");
        assertTrue(Files.readString(flag).contains("XML backup <running>"));
        assertEquals(Boolean.TRUE, jmx.getAttribute(valve, "active"));
        assertEquals("full", jmx.getAttribute(valve, "mode"));
        assertEquals("XML backup <running>", jmx.getAttribute(valve, "message"));
        assertNotNull(jmx.getAttribute(valve, "since"));
        assertNotNull(jmx.getAttribute(valve, "until"));
        assertTrue(((Number) jmx.getAttribute(valve, "blockedCount")).longValue() > blockedBefore);
        tomcat.waitForLog("INFO.*Maintenance ON \\[source=JMX\\].*XML backup", Duration.ofSeconds(5));

        jmx.invoke(valve, "disable", new Object[0], new String[0]);
        assertEquals(200, get("/").status(), "disable is in force at once");
        assertFalse(Files.exists(flag), "disable removes the flag file");
        assertEquals("off", jmx.getAttribute(valve, "mode"));
        assertNull(jmx.getAttribute(valve, "until"));
        tomcat.waitForLog("INFO.*Maintenance OFF \\[source=JMX\\]", Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------ asynchronous requests and the drain

    @Test
    void anAsyncRequestFromBeforeMaintenanceIsWaitedForUntilItCompletes() throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        ObjectName valve = valveName(jmx);
        for (boolean dispatch : new boolean[] {false, true}) {
            String what = dispatch ? "an async request resumed by a dispatch" : "an async request completed by another thread";
            Path started = flagDir.resolve("async-started-" + dispatch);
            Path release = flagDir.resolve("async-release-" + dispatch);
            Files.deleteIfExists(started);
            Files.deleteIfExists(release);
            CompletableFuture<Http.Response> async = sendAsync("/async?started=" + started + "&release=" + release
                    + (dispatch ? "&dispatch=1" : ""));
            awaitAsyncAndContainerThreadsIdle(jmx, started, what);
            assertEquals(1L, attribute("inFlight"), what + ": invoke has returned, the request still runs");

            jmx.invoke(valve, "enable", new Object[] {"backup", 0}, new String[] {"java.lang.String", "int"});
            assertEquals(503, status("/echo.jsp"), "new requests are held out");
            assertEquals(1, jmx.invoke(valve, "awaitIdle", new Object[] {0}, new String[] {"int"}), what + ": not idle");
            assertEquals(1L, attribute("inFlightBeforeMaintenance"), what);
            assertFalse(async.isDone(), what + ": not answered yet");

            Files.createFile(release);
            assertEquals(0, jmx.invoke(valve, "awaitIdle", new Object[] {30}, new String[] {"int"}),
                    what + ": idle once it has completed");
            Http.Response response = async.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.status(), what + ": finished normally, not cut off: " + response);
            assertEquals(dispatch ? "SAMPLE-APP async done (dispatched)" : "SAMPLE-APP async done", response.body().trim());
            assertEquals(0L, attribute("inFlight"));
            jmx.invoke(valve, "disable", new Object[0], new String[0]);
        }

        // One that nobody completes ends by Tomcat's async timeout: counted until then, not for ever.
        Path started = flagDir.resolve("async-started-timeout");
        Files.deleteIfExists(started);
        CompletableFuture<Http.Response> abandoned = sendAsync("/async?started=" + started + "&timeout=1500");
        awaitAsyncAndContainerThreadsIdle(jmx, started, "an async request left to time out");
        jmx.invoke(valve, "enable", new Object[] {"backup", 0}, new String[] {"java.lang.String", "int"});
        assertEquals(1, jmx.invoke(valve, "awaitIdle", new Object[] {0}, new String[] {"int"}), "not idle yet");
        assertEquals(0, jmx.invoke(valve, "awaitIdle", new Object[] {30}, new String[] {"int"}), "the timeout ended it");
        abandoned.get(30, TimeUnit.SECONDS);
        assertEquals(0L, attribute("inFlight"));
    }

    /** Sends a GET on its own thread, with a read timeout long enough for a first JSP compilation. */
    private CompletableFuture<Http.Response> sendAsync(String target) {
        int port = tomcat.httpPort();
        return CompletableFuture.supplyAsync(() -> RawHttp.send(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + port + "\r\nConnection: close\r\n\r\n", Duration.ofSeconds(60)));
    }

    /**
     * Waits until the async JSP has gone async (its file exists) and no container thread is busy
     * any more: the valve's invoke for it has returned, and only the async part still runs.
     */
    private static void awaitAsyncAndContainerThreadsIdle(MBeanServerConnection jmx, Path started, String what) {
        Await.until(Duration.ofSeconds(60), what + " has gone async", () -> Files.exists(started));
        Await.until(Duration.ofSeconds(10), what + ": no container thread busy", () -> {
            long busy = 0;
            try {
                for (ObjectName pool : jmx.queryNames(new ObjectName("Catalina:type=ThreadPool,name=*"), null)) {
                    busy += ((Number) jmx.getAttribute(pool, "currentThreadsBusy")).longValue();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return busy == 0;
        });
    }

    @Test
    void jmxShowsACuratedView() throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        ObjectName valve = valveName(jmx);
        List<String> attributes = new ArrayList<>();
        for (var info : jmx.getMBeanInfo(valve).getAttributes()) {
            attributes.add(info.getName());
        }
        assertTrue(attributes.containsAll(List.of("active", "mode", "message", "since", "until", "flagFile",
                "pollInterval", "blockedCount")), attributes.toString());
        assertFalse(attributes.contains("next"), "not every getter: " + attributes);
        assertEquals(System.getProperty("maintenancevalve.version"), jmx.getAttribute(valve, "version"));
        List<String> operations = new ArrayList<>();
        for (var info : jmx.getMBeanInfo(valve).getOperations()) {
            operations.add(info.getName());
        }
        assertTrue(operations.containsAll(List.of("enable", "disable")), operations.toString());
    }

    @Test
    void badAttributeStopsTheValveWithALineNamingIt() {
        try (TomcatServer bad = TomcatServer.builder(version).name("bad-attribute")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"-5\"")
                .startExpectingFailure()) {
            String line = bad.waitForLog("SEVERE.*pollInterval=\"-5\"", Duration.ofSeconds(60));
            assertTrue(line.contains("MaintenanceValve"), line);
            // The application is never served without the gate: Tomcat refuses to start the Host.
            bad.waitForLog("(?i)(failed to start|unable to start|LifecycleException)", Duration.ofSeconds(30));
            assertNoAppAnswer(bad);
        }
    }

    private static void assertNoAppAnswer(TomcatServer server) {
        try {
            Http.Response response = Http.get(server.httpPort(), "/");
            assertFalse(response.status() == 200 && response.body().contains("SAMPLE-APP"),
                    "the app answered without the gate: " + response);
        } catch (RuntimeException connectionRefused) {
            // Nothing listening: nothing served.
        }
    }

    @Test
    void engineAndContextLevelWorkAndAReloadLeavesOneWatcher() throws Exception {
        Path engineFlag = flagDir.resolve("engine.flag");
        Path contextFlag = flagDir.resolve("context.flag");
        Files.deleteIfExists(engineFlag);
        Files.deleteIfExists(contextFlag);
        try (TomcatServer levels = TomcatServer.builder(version).name("levels")
                .valve(TomcatServer.Level.ENGINE, "flagFile=\"" + engineFlag + "\" pollInterval=\"" + POLL_MILLIS + "\"")
                .valve(TomcatServer.Level.CONTEXT, "flagFile=\"" + contextFlag + "\" pollInterval=\"" + POLL_MILLIS + "\"")
                .start()) {
            assertEquals(200, Http.get(levels.httpPort(), "/").status());

            Files.createFile(engineFlag);
            Await.until(TOGGLE_DEADLINE, "engine-level valve blocks",
                    () -> Http.get(levels.httpPort(), "/").status() == 503);
            Files.delete(engineFlag);
            Await.until(TOGGLE_DEADLINE, "engine-level valve releases",
                    () -> Http.get(levels.httpPort(), "/").status() == 200);

            Files.createFile(contextFlag);
            Http.Response blocked = Await.until(TOGGLE_DEADLINE, "context-level valve blocks",
                    () -> Http.get(levels.httpPort(), "/", "Accept", BROWSER_ACCEPT), r -> r.status() == 503);
            assertTrue(blocked.body().contains("Down for maintenance"), "our page, not Tomcat's error page");
            Files.delete(contextFlag);
            Await.until(TOGGLE_DEADLINE, "context-level valve releases",
                    () -> Http.get(levels.httpPort(), "/").status() == 200);

            MBeanServerConnection jmx = levels.jmx();
            assertEquals(2, watcherThreads(jmx).size(), watcherThreads(jmx).toString());
            Set<ObjectName> contexts = jmx.queryNames(new ObjectName("Catalina:j2eeType=WebModule,name=//localhost/,*"), null);
            assertEquals(1, contexts.size(), contexts.toString());
            jmx.invoke(contexts.iterator().next(), "reload", new Object[0], new String[0]);
            Await.until(Duration.ofSeconds(30), "context answers after reload",
                    () -> Http.get(levels.httpPort(), "/").status() == 200);
            assertEquals(2, watcherThreads(jmx).size(), "a reload leaves exactly one watcher per valve: "
                    + watcherThreads(jmx));

            Files.createFile(contextFlag);
            Await.until(TOGGLE_DEADLINE, "the reloaded context-level valve still blocks",
                    () -> Http.get(levels.httpPort(), "/").status() == 503);
            Files.delete(contextFlag);

            assertEquals(0, levels.stop(), "a real shutdown ends the JVM cleanly");
            String log = levels.log();
            assertEquals(3, count(log, "MaintenanceValve stopped watching"),
                    "the reload stopped the context's watcher once, the shutdown stopped both");
            assertFalse(log.contains("started a thread named [MaintenanceValve"), "no leaked thread warning");
        }
    }

    private static List<String> watcherThreads(MBeanServerConnection jmx) throws Exception {
        ObjectName threading = new ObjectName("java.lang:type=Threading");
        long[] ids = (long[]) jmx.getAttribute(threading, "AllThreadIds");
        javax.management.openmbean.CompositeData[] infos = (javax.management.openmbean.CompositeData[]) jmx.invoke(
                threading, "getThreadInfo", new Object[] {ids}, new String[] {long[].class.getName()});
        List<String> names = new ArrayList<>();
        for (javax.management.openmbean.CompositeData data : infos) {
            if (data != null) {
                String name = ThreadInfo.from(data).getThreadName();
                if (name.startsWith("MaintenanceValve-flag-watcher")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    static ObjectName valveName(MBeanServerConnection jmx) throws Exception {
        Set<ObjectName> names = jmx.queryNames(new ObjectName("Catalina:type=Valve,host=localhost,name=MaintenanceValve,*"), null);
        assertEquals(1, names.size(), "one MaintenanceValve registered by Tomcat: " + names);
        return names.iterator().next();
    }

    private void write(String content) throws IOException {
        Files.write(flag, content.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }
}
