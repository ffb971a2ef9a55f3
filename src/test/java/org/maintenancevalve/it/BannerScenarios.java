package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code status.json} and {@code banner.js} on one real Tomcat line: both endpoints in every phase
 * (off, scheduled, on, overdue) and mode (full, read-only), with the valve at Host level in the
 * ROOT context and at Context level under {@code /jira} with its own {@code bannerPath}; answered
 * by the valve, never by the application (which has files of its own at those paths); a blocked
 * client gets {@code 200}; {@code HEAD}; whether the browser is inside, reported without naming
 * the way and without a side effect (no session created or touched, counted only as a status
 * answer); {@code bannerPath="off"}; a bad value refuses to start.
 */
abstract class BannerScenarios extends TomcatScenarios {

    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final String SECRET = "it-banner-bypass-secret-0123456789";

    private Path hostFlag;
    private Path contextFlag;
    private TomcatServer host;
    private TomcatServer context;

    BannerScenarios(String version) {
        super(version);
    }

    /** One Tomcat with the valve at Host level (ROOT context), one at Context level under /jira. */
    @BeforeAll
    void startTomcats() throws IOException {
        hostFlag = TomcatServer.freshFlagFile("banner-host-flags", version);
        host = TomcatServer.builder(version).name("banner-host").extraConnectors(1)
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + hostFlag + "\" pollInterval=\"" + POLL_MILLIS
                        + "\" adminPort=\"${it.httpPort.1}\" adminUsers=\"admin\"")
                .start();
        appDecoys(host, "/maintenance-valve/");
        contextFlag = TomcatServer.freshFlagFile("banner-context-flags", version);
        context = TomcatServer.builder(version).name("banner-context").contextPath("/jira")
                .valve(TomcatServer.Level.CONTEXT, "flagFile=\"" + contextFlag + "\" pollInterval=\"" + POLL_MILLIS
                        + "\" bannerPath=\"/ops/mv/\"")
                .start();
        appDecoys(context, "/ops/mv/");
        appDecoys(context, "/maintenance-valve/");
        Await.until(Duration.ofSeconds(60), "the sample app's JSPs answer", () ->
                Http.get(host.httpPort(), "/echo.jsp").status() == 200
                        && Http.get(context.httpPort(), "/jira/echo.jsp").status() == 200);
    }

    /** Files of the application's own at the endpoints' paths: the valve's answer must win over them. */
    private static void appDecoys(TomcatServer tomcat, String prefix) throws IOException {
        Path dir = tomcat.baseDir().resolve("webapps/ROOT" + prefix);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("status.json"), "{\"app\":\"SAMPLE-APP\"}");
        Files.writeString(dir.resolve("banner.js"), "/* SAMPLE-APP */");
    }

    @AfterAll
    void stopTomcats() {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            if (context != null) {
                context.close();
            }
        }
    }

    @AfterEach
    void maintenanceOff() throws IOException {
        Files.deleteIfExists(hostFlag);
        Files.deleteIfExists(contextFlag);
        Await.until(DEADLINE, "maintenance off after the test", () ->
                phase(host.httpPort(), "/maintenance-valve/status.json").equals("off")
                        && phase(context.httpPort(), "/jira/ops/mv/status.json").equals("off"));
    }

    // ------------------------------------------------------------------ every phase and mode

    /** A flag file for one case, what status.json must then say, and what the app's own pages do. */
    private record Case(String phase, String mode, Instant from, Instant until) {
        String message() {
            return "Case " + phase + "/" + mode + " – <b>markup</b> & \"quotes\"";
        }
    }

    private static List<Case> everyPhaseAndMode() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Case> cases = new ArrayList<>();
        for (String mode : new String[] {"full", "read-only"}) {
            cases.add(new Case("scheduled", mode, now.plus(1, ChronoUnit.HOURS), now.plus(3, ChronoUnit.HOURS)));
            cases.add(new Case("on", mode, null, now.plus(2, ChronoUnit.HOURS)));
            cases.add(new Case("overdue", mode, null, now.minus(10, ChronoUnit.MINUTES)));
        }
        return cases;
    }

    @Test
    void bothEndpointsInEveryPhaseAndModeAtHostLevel() throws Exception {
        everyPhaseAndMode(host, hostFlag, "", "/maintenance-valve/");
    }

    @Test
    void bothEndpointsInEveryPhaseAndModeAtContextLevelUnderANonRootContextPath() throws Exception {
        everyPhaseAndMode(context, contextFlag, "/jira", "/ops/mv/");
        // Only under the context's path, and only where bannerPath puts them.
        assertApp(Http.get(context.httpPort(), "/jira/maintenance-valve/status.json"), "the default path was moved");
        assertEquals(404, Http.get(context.httpPort(), "/ops/mv/status.json").status(), "outside the context");
    }

    private void everyPhaseAndMode(TomcatServer tomcat, Path flag, String contextPath, String prefix) throws Exception {
        int port = tomcat.httpPort();
        String status = contextPath + prefix + "status.json";
        String script = contextPath + prefix + "banner.js";
        assertStatus(tomcat, status, script, contextPath, new Case("off", null, null, null));
        for (Case c : everyPhaseAndMode()) {
            writeFlag(flag, c.mode(), c.message(), c.from(), c.until(), null);
            Await.until(DEADLINE, "status.json says " + c, () -> statusOf(port, status), s -> s.path("phase").asText()
                    .equals(c.phase()) && s.path("message").asText().equals(c.message()));
            assertStatus(tomcat, status, script, contextPath, c);
        }
        Files.delete(flag);
        Await.until(DEADLINE, "off again", () -> phase(port, status).equals("off"));
        assertStatus(tomcat, status, script, contextPath, new Case("off", null, null, null));
    }

    private void assertStatus(TomcatServer tomcat, String status, String script, String contextPath, Case c)
            throws Exception {
        int port = tomcat.httpPort();
        String what = c + " on Tomcat " + version + " at " + status;
        long before = System.currentTimeMillis();
        Http.Response get = Http.get(port, status, "Accept", "application/json");
        long after = System.currentTimeMillis();
        assertEquals(200, get.status(), what + ": " + get);
        assertEquals("application/json;charset=UTF-8", get.header("content-type"), what);
        assertEquals("no-store", get.header("cache-control"), what);
        assertEquals("nosniff", get.header("x-content-type-options"), what);
        assertTrue(get.headers("set-cookie").isEmpty(), what + ": no cookie, no session: " + get.headers());
        assertFalse(get.body().contains("SAMPLE-APP"), what + ": never the app's file: " + get.body());
        assertEquals(get.body().getBytes(StandardCharsets.UTF_8).length, Integer.parseInt(get.header("content-length")));
        JsonNode s = JSON.readTree(get.body());
        assertEquals(c.phase(), s.get("phase").asText(), what);
        assertEquals(c.mode(), s.get("mode").isNull() ? null : s.get("mode").asText(), what);
        long serverTime = s.get("serverTime").asLong();
        assertTrue(serverTime >= before - 1000 && serverTime <= after + 1000, what + ": serverTime " + serverTime);
        boolean held = c.phase().equals("on") || c.phase().equals("overdue");
        if (c.phase().equals("off")) {
            assertTrue(s.get("message").isNull() && s.get("from").isNull() && s.get("until").isNull(), what + s);
            assertTrue(s.get("startsIn").isNull() && s.get("endsIn").isNull(), what + s);
        } else {
            assertEquals(c.message(), s.get("message").asText(), what);
            assertEquals(c.until().toString(), s.get("until").asText(), what);
            long endsIn = Duration.between(Instant.ofEpochMilli(serverTime), c.until()).getSeconds();
            assertTrue(Math.abs(s.get("endsIn").asLong() - endsIn) <= 1, what + ": endsIn " + s.get("endsIn"));
            if (c.phase().equals("scheduled")) {
                assertEquals(c.from().toString(), s.get("from").asText(), what);
                long startsIn = Duration.between(Instant.ofEpochMilli(serverTime), c.from()).getSeconds();
                assertTrue(Math.abs(s.get("startsIn").asLong() - startsIn) <= 1, what + ": startsIn " + s);
            } else {
                assertTrue(s.get("startsIn").isNull(), what + s);
                assertFalse(Instant.parse(s.get("from").asText()).isAfter(Instant.ofEpochMilli(after)), what + s);
            }
            if (c.phase().equals("overdue")) {
                assertTrue(s.get("endsIn").asLong() < -500, what + s);
            }
        }
        // This client has no way in: nothing holds it out until the window starts, then it is held out.
        assertEquals(!held, s.get("admitted").asBoolean(), what + s);
        assertFalse(s.has("way"), what + ": no way in is named: " + s);

        Http.Response head = Http.request("HEAD", port, status);
        assertEquals(200, head.status(), what);
        assertEquals("", head.body(), what);
        assertEquals("no-store", head.header("cache-control"), what);
        int length = Integer.parseInt(head.header("content-length"));
        assertTrue(Math.abs(length - get.body().getBytes(StandardCharsets.UTF_8).length) <= 2, what + ": HEAD announces GET's length: " + length);

        Http.Response js = Http.get(port, script);
        assertEquals(200, js.status(), what + ": " + js);
        assertEquals("text/javascript;charset=UTF-8", js.header("content-type"), what);
        assertTrue(js.body().contains("maintenance-valve-banner") && !js.body().contains("SAMPLE-APP"), what);
        assertEquals("max-age=600", js.header("cache-control"), what);
        assertNotNull(js.header("etag"), what);
        Http.Response jsHead = Http.request("HEAD", port, script);
        assertEquals(200, jsHead.status(), what);
        assertEquals("", jsHead.body(), what);
        assertEquals(js.header("content-length"), jsHead.header("content-length"), what);
        assertEquals(304, Http.get(port, script, "If-None-Match", js.header("etag")).status(), what);

        // What the application's own pages do meanwhile.
        int page = Http.get(port, contextPath + "/echo.jsp").status();
        int change = Http.requestWithBody("POST", port, contextPath + "/echo.jsp", "a=1",
                "Content-Type", "application/x-www-form-urlencoded").status();
        boolean readOnly = "read-only".equals(c.mode());
        assertEquals(held && !readOnly ? 503 : 200, page, what + ": a page");
        assertEquals(held ? 503 : 200, change, what + ": a change");
        assertEquals(405, Http.requestWithBody("POST", port, status, "x=1").status(), what + ": POST status.json");
        assertEquals(c.phase(), jmx(tomcat, "phase"), what + ": JMX phase");
    }

    // ------------------------------------------------------------------ inside or not, without side effects

    @Test
    void whetherTheBrowserIsInsideIsToldWithoutTheWayAndWithoutCreatingOrTouchingAnything() throws Exception {
        String admin = login(host, "admin");
        String user = login(host, "jdoe");
        writeFlag(hostFlag, "full", null, null, null, SECRET);
        Await.until(DEADLINE, "maintenance on", () -> phase(host.httpPort(), "/maintenance-valve/status.json")
                .equals("on"));
        assertEquals(503, Http.get(host.httpPort(), "/echo.jsp", "Cookie", user).status());
        Http.Response link = Http.get(host.httpPort(), "/?maintenance-bypass=" + SECRET);
        assertEquals(303, link.status(), link.toString());
        String bypass = link.header("set-cookie").substring(0, link.header("set-cookie").indexOf(';'));

        MBeanServerConnection jmx = host.jmx();
        ObjectName valve = valve(jmx);
        ObjectName manager = new ObjectName("Catalina:type=Manager,host=localhost,context=/");
        String adminId = admin.substring(admin.indexOf('=') + 1);
        long adminAccessed = lastAccessed(jmx, manager, adminId);
        Object sessionsMade = jmx.getAttribute(manager, "sessionCounter");
        long blocked = (Long) jmx.getAttribute(valve, "blockedCount");
        long admitted = (Long) jmx.getAttribute(valve, "admittedCount");
        long statusAnswers = (Long) jmx.getAttribute(valve, "statusCount");
        Thread.sleep(20); // a touched session would show a later time than this: ms resolution

        String status = "/maintenance-valve/status.json";
        for (int i = 0; i < 3; i++) {
            assertInside(Http.get(host.httpPort(), status, "Cookie", admin), true);
            assertInside(Http.get(host.httpPort(), status, "Cookie", user), false);
            assertInside(Http.get(host.httpPort(), status), false);
            assertInside(Http.get(host.httpPort(), status, "Cookie", bypass), true);
            assertInside(Http.get(host.httpPort(1), status), true);
            assertInside(Http.get(host.httpPort(), status, "Cookie", "JSESSIONID=0000DEAD0000BEEF"), false);
            assertInside(Http.get(host.httpPort(), status + "?maintenance-bypass=" + SECRET), false);
        }
        assertEquals(adminAccessed, lastAccessed(jmx, manager, adminId), "the admin's session was not touched");
        assertEquals(sessionsMade, jmx.getAttribute(manager, "sessionCounter"), "no session was created");
        assertEquals(blocked, jmx.getAttribute(valve, "blockedCount"), "status.json is never counted as blocked");
        assertEquals(admitted, jmx.getAttribute(valve, "admittedCount"), "nor as admitted");
        assertEquals(statusAnswers + 21, jmx.getAttribute(valve, "statusCount"), "but each answer is counted");

        // Read-only: a GET would pass for anyone; status.json says whether the browser is inside.
        writeFlag(hostFlag, "read-only", null, null, null, SECRET);
        Await.until(DEADLINE, "read-only", () -> statusOf(host.httpPort(), status).path("mode").asText()
                .equals("read-only"));
        assertInside(Http.get(host.httpPort(), status, "Cookie", admin), true);
        assertInside(Http.get(host.httpPort(), status, "Cookie", user), false);
        assertInside(Http.get(host.httpPort(), status), false);
        assertEquals(adminAccessed, lastAccessed(jmx, manager, adminId), "the admin's session was not touched");
    }

    /** {@code admitted} as expected, and nothing more: no way in named, nothing secret, no cookie. */
    private static void assertInside(Http.Response response, boolean admitted) throws IOException {
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.headers("set-cookie").isEmpty(), "no cookie issued: " + response.headers());
        JsonNode s = JSON.readTree(response.body());
        assertEquals(admitted, s.get("admitted").asBoolean(), s.toString());
        assertFalse(s.has("way"), "the way in is not named: " + s);
        for (String secret : new String[] {SECRET, "admin", "jdoe", "127.0.0.1", "port", "user", "bypass"}) {
            assertFalse(response.body().contains(secret), "nothing secret: " + secret + " in " + response.body());
        }
    }

    private static long lastAccessed(MBeanServerConnection jmx, ObjectName manager, String id) throws Exception {
        return (Long) jmx.invoke(manager, "getLastAccessedTimestamp", new Object[] {id},
                new String[] {String.class.getName()});
    }

    private static String login(TomcatServer tomcat, String user) {
        Http.Response response = Http.get(tomcat.httpPort(), "/login-as.jsp?user=" + user);
        assertEquals(200, response.status(), response.toString());
        String setCookie = response.header("set-cookie");
        assertNotNull(setCookie, "a session cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void offLeavesThosePathsToTheGateAndTheApplication() throws Exception {
        Path flag = TomcatServer.freshFlagFile("banner-off-flags", version);
        try (TomcatServer off = TomcatServer.builder(version).name("banner-off")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"" + POLL_MILLIS
                        + "\" bannerPath=\"off\"")
                .start()) {
            appDecoys(off, "/maintenance-valve/");
            assertApp(Http.get(off.httpPort(), "/maintenance-valve/status.json"), "bannerPath=off");
            assertApp(Http.get(off.httpPort(), "/maintenance-valve/banner.js"), "bannerPath=off");
            assertEquals("off", jmx(off, "bannerPath"));
            Files.write(flag, new byte[0]);
            Http.Response blocked = Await.until(DEADLINE, "maintenance on", () -> Http.get(off.httpPort(),
                    "/maintenance-valve/status.json"), r -> r.status() == 503);
            assertTrue(blocked.body().contains("errorMessages") || blocked.body().contains("maintenance"),
                    blocked.toString());
        }
    }

    @Test
    void aBadBannerPathStopsTheValveWithALineNamingIt() {
        try (TomcatServer bad = TomcatServer.builder(version).name("banner-bad")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + hostFlag + "\" bannerPath=\"maintenance-valve\"")
                .startExpectingFailure()) {
            String line = bad.waitForLog("SEVERE.*bannerPath=\"maintenance-valve\"", Duration.ofSeconds(60));
            assertTrue(line.contains("invalid attribute") && line.contains("starts and ends with /"), line);
            bad.waitForLog("(?i)(failed to start|unable to start|LifecycleException)", Duration.ofSeconds(30));
            try {
                Http.Response response = Http.get(bad.httpPort(), "/");
                assertFalse(response.status() == 200 && response.body().contains("SAMPLE-APP"), response.toString());
            } catch (RuntimeException connectionRefused) {
                // nothing listening: nothing served
            }
        }
    }

    @Test
    void theDecodedNormalisedPathIsMatchedAndJmxShowsThePrefix() throws Exception {
        String[] sameEndpoint = {"/maintenance-valve/%73tatus.json", "/x/../maintenance-valve/status.json",
                "/maintenance-valve/./status.json", "/maintenance-valve/status.json;jsessionid=ABC",
                "/maintenance-valve/status.json?cache=1"};
        for (String path : sameEndpoint) {
            Http.Response response = RawHttp.send(host.httpPort(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            assertEquals(200, response.status(), path + ": " + response);
            assertEquals("off", JSON.readTree(response.body()).get("phase").asText(), path);
        }
        assertApp(Http.get(host.httpPort(), "/maintenance-valve/Status.json"), "another file");
        assertEquals("/maintenance-valve/", jmx(host, "bannerPath"));
        assertEquals("/ops/mv/", jmx(context, "bannerPath"));
    }

    // ------------------------------------------------------------------ helpers

    private static void assertApp(Http.Response response, String what) {
        assertTrue(response.status() == 404 || response.body().contains("SAMPLE-APP"),
                what + ": the application's answer, not the valve's: " + response);
    }

    private static JsonNode statusOf(int port, String path) {
        Http.Response response = Http.get(port, path);
        if (response.status() != 200) {
            throw new AssertionError("status.json answered " + response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static String phase(int port, String path) {
        return statusOf(port, path).path("phase").asText();
    }

    private static ObjectName valve(MBeanServerConnection jmx) throws Exception {
        Set<ObjectName> names = jmx.queryNames(new ObjectName("Catalina:type=Valve,name=MaintenanceValve,*"), null);
        assertEquals(1, names.size(), names.toString());
        return names.iterator().next();
    }

    private static Object jmx(TomcatServer tomcat, String attribute) throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        return jmx.getAttribute(valve(jmx), attribute);
    }

    static void writeFlag(Path flag, String mode, String message, Instant from, Instant until, String bypassSecret)
            throws IOException {
        ObjectNode content = JSON.createObjectNode().put("mode", mode);
        if (message != null) {
            content.put("message", message);
        }
        if (from != null) {
            content.put("from", from.toString());
        }
        if (until != null) {
            content.put("until", until.toString());
        }
        if (bypassSecret != null) {
            content.put("bypassSecret", bypassSecret);
        }
        Path temp = flag.resolveSibling(flag.getFileName() + ".tmp");
        Files.writeString(temp, content.toString());
        Files.move(temp, flag, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
