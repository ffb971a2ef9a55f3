package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admins get in, nobody else does: each way through, and a table of hostile requests sent over a
 * raw socket, against one real Tomcat with maintenance on. Subclasses name the Tomcat line.
 */
abstract class AccessScenarios extends TomcatScenarios {

    static final String SECRET = "it-bypass-secret-0123456789";
    static final Duration DEADLINE = TOGGLE_DEADLINE;

    private String adminSession;
    private String upperCaseAdminSession;
    private String stringAttributeSession;

    AccessScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void startTomcatInMaintenance() throws IOException {
        startTomcat("access", "access-flags", POLL_MILLIS, "adminPort=\"${it.httpPort.1}\" bypassSecret=\"" + SECRET
                + "\" adminUsers=\"admin\" preset=\"jira\" allowPaths=\"/plugins/servlet/health\"",
                builder -> builder.extraConnectors(1));
        // Sessions are made before maintenance, as a logged-in admin's would be.
        adminSession = login("login-as.jsp?user=admin");
        upperCaseAdminSession = login("login-as.jsp?user=Admin");
        stringAttributeSession = login("login-as.jsp?user=admin&string=1");
        Files.write(flag, new byte[0]);
        Await.until(DEADLINE, "maintenance on", () -> get("/echo.jsp").status() == 503);
    }

    private String login(String path) {
        Http.Response response = get("/" + path);
        assertEquals(200, response.status(), response.toString());
        String setCookie = response.header("set-cookie");
        assertNotNull(setCookie, "a session cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static boolean appAnswered(Http.Response response) {
        return response.body().contains("SAMPLE-APP");
    }

    private static void assertBlocked(Http.Response response, String what) {
        assertEquals(503, response.status(), what + ": " + response);
        assertFalse(appAnswered(response), what + ": the app answered");
        assertNotNull(response.header("retry-after"), what);
    }

    private static void assertApp(Http.Response response, String what) {
        assertEquals(200, response.status(), what + ": " + response);
        assertTrue(appAnswered(response), what + ": " + response);
    }

    private long counter(String name) throws Exception {
        return ((Number) tomcat.jmx().getAttribute(valve(), name)).longValue();
    }

    private ObjectName valve() throws Exception {
        return CoreScenarios.valveName(tomcat.jmx());
    }

    // ------------------------------------------------------------ the ways through

    @Test
    void theAdminPortPassesAndTheUserPortDoesNot() throws Exception {
        long before = counter("admittedByPort");
        assertApp(Http.get(tomcat.httpPort(1), "/echo.jsp"), "admin port");
        assertBlocked(get("/echo.jsp"), "user port");
        assertTrue(counter("admittedByPort") > before);
    }

    @Test
    void allowedAddressesPassOnlyWithoutForwardingHeaders() throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        long before = counter("admittedByAddress");
        try {
            jmx.setAttribute(valve(), new Attribute("allow", "10.20.30.40"));
            assertBlocked(get("/echo.jsp"), "127.0.0.1 is not allowed");
            assertBlocked(get("/echo.jsp", "X-Forwarded-For", "10.20.30.40"), "spoofed X-Forwarded-For");
            assertBlocked(get("/echo.jsp", "X-Real-IP", "10.20.30.40"), "spoofed X-Real-IP");

            jmx.setAttribute(valve(), new Attribute("allow", "127.0.0.0/8, ::1"));
            assertEquals("127.0.0.0/8, ::1", jmx.getAttribute(valve(), "allow"));
            assertApp(get("/echo.jsp"), "allowed address, JMX change in force at once");
            assertBlocked(get("/echo.jsp", "X-Forwarded-For", "198.51.100.7"), "allowed address with X-Forwarded-For");
            assertBlocked(get("/echo.jsp", "Forwarded", "for=198.51.100.7"), "allowed address with Forwarded");
            assertBlocked(get("/echo.jsp", "X-Real-IP", "198.51.100.7"), "allowed address with X-Real-IP");
            for (String header : List.of("Via", "True-Client-IP", "CF-Connecting-IP", "X-Client-IP",
                    "X-Cluster-Client-IP", "Fastly-Client-IP", "x-cluster-client-ip", "via")) {
                assertBlocked(get("/echo.jsp", header, "198.51.100.7"), "allowed address with " + header);
            }
            assertTrue(counter("admittedByAddress") > before);
            tomcat.waitForLog("WARN.*allow=\"127.0.0.0/8, ::1\" lets a loopback address in, and no RemoteIpValve",
                    DEADLINE);
        } finally {
            jmx.setAttribute(valve(), new Attribute("allow", ""));
        }
        assertBlocked(get("/echo.jsp"), "allow emptied again");
    }

    @Test
    void anInvalidJmxValueIsRefusedAndChangesNothing() throws Exception {
        MBeanServerConnection jmx = tomcat.jmx();
        try {
            jmx.setAttribute(valve(), new Attribute("allow", "10.0.0.0/33"));
            throw new AssertionError("an invalid allow list was accepted");
        } catch (Exception expected) {
            assertTrue(String.valueOf(rootMessage(expected)).contains("10.0.0.0/33"), rootMessage(expected));
        }
        assertEquals("", jmx.getAttribute(valve(), "allow"));
        assertBlocked(get("/echo.jsp"), "still blocked");
    }

    private static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }

    @Test
    void theFlagFileAddsAddressesForOneWindow() throws Exception {
        Files.writeString(flag, "{\"allow\":[\"127.0.0.1\"]}");
        try {
            Await.until(DEADLINE, "the flag file's address applies", () -> get("/echo.jsp").status() == 200);
        } finally {
            Files.write(flag, new byte[0]);
            Await.until(DEADLINE, "back to no addresses", () -> get("/echo.jsp").status() == 503);
        }
    }

    @Test
    void adminUsersPassByTheirSessionOnly() throws Exception {
        long before = counter("admittedByUser");
        assertApp(get("/echo.jsp", "Cookie", adminSession), "admin's session");
        assertTrue(counter("admittedByUser") > before);
        assertBlocked(get("/echo.jsp", "Cookie", upperCaseAdminSession), "name differing in case");
        assertBlocked(get("/echo.jsp", "Cookie", stringAttributeSession), "attribute not a Principal");
        assertBlocked(get("/echo.jsp", "Cookie", "JSESSIONID=0123456789ABCDEF0123456789ABCDEF"), "unknown session");
        Http.Response noSession = get("/echo.jsp");
        assertBlocked(noSession, "no session");
        assertNull(noSession.header("set-cookie"), "the valve never creates a session");
    }

    @Test
    void presetAndAllowedPathsPass() throws Exception {
        long before = counter("admittedByPath");
        Http.Response status = get("/status");
        assertApp(status, "/status for the load balancer");
        assertEquals("status", status.header("x-sample-app"));
        assertApp(get("/download/resources/app.css"), "static resource");
        // Under /s/ only the products' /s/<anything>/_/<static file> form passes (issue 12).
        assertBlocked(get("/s/app.css"), "/s/ without /_/");
        assertBlocked(get("/index.html"), "not allowed");
        assertTrue(counter("admittedByPath") >= before + 2);
    }

    @Test
    void theBypassLinkSetsACookieAndRedirectsToTheSamePath() throws Exception {
        Http.Response link = get("/secure/Dashboard.jspa?selectPageId=1&maintenance-bypass=" + SECRET);
        assertEquals(303, link.status(), link.toString());
        assertEquals("/secure/Dashboard.jspa?selectPageId=1", link.header("location"));
        String setCookie = link.header("set-cookie");
        assertNotNull(setCookie);
        assertTrue(setCookie.startsWith("maintenance-bypass="), setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Path=/"),
                setCookie);
        assertFalse(setCookie.contains("Secure"), "plain HTTP: not Secure");
        assertFalse(setCookie.contains(SECRET), "the secret is not the cookie");
        tomcat.waitForLog("WARN.*bypassSecret is set in server.xml: a standing key", DEADLINE);
        // Anyone can send X-Forwarded-Proto: without a RemoteIpValve trusting the sender it changes
        // nothing, and the valve says how to set it up.
        Http.Response spoofed = get("/echo.jsp?maintenance-bypass=" + SECRET, "X-Forwarded-Proto", "https");
        assertFalse(spoofed.header("set-cookie").contains("Secure"), spoofed.header("set-cookie"));
        tomcat.waitForLog("WARN.*bypass cookie without Secure.*RemoteIpValve", DEADLINE);
        assertEquals("no-store", link.header("cache-control"));
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        long before = counter("admittedByBypass");
        assertApp(get("/echo.jsp", "Cookie", cookie), "with the bypass cookie");
        assertApp(Http.requestWithBody("POST", tomcat.httpPort(), "/echo.jsp", "a=1", "Cookie", cookie,
                "Content-Type", "application/x-www-form-urlencoded"), "POST with the bypass cookie");
        assertTrue(counter("admittedByBypass") > before);
    }

    @Test
    void badBypassAttemptsGetTheNormalAnswer() {
        Http.Response wrong = get("/echo.jsp?maintenance-bypass=not-the-secret-at-all");
        assertBlocked(wrong, "wrong secret");
        assertNull(wrong.header("set-cookie"), "no cookie for a wrong secret");
        assertBlocked(Http.requestWithBody("POST", tomcat.httpPort(), "/echo.jsp", "maintenance-bypass=" + SECRET,
                "Content-Type", "application/x-www-form-urlencoded"), "secret in a POST body is not read");
        assertBlocked(Http.requestWithBody("POST", tomcat.httpPort(), "/echo.jsp?maintenance-bypass=" + SECRET, "",
                "Content-Type", "application/x-www-form-urlencoded"), "only GET takes the link");

        long now = System.currentTimeMillis() / 1000;
        String window = windowInForce();
        BypassSecret secret = new BypassSecret(SECRET).forWindow(window);
        String valid = secret.issue("", now);
        String expired = secret.issue("", now - BypassSecret.VALIDITY_SECONDS - 10);
        String oldSecret = new BypassSecret("an-older-secret-no-longer-used").forWindow(window).issue("", now);
        String earlierWindow = new BypassSecret(SECRET).forWindow("since:" + (now - 30 * 86_400)).issue("", now);
        String otherApp = secret.issue("/jira", now);
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];
        assertApp(get("/echo.jsp", "Cookie", "maintenance-bypass=" + valid), "a valid cookie made the same way");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + expired), "expired cookie");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + oldSecret), "cookie of an old secret");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + earlierWindow), "cookie of an earlier window");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + otherApp), "cookie of another context path");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + tampered), "tampered cookie");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + SECRET), "the secret itself as cookie");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=0" + valid), "another spelling: a leading 0");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + valid + "="), "another spelling: padding");
        assertBlocked(get("/echo.jsp", "Cookie", "maintenance-bypass=" + parts[0] + ".0" + parts[1] + "." + parts[2]),
                "another spelling: a leading 0 in the expiry");
    }

    /** The window the valve binds cookies to, for a flag file without id or from: its start, from JMX. */
    private String windowInForce() {
        try {
            Instant since = Instant.parse((String) tomcat.jmx().getAttribute(valve(), "since"));
            return BypassSecret.windowOf(MaintenanceState.evaluate(FlagSettings.DEFAULTS, since, since, MaintenanceState.OFF));
        } catch (Exception e) {
            throw new AssertionError("cannot read the valve's since over JMX", e);
        }
    }

    @Test
    void aPlantedCookieBesideAValidOneLocksNobodyOut() {
        String cookie = bypassCookieFromTheLink();
        String planted = "maintenance-bypass=1." + (System.currentTimeMillis() / 1000 + 600) + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertApp(get("/echo.jsp", "Cookie", planted + "; " + cookie), "planted cookie first, then the admin's");
        assertApp(get("/echo.jsp", "Cookie", "maintenance-bypass=garbage; " + cookie + "; maintenance-bypass=x"),
                "the admin's between two planted ones");
        assertApp(RawHttp.send(tomcat.httpPort(), ("GET /echo.jsp HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + planted
                + "\r\nCookie: " + cookie + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(10)), "in two Cookie headers");
        assertBlocked(get("/echo.jsp", "Cookie", planted + "; maintenance-bypass=garbage"), "only planted ones");
    }

    @Test
    void aCookieOfAnEarlierWindowIsRefusedInTheNextOne() throws Exception {
        String cookie = bypassCookieFromTheLink();
        assertApp(get("/echo.jsp", "Cookie", cookie), "in its own window");
        Instant firstSince = Instant.parse((String) tomcat.jmx().getAttribute(valve(), "since"));
        try {
            Files.delete(flag);
            Await.until(DEADLINE, "maintenance off", () -> get("/echo.jsp").status() == 200);
            // A new window from a flag file made by hand: known by its start, the file's time.
            Path next = flag.resolveSibling("next.flag");
            Files.write(next, new byte[0]);
            Files.setLastModifiedTime(next, FileTime.from(firstSince.minusSeconds(3600)));
            Files.move(next, flag, StandardCopyOption.ATOMIC_MOVE);
            Await.until(DEADLINE, "maintenance on again", () -> get("/echo.jsp").status() == 503);
            assertBlocked(get("/echo.jsp", "Cookie", cookie), "the same secret, the next window");
            assertApp(get("/echo.jsp", "Cookie", bypassCookieFromTheLink()), "a new link works in the new window");

            // Windows the tools make carry an id: a new id is a new window, even while maintenance stays on.
            Files.writeString(flag, "{\"window\":\"w-1\"}");
            String inW1 = Await.until(DEADLINE, "window w-1 in force", this::bypassCookieFromTheLink,
                    c -> get("/echo.jsp", "Cookie", c).status() == 200);
            Files.writeString(flag, "{\"window\":\"w-2\"}");
            Await.until(DEADLINE, "window w-2 in force", () -> get("/echo.jsp", "Cookie", inW1).status() == 503);
            assertBlocked(get("/echo.jsp", "Cookie", inW1), "a cookie of window w-1 in window w-2");
        } finally {
            Files.write(flag, new byte[0]);
        }
    }

    private String bypassCookieFromTheLink() {
        Http.Response link = get("/echo.jsp?maintenance-bypass=" + SECRET);
        assertEquals(303, link.status(), link.toString());
        String setCookie = link.header("set-cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void theRedirectCannotBeSteeredOffSite() {
        for (String target : List.of("//evil.com/?maintenance-bypass=" + SECRET, "//evil.com?maintenance-bypass=" + SECRET,
                "/%2F%2Fevil.com?maintenance-bypass=" + SECRET, "/\\evil.com?maintenance-bypass=" + SECRET,
                "/%5Cevil.com?maintenance-bypass=" + SECRET, "/.//evil.com?maintenance-bypass=" + SECRET,
                "/x?next=//evil.com&maintenance-bypass=" + SECRET)) {
            Http.Response response = RawHttp.get(tomcat.httpPort(), target);
            String location = response.header("location");
            if (response.status() == 303) {
                assertNotNull(location, target);
                assertTrue(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\")
                        && !location.contains("://"), target + " -> " + location);
            } else {
                assertTrue(response.status() == 400 || response.status() == 404, target + ": " + response);
                assertNull(location, target);
            }
        }
    }

    @Test
    void readOnlyLetsReadsThroughAndAllowedPathsStillPass() throws Exception {
        Files.writeString(flag, "{\"mode\":\"read-only\"}");
        try {
            Await.until(DEADLINE, "read-only in force", () -> get("/echo.jsp").status() == 200);
            assertApp(get("/echo.jsp"), "GET");
            assertEquals(200, Http.request("HEAD", tomcat.httpPort(), "/echo.jsp").status());
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
                Http.Response response = Http.requestWithBody(method, tomcat.httpPort(), "/echo.jsp", "x=1",
                        "Content-Type", "application/x-www-form-urlencoded");
                assertBlocked(response, method + " in read-only mode");
            }
            // The preset's /status is GET and HEAD only (issue 12); the admin's own paths take every method.
            assertBlocked(Http.requestWithBody("POST", tomcat.httpPort(), "/status", "", "Content-Type", "text/plain"),
                    "POST to the preset's /status");
            assertEquals(200, Http.request("HEAD", tomcat.httpPort(), "/status").status(), "HEAD /status");
            MBeanServerConnection jmx = tomcat.jmx();
            jmx.setAttribute(valve(), new Attribute("allowPaths", "/plugins/servlet/health, /echo.jsp"));
            try {
                assertApp(Http.requestWithBody("POST", tomcat.httpPort(), "/echo.jsp", "x=1",
                        "Content-Type", "application/x-www-form-urlencoded"), "allowed path, even for POST");
            } finally {
                jmx.setAttribute(valve(), new Attribute("allowPaths", "/plugins/servlet/health"));
            }
            assertApp(Http.requestWithBody("POST", tomcat.httpPort(1), "/echo.jsp", "x=1",
                    "Content-Type", "application/x-www-form-urlencoded"), "admin port, even for POST");
            assertTrue(counter("admittedByReadOnly") > 0);
        } finally {
            Files.write(flag, new byte[0]);
            Await.until(DEADLINE, "full again", () -> get("/echo.jsp").status() == 503);
        }
    }

    @Test
    void aHostileMessageIsEscapedInHtmlAndJsonAndNeverInAHeader() throws Exception {
        String message = "<script>alert(\"x\")</script>\r\nSet-Cookie: evil=1\r\n'quoted'";
        Files.writeString(flag, "{\"message\":" + JSON.writeValueAsString(message) + "}");
        try {
            Http.Response page = Await.until(DEADLINE, "message in force",
                    () -> get("/", "Accept", "text/html"), r -> r.body().contains("alert"));
            assertFalse(page.body().contains("<script>alert"), page.body());
            assertTrue(page.body().contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), page.body());
            assertTrue(page.body().contains("&#39;quoted&#39;"));
            Http.Response json = get("/rest/api/2/myself");
            assertFalse(json.body().contains("<script>"), json.body());
            JsonNode parsed = CoreScenarios.readJson(json.body());
            assertEquals(message, parsed.get("errorMessages").get(0).asText());
            for (Http.Response response : List.of(page, json)) {
                assertNull(response.header("set-cookie"), "no header injection");
                response.headers().forEach((name, values) -> values.forEach(value ->
                        assertFalse(value.contains("script") || value.contains("evil"), name + ": " + value)));
            }
        } finally {
            Files.write(flag, new byte[0]);
        }
    }

    @Test
    void remoteIpValveWithATrustedProxyLetsTheRealClientAddressDecide() throws IOException {
        Path proxiedFlag = flag.resolveSibling("proxied.flag");
        Files.write(proxiedFlag, new byte[0]);
        try (TomcatServer proxied = TomcatServer.builder(version).name("remote-ip")
                .hostValveXml("<Valve className=\"org.apache.catalina.valves.RemoteIpValve\" internalProxies=\"127\\.0\\.0\\.1\"/>")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + proxiedFlag + "\" allow=\"203.0.113.7, ::1\" bypassSecret=\""
                        + SECRET + "\"")
                .start()) {
            int port = proxied.httpPort();
            assertApp(Http.get(port, "/echo.jsp", "X-Forwarded-For", "203.0.113.7"), "admin behind the trusted proxy");
            assertFalse(proxied.log().contains("lets a loopback address in"), "RemoteIpValve runs first: no warning");

            // A TLS-terminating proxy says https; RemoteIpValve makes that Tomcat's own view.
            Http.Response overHttps = Http.get(port, "/echo.jsp?maintenance-bypass=" + SECRET, "X-Forwarded-Proto", "https",
                    "X-Forwarded-For", "198.51.100.9");
            assertEquals(303, overHttps.status(), overHttps.toString());
            assertTrue(overHttps.header("set-cookie").contains("; Secure"), overHttps.header("set-cookie"));
            Http.Response overHttp = Http.get(port, "/echo.jsp?maintenance-bypass=" + SECRET, "X-Forwarded-For", "198.51.100.9");
            assertEquals(303, overHttp.status(), overHttp.toString());
            assertFalse(overHttp.header("set-cookie").contains("Secure"), overHttp.header("set-cookie"));
            String cookie = overHttps.header("set-cookie").substring(0, overHttps.header("set-cookie").indexOf(';'));
            assertApp(Http.get(port, "/echo.jsp", "Cookie", cookie, "X-Forwarded-For", "198.51.100.9"), "the cookie works");
            assertBlocked(Http.get(port, "/echo.jsp", "X-Forwarded-For", "198.51.100.9"), "user behind the proxy");
            assertBlocked(Http.get(port, "/echo.jsp"), "the proxy itself is not allowed");
            assertBlocked(Http.get(port, "/echo.jsp", "X-Forwarded-For", "203.0.113.7, 198.51.100.9"),
                    "the last untrusted hop decides, not a spoofed first entry");
        } finally {
            Files.deleteIfExists(proxiedFlag);
        }
    }

    // ------------------------------------------------------------ hostile requests

    /** What a hostile request may get. */
    enum Outcome {
        /** The maintenance answer. */
        BLOCKED,
        /** Tomcat refuses it before any valve (4xx), the app never answers. */
        REJECTED,
        /** Either of the above: never the app. */
        NOT_APP,
        /** The allowed /status resource, nothing else. */
        STATUS,
        /** The allowed static resource /download/resources/app.css, nothing else. */
        CSS
    }

    record Hostile(String name, String raw, Outcome expected) {
    }

    private List<Hostile> hostileRequests() {
        String host = "Host: 127.0.0.1:" + tomcat.httpPort() + "\r\n";
        List<Hostile> list = new ArrayList<>();
        java.util.function.BiConsumer<String, Outcome> get = (target, outcome) ->
                list.add(new Hostile("GET " + target, "GET " + target + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", outcome));
        Outcome B = Outcome.BLOCKED, R = Outcome.REJECTED, N = Outcome.NOT_APP, S = Outcome.STATUS, C = Outcome.CSS;
        get.accept("/echo.jsp", B);
        get.accept("/echo.jsp;jsessionid=x", B);
        get.accept("/status;/../echo.jsp", B);
        get.accept("/status/../echo.jsp", B);
        get.accept("/status/%2e%2e/echo.jsp", B);
        get.accept("/status/%2E%2E/echo.jsp", B);
        get.accept("/s/../echo.jsp", B);
        get.accept("/s/..;/echo.jsp", B);
        get.accept("/s/%2e%2e;/echo.jsp", B);
        get.accept("/s/%2e%2e%2fecho.jsp", R);
        get.accept("/s/..%2fecho.jsp", R);
        get.accept("/s/..%5cecho.jsp", N);
        get.accept("/s/..\\echo.jsp", N);
        get.accept("//echo.jsp", B);
        get.accept("///status/../../echo.jsp", N);
        get.accept("/./echo.jsp", B);
        get.accept("/status/./../echo.jsp", B);
        get.accept("/login.jsp;/../echo.jsp", B);
        get.accept("/login.jsp/../echo.jsp", B);
        get.accept("/login.jsp%3b/../echo.jsp", N);
        get.accept("/STATUS", B);
        get.accept("/Status", B);
        get.accept("/status/", B);
        get.accept("/status.jsp", B);
        get.accept("/statusx", B);
        get.accept("/status%00", R);
        get.accept("/status%2f", R);
        get.accept("/%73tatus", B); // issue 12: the raw path must be the decoded one to pass by path
        get.accept("/s%2fapp.css", R);
        get.accept("/S/app.css", B);
        // Issue 12: /s/ admits only /s/<anything>/_/<static file>, and only a canonical raw path passes by path.
        get.accept("/s/app.css", B);
        get.accept("/s/./app.css", B);
        get.accept("/x/../s/app.css", B);
        get.accept("/s/app.css;x=y", B);
        get.accept("/download/resources/app.css", C);
        get.accept("/download/resources/./app.css", B);
        get.accept("/x/../download/resources/app.css", B);
        get.accept("/download/resources/app.css;x=y", B);
        get.accept("/download/resources/%61pp.css", B);
        get.accept("/download//resources/app.css", B);
        get.accept("/s", B);
        get.accept("/sapp.css", B);
        get.accept("/s../echo.jsp", B);
        get.accept("/%2e%2e/echo.jsp", R);
        get.accept("/../echo.jsp", R);
        get.accept("/status/..%00/echo.jsp", R);
        get.accept("/%c0%ae%c0%ae/echo.jsp", N);
        get.accept("/%c0%afecho.jsp", N);
        get.accept("/status%c0%af..%c0%afecho.jsp", N);
        get.accept("/%ef%bc%8fecho.jsp", B);
        get.accept("/status?/../echo.jsp", S);
        get.accept("/status#/../echo.jsp", N);
        get.accept("http://127.0.0.1:" + tomcat.httpPort() + "/status", S);
        get.accept("http://evil.example/echo.jsp", N); // authority and Host disagree: Tomcat answers 400
        get.accept("http://127.0.0.1:" + tomcat.httpPort() + "/status/../echo.jsp", B);
        get.accept("https://evil.example//status/../echo.jsp", N);
        get.accept("/echo.jsp?maintenance-bypass=", B);
        get.accept("/echo.jsp?maintenance-bypass=wrong-secret-of-some-length", B);
        get.accept("/echo.jsp?Maintenance-Bypass=" + SECRET, B);
        get.accept("/echo.jsp?maintenance-bypass=" + SECRET.substring(0, SECRET.length() - 1), B);
        get.accept("/echo.jsp?maintenance-bypass=" + SECRET + "x", B);
        get.accept("/echo.jsp?maintenance%2Dbypass=" + SECRET, B);
        get.accept("/plugins/servlet/health/../../../echo.jsp", B);
        get.accept("/plugins/servlet/healthx", B);

        java.util.function.BiConsumer<String, Outcome> raw = (text, outcome) -> list.add(new Hostile(
                text.substring(0, text.indexOf('\r')).replace("\n", " "), text, outcome));
        raw.accept("GET /echo.jsp HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /status HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", S);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host + host + "Connection: close\r\n\r\n", N);
        raw.accept("GET /echo.jsp HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", N);
        raw.accept("GET /echo.jsp HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n", N);
        raw.accept("GET /echo.jsp HTTP/1.1\r\nConnection: close\r\n\r\n", N);
        raw.accept("GET /echo.jsp HTTP/1.0\r\n\r\n", B);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host + "X-Forwarded-For: 127.0.0.1\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host + "Forwarded: for=127.0.0.1\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host + "X-Forwarded-For:\r\nX-Forwarded-For:\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host + "Cookie: maintenance-bypass=\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host + "Cookie: maintenance-bypass=garbage\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host
                + "Cookie: maintenance-bypass=1.x; maintenance-bypass=2.y\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /echo.jsp HTTP/1.1\r\n" + host + "Cookie: JSESSIONID=\r\nCookie: JSESSIONID=\r\nConnection: close\r\n\r\n", B);
        raw.accept("GET /status HTTP/1.1\r\n" + host + "X-Original-URL: /echo.jsp\r\nX-Rewrite-URL: /echo.jsp\r\nConnection: close\r\n\r\n", S);
        raw.accept("get /echo.jsp HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", N);
        raw.accept("OPTIONS * HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", N);
        raw.accept("POST /echo.jsp HTTP/1.1\r\n" + host + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + ("maintenance-bypass=" + SECRET).length() + "\r\nConnection: close\r\n\r\n"
                + "maintenance-bypass=" + SECRET, B);
        raw.accept("POST /status/../echo.jsp HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n", B);
        raw.accept("PUT /s/../echo.jsp HTTP/1.1\r\n" + host + "Content-Length: 0\r\nConnection: close\r\n\r\n", B);
        return list;
    }

    @Test
    void hostileRequestsReachOnlyWhatTheRulesAllow() {
        List<Hostile> requests = hostileRequests();
        assertTrue(requests.size() >= 60, "at least 60 hostile requests: " + requests.size());
        List<String> failures = new ArrayList<>();
        for (Hostile hostile : requests) {
            Http.Response response;
            try {
                response = RawHttp.send(tomcat.httpPort(), hostile.raw().getBytes(StandardCharsets.UTF_8),
                        Duration.ofSeconds(10));
            } catch (RuntimeException closedWithoutAnswer) {
                // Tomcat may close the connection on a malformed request: the app did not answer.
                if (hostile.expected() != Outcome.REJECTED && hostile.expected() != Outcome.NOT_APP) {
                    failures.add(hostile.name() + ": no answer (" + closedWithoutAnswer + "), expected " + hostile.expected());
                }
                continue;
            }
            String problem = judge(hostile.expected(), response);
            if (problem != null) {
                failures.add(hostile.name() + ": expected " + hostile.expected() + ", " + problem + " -> "
                        + response.status() + " " + response.header("x-sample-app") + " "
                        + response.body().substring(0, Math.min(120, response.body().length())).replace('\n', ' '));
            }
        }
        assertTrue(failures.isEmpty(), "Tomcat " + version + ":\n" + String.join("\n", failures));
    }

    private static String judge(Outcome expected, Http.Response response) {
        boolean app = appAnswered(response);
        switch (expected) {
            case BLOCKED:
                return response.status() == 503 && !app && response.header("retry-after") != null ? null : "not blocked";
            case REJECTED:
                return response.status() >= 400 && response.status() < 500 && !app ? null : "not rejected";
            case NOT_APP:
                return !app && response.status() != 200 || !app && response.header("allow") != null ? null : "the app answered";
            case STATUS:
                return response.status() == 200 && "status".equals(response.header("x-sample-app")) ? null : "not /status";
            case CSS:
                return response.status() == 200 && response.body().contains("SAMPLE-APP: a static resource")
                        ? null : "not the static resource";
            default:
                return "unknown";
        }
    }
}
