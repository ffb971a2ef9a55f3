package org.maintenancevalve;

import org.apache.catalina.LifecycleException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.access.BypassLink;
import org.maintenancevalve.harness.Application;
import org.maintenancevalve.harness.Exchange.Reply;
import org.maintenancevalve.harness.Exchange;
import org.maintenancevalve.harness.Fixture;
import org.maintenancevalve.harness.LogRecords;
import org.maintenancevalve.harness.RequestSpec;
import org.maintenancevalve.state.FlagFileParser;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The valve itself, in process: Tomcat's own Request and Response objects without a server (the
 * harness bench/ measures with), so the glue between Tomcat, the {@code Gatekeeper} and the
 * answers is tested in seconds. What only a real Tomcat shows (server.xml, class loading on the
 * four lines, sockets, JMX over RMI) stays in the distribution ITs.
 */
class MaintenanceValveTest {

    private static final String PAGE = "/secure/Dashboard.jspa";
    private static final String WATCHER = "MaintenanceValve-flag-watcher[localhost]";

    private final Fixture tomcat = new Fixture();
    private final Application app = new Application();
    private final Exchange exchange = new Exchange(tomcat.connector, tomcat.host, tomcat.context, null);

    @AfterEach
    void stop() {
        tomcat.close();
    }

    private MaintenanceValve start(Consumer<MaintenanceValve> attributes) {
        return tomcat.startValve(attributes, app);
    }

    private Reply send(MaintenanceValve valve, RequestSpec.Builder request) throws Exception {
        return exchange.send(valve, request.build());
    }

    private static RequestSpec.Builder browser() {
        return RequestSpec.browser(PAGE, Fixture.USER_SESSION);
    }

    private static boolean watcherRunning() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(WATCHER) && t.isAlive());
    }

    @Test
    void badAttributesStopTheStartNamingEachAndStartNoThread() {
        IllegalStateException failed = assertThrows(IllegalStateException.class,
                () -> start(v -> {
                    v.setPollInterval("5");
                    v.setAllow("10.0.0.1, localhost");
                }));
        LifecycleException refused = assertInstanceOf(LifecycleException.class, failed.getCause());
        assertEquals("MaintenanceValve: invalid attribute: pollInterval=\"5\": must be a whole number from 10 to"
                + " 3600000; allow=\"10.0.0.1, localhost\": \"localhost\" is not an IP address or CIDR block",
                refused.getMessage());
        assertFalse(watcherRunning(), "no flag watcher");
    }

    @Test
    void offEveryRequestGoesOnUntouchedAndNothingIsCounted() throws Exception {
        MaintenanceValve valve = start(v -> { });
        Reply reply = send(valve, browser());
        assertEquals(200, reply.status);
        assertEquals(1, app.reached());
        assertEquals("off", valve.getMode());
        assertEquals(0, valve.getBlockedCount() + valve.getAdmittedCount());
        assertEquals(0, valve.getInFlight(), "the request has left");
    }

    @Test
    void enableBlocksAtOnceThroughTheFlagFileAndDisableLetsEveryoneIn() throws Exception {
        MaintenanceValve valve = start(v -> { });
        String said = valve.enable("XML backup <now>", 30);
        assertTrue(said.startsWith("In force on this node: full (a new window), expected end "), said);
        assertTrue(said.endsWith(" Every other valve watching " + tomcat.flag() + " applies it within its pollInterval."), said);
        assertTrue(new String(Files.readAllBytes(tomcat.flag()), StandardCharsets.UTF_8).contains("XML backup <now>"));
        assertTrue(valve.isActive());
        assertEquals("on", valve.getPhase());
        assertEquals("XML backup <now>", valve.getMessage());

        Reply page = send(valve, browser());
        assertEquals(503, page.status);
        assertTrue(page.contentType.startsWith("text/html"), page.contentType);
        assertEquals("no-store", page.header("Cache-Control"));
        long retryAfter = Long.parseLong(page.header("Retry-After"));
        assertTrue(retryAfter > 1700 && retryAfter <= 1800, "30 minutes: " + retryAfter);
        assertTrue(page.body().contains("XML backup &lt;now&gt;"), "escaped");
        Reply json = send(valve, RequestSpec.rest("/rest/api/2/issue/JRA-1"));
        assertEquals(503, json.status);
        assertTrue(json.body().startsWith("{\"errorMessages\":[\"XML backup \\u003Cnow\\u003E\"]"), json.body());
        Reply head = send(valve, RequestSpec.request("HEAD", PAGE));
        assertEquals(503, head.status);
        assertEquals("", head.body());
        assertEquals(0, app.reached());
        assertEquals(3, valve.getBlockedCount());

        valve.disable();
        assertFalse(Files.exists(tomcat.flag()));
        assertEquals("off", valve.getMode());
        assertNull(valve.getMessage());
        assertEquals(200, send(valve, browser()).status);
        assertEquals(1, app.reached());
    }

    @Test
    void enableReadOnlyChangesTheWindowInForceAndLetsReadsThrough() throws Exception {
        MaintenanceValve valve = start(v -> { });
        valve.enable("Migration", 0);
        String said = valve.enableReadOnly("", 0);
        assertTrue(said.startsWith("In force on this node: read-only (the present window changed; kept: message)"), said);
        assertEquals("read-only", valve.getMode());
        assertEquals("Migration", valve.getMessage());

        assertEquals(200, send(valve, browser()).status);
        Reply write = send(valve, RequestSpec.request("POST", "/rest/api/2/issue").header("Accept", "application/json"));
        assertEquals(503, write.status);
        assertTrue(write.body().contains("read-only"), write.body());
        assertEquals(1, app.reached());
        assertEquals(1, valve.getAdmittedByReadOnly());
        assertEquals(1, valve.getBlockedCount());

        assertThrows(IllegalArgumentException.class, () -> valve.enable("x", -2));
    }

    @Test
    void refreshAppliesTheFlagFileAtOnceAndSaysWhatIsApplied() throws Exception {
        MaintenanceValve valve = start(v -> v.setPollInterval("3600000"));
        assertEquals("none", valve.refresh());
        byte[] content = "{\"message\":\"Written by hand\"}".getBytes(StandardCharsets.UTF_8);
        Files.write(tomcat.flag(), content);
        assertEquals(FlagFileParser.parse(content, Clock.systemUTC()).fingerprint(), valve.refresh());
        assertEquals(valve.refresh(), valve.getAppliedFlag());
        assertEquals("Written by hand", valve.getMessage());
        assertEquals(503, send(valve, browser()).status);
    }

    @Test
    void awaitIdleAnswersAtOnceWhenNothingFromBeforeRuns() throws Exception {
        MaintenanceValve valve = start(v -> { });
        valve.enable("", 0);
        assertEquals(0, valve.awaitIdle(0));
        assertEquals(0, valve.getInFlightBeforeMaintenance());
        assertThrows(IllegalArgumentException.class, () -> valve.awaitIdle(-1));
    }

    @Test
    void theOperationsNeedAStartedValve() throws Exception {
        MaintenanceValve valve = start(v -> { });
        valve.stop();
        assertEquals("The MaintenanceValve is not started",
                assertThrows(IllegalStateException.class, () -> valve.enable("", 0)).getMessage());
        assertThrows(IllegalStateException.class, valve::disable);
        assertThrows(IllegalStateException.class, valve::refresh);
    }

    @Test
    void aBypassLinkGetsACookieAndA303ToTheSamePageWithoutTheSecret() throws Exception {
        MaintenanceValve valve = start(v -> v.setBypassSecret(Fixture.BYPASS_SECRET));
        valve.enable("", 0);

        Reply link = send(valve, browser().query("maintenance-bypass=" + Fixture.BYPASS_SECRET + "&selectPageId=10"));
        assertEquals(303, link.status);
        assertEquals(PAGE + "?selectPageId=10", link.header("Location"));
        String cookie = link.header("Set-Cookie");
        assertTrue(cookie.startsWith(BypassLink.NAME + "="), cookie);
        assertTrue(cookie.endsWith("; Path=/; Max-Age=43200; HttpOnly; SameSite=Lax"), "no Secure over plain HTTP: " + cookie);
        assertEquals("no-store", link.header("Cache-Control"));
        assertEquals("no-referrer", link.header("Referrer-Policy"));
        assertEquals(0, link.contentLength);
        assertEquals(0, app.reached(), "the link itself does not reach the application");
        assertEquals(1, valve.getAdmittedByBypass());

        String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        assertEquals(200, send(valve, browser().cookie(BypassLink.NAME, value)).status);
        assertEquals(1, app.reached());
        assertEquals(2, valve.getAdmittedByBypass());

        Reply overTls = send(valve, browser().query("maintenance-bypass=" + Fixture.BYPASS_SECRET).secure());
        assertTrue(overTls.header("Set-Cookie").endsWith("; HttpOnly; SameSite=Lax; Secure"), overTls.header("Set-Cookie"));
        assertEquals(PAGE, overTls.header("Location"));

        assertEquals(503, send(valve, browser().query("maintenance-bypass=not-the-secret-at-all")).status);
        assertEquals(503, send(valve, RequestSpec.request("POST", PAGE)
                .query("maintenance-bypass=" + Fixture.BYPASS_SECRET)).status, "a link is a GET");
        assertEquals(3, valve.getAdmittedByBypass());
        assertEquals(2, valve.getBlockedCount());
    }

    @Test
    void eachWayInIsCountedOnItsOwn() throws Exception {
        MaintenanceValve valve = tomcat.startValve(Fixture.Config.JIRA, app);
        valve.enable("", 0);
        send(valve, browser().from(Fixture.ALLOWED_ADDRESS));
        send(valve, browser().port(Fixture.ADMIN_PORT));
        send(valve, browser().port(Fixture.ADMIN_PORT));
        send(valve, RequestSpec.browser(PAGE, Fixture.ADMIN_SESSION));
        send(valve, RequestSpec.healthCheck("/status"));
        send(valve, RequestSpec.healthCheck("/status"));
        send(valve, RequestSpec.healthCheck("/status"));
        assertEquals(503, send(valve, browser()).status);
        assertEquals(503, send(valve, browser().from(Fixture.ALLOWED_ADDRESS).header("X-Forwarded-For", "1.2.3.4")).status,
                "an allowed address behind a forwarding header is not admitted by address");

        assertEquals(1, valve.getAdmittedByAddress());
        assertEquals(2, valve.getAdmittedByPort());
        assertEquals(1, valve.getAdmittedByUser());
        assertEquals(3, valve.getAdmittedByPath());
        assertEquals(0, valve.getAdmittedByBypass());
        assertEquals(0, valve.getAdmittedByReadOnly());
        assertEquals(7, valve.getAdmittedCount());
        assertEquals(7, app.reached());
        assertEquals(2, valve.getBlockedCount());
    }

    @Test
    void theBannersEndpointsAreAnsweredInEveryStateAndNeverCountedAsBlockedOrAdmitted() throws Exception {
        MaintenanceValve valve = tomcat.startValve(Fixture.Config.JIRA, app);
        Reply off = send(valve, RequestSpec.browser("/maintenance-valve/status.json", null));
        assertEquals(200, off.status);
        assertTrue(off.body().startsWith("{\"phase\":\"off\""), off.body());
        assertTrue(off.body().endsWith(",\"admitted\":true}"), off.body());
        assertEquals(0, valve.getStatusCount(), "off: nothing asked, nothing counted");

        valve.enable("", 0);
        Reply blocked = send(valve, RequestSpec.browser("/maintenance-valve/status.json", Fixture.USER_SESSION));
        assertTrue(blocked.body().startsWith("{\"phase\":\"on\",\"mode\":\"full\""), blocked.body());
        assertTrue(blocked.body().endsWith(",\"admitted\":false}"), blocked.body());
        Reply admin = send(valve, RequestSpec.browser("/maintenance-valve/status.json", Fixture.ADMIN_SESSION));
        assertTrue(admin.body().endsWith(",\"admitted\":true}"), "inside, not how: " + admin.body());
        Reply script = send(valve, RequestSpec.browser("/maintenance-valve/banner.js", null));
        assertEquals(200, script.status);
        assertTrue(script.contentType.startsWith("text/javascript"), script.contentType);
        Reply post = send(valve, RequestSpec.request("POST", "/maintenance-valve/status.json"));
        assertEquals(405, post.status);
        assertEquals("GET, HEAD", post.header("Allow"));
        assertEquals("no-store", post.header("Cache-Control"));
        assertEquals("", post.body());

        assertEquals(0, app.reached(), "never passed on");
        assertEquals(0, valve.getBlockedCount() + valve.getAdmittedCount(), "never counted as blocked or admitted");
        assertEquals(0, valve.getAdmittedByUser(), "status.json asks the rules without counting a way");
        assertEquals(2, valve.getStatusCount(), "the two answers that asked the rules, not the script or the 405");
    }

    @Test
    void statusJsonTellsEveryCallerOutsideTheSameAndNamesNoWayIn() throws Exception {
        MaintenanceValve valve = tomcat.startValve(Fixture.Config.JIRA, app);
        valve.setAllowPaths("/maintenance-valve/");
        valve.enable("", 0);
        String status = "/maintenance-valve/status.json";
        List<RequestSpec.Builder> outside = List.of(
                RequestSpec.browser(status, null),
                RequestSpec.browser(status, Fixture.USER_SESSION),
                RequestSpec.browser(status, "0000DEAD0000BEEF0000DEAD0000BEEF"),
                RequestSpec.browser(status, null).cookie(Fixture.bypassCookieName(), "forged.cookie.value"),
                RequestSpec.browser(status, null).port(Fixture.ADMIN_PORT + 1),
                RequestSpec.browser(status, null).from("10.1.2.4"),
                RequestSpec.browser(status, null).from(Fixture.ALLOWED_ADDRESS).header("X-Forwarded-For", "1.2.3.4"));
        for (RequestSpec.Builder request : outside) {
            Reply reply = send(valve, request);
            assertEquals(200, reply.status);
            assertTrue(reply.body().endsWith(",\"endsIn\":null,\"admitted\":false}"),
                    "an allowed path admits the status.json request, not the browser: " + reply.body());
        }
        List<RequestSpec.Builder> inside = List.of(
                RequestSpec.browser(status, Fixture.ADMIN_SESSION),
                RequestSpec.browser(status, null).cookie(Fixture.bypassCookieName(), Fixture.bypassCookie(valve)),
                RequestSpec.browser(status, null).port(Fixture.ADMIN_PORT),
                RequestSpec.browser(status, null).from(Fixture.ALLOWED_ADDRESS));
        for (int i = 0; i < inside.size(); i++) {
            Reply reply = send(valve, inside.get(i));
            assertTrue(reply.body().endsWith(",\"endsIn\":null,\"admitted\":true}"), i + ": " + reply.body());
            assertFalse(reply.body().contains("way"), reply.body());
        }
        assertEquals(outside.size() + inside.size(), valve.getStatusCount(), "each answer counted");
        assertEquals(0, valve.getBlockedCount() + valve.getAdmittedCount());

        valve.enableReadOnly("", 0);
        assertTrue(send(valve, RequestSpec.browser(status, Fixture.USER_SESSION)).body().endsWith("\"admitted\":false}"),
                "read-only: a user's reading passes, the status says whether changes do");
        assertTrue(send(valve, RequestSpec.browser(status, Fixture.ADMIN_SESSION)).body().endsWith("\"admitted\":true}"));
    }

    @Test
    void readOnlyRefusesAReadingMethodThatCarriesABodyOrAContentType() throws Exception {
        MaintenanceValve valve = start(v -> { });
        valve.enableReadOnly("", 0);
        assertEquals(200, send(valve, browser()).status, "a plain GET reads");
        assertEquals(200, send(valve, browser().header("Content-Length", "0")).status, "an empty body is none");
        String[][] inputs = {{"Content-Length", "12"}, {"Transfer-Encoding", "chunked"},
            {"Content-Type", "application/x-www-form-urlencoded; charset=UTF-16"},
            {"Content-Length", "0", "Content-Type", "multipart/form-data; boundary=x"}};
        for (String[] input : inputs) {
            for (String method : List.of("GET", "HEAD", "OPTIONS")) {
                RequestSpec.Builder request = RequestSpec.request(method, PAGE).query("id=1");
                for (int i = 0; i < input.length; i += 2) {
                    request.header(input[i], input[i + 1]);
                }
                assertEquals(503, send(valve, request).status, method + " " + String.join(": ", input));
            }
        }
        assertEquals(2, app.reached());
        assertEquals(12, valve.getBlockedCount());
    }

    @Test
    void aRequestTomcatHasRejectedKeepsItsErrorAndNeverReachesTheApplication() throws Exception {
        MaintenanceValve valve = start(v -> { });
        valve.enable("", 0);
        exchange.use(browser().build());
        exchange.fill();
        exchange.response.setError();
        exchange.coyoteResponse.setStatus(400);
        valve.invoke(exchange.request, exchange.response);
        assertEquals(400, exchange.status());
        exchange.finish();
        assertEquals(0, app.reached());
        assertEquals(0, valve.getBlockedCount());
    }

    @Test
    void stopEndsTheWatcherThreadAndAStartAgainResumes() throws Exception {
        MaintenanceValve valve = start(v -> { });
        assertTrue(watcherRunning());
        valve.stop();
        // stop() waits for the watcher's work to end; the thread itself exits a moment later.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (watcherRunning()) {
            assertTrue(System.nanoTime() - deadline < 0, "the watcher thread ends after stop");
            Thread.sleep(10);
        }
        valve.start();
        assertTrue(watcherRunning());
        valve.enable("", 0);
        assertEquals(503, send(valve, browser()).status);
    }

    @Test
    void theJmxViewShowsTheAttributesAndTheWindowInForce() throws Exception {
        Path template = tomcat.dir.resolve("maintenance.html");
        Files.write(template, "<p>{{message}}</p>".getBytes(StandardCharsets.UTF_8));
        MaintenanceValve valve = start(v -> {
            v.setAllow(" 10.1.2.3,,192.168.0.0/24");
            v.setAdminPort("8081 ,8444");
            v.setAdminUsers("admin,jira-admin");
            v.setAllowPaths("/status, /s/");
            v.setReadOnlyReads("POST /rest/foo/1/query");
            v.setTemplate(template.toString());
            v.setBannerPath("/mv/");
        });
        assertEquals(tomcat.flag().toString(), valve.getFlagFile());
        assertEquals("10.1.2.3, 192.168.0.0/24", valve.getAllow());
        assertEquals("8081, 8444", valve.getAdminPort());
        assertEquals("admin, jira-admin", valve.getAdminUsers());
        assertEquals("/status, /s/", valve.getAllowPaths());
        assertEquals("POST /rest/foo/1/query", valve.getReadOnlyReads());
        assertEquals(template.toString(), valve.getTemplate());
        assertEquals("/mv/", valve.getBannerPath());
        assertFalse(valve.getVersion().isEmpty());
        assertFalse(valve.isActive());
        assertNull(valve.getSince());
        assertNull(valve.getUntil());

        Instant before = Instant.now().minusSeconds(1);
        valve.enable("Backup", 30);
        assertTrue(valve.isActive());
        Instant since = Instant.parse(valve.getSince());
        assertFalse(since.isBefore(before.minusSeconds(1)) || since.isAfter(Instant.now().plusSeconds(1)), valve.getSince());
        Instant until = Instant.parse(valve.getUntil());
        assertEquals(30, Duration.between(before, until).toMinutes(), valve.getUntil());
        valve.enable("", -1);
        assertNull(valve.getUntil(), "no announced end");
        assertEquals(since.toString(), valve.getSince(), "the same window");
        assertEquals(200, send(valve, browser().port(8444)).status, "the admin port as configured");
    }

    @Test
    void theJmxViewSaysWhetherIncomingMailIsPausedAndAStopPutsItBack() throws Exception {
        String before = System.clearProperty("atlassian.mail.fetchdisabled");
        try {
            MaintenanceValve valve = tomcat.startValve(Fixture.Config.JIRA, app);
            assertEquals("auto", valve.getPauseIncomingMail());
            assertFalse(valve.isIncomingMailPaused());
            assertEquals("fetched", valve.getIncomingMail());
            valve.enableReadOnly("Migration", 0);
            assertTrue(valve.isIncomingMailPaused(), "auto with a preset: read-only windows too");
            assertEquals("paused by this valve's window", valve.getIncomingMail());
            assertEquals("true", System.getProperty("atlassian.mail.fetchdisabled"));
            valve.stop();
            assertNull(System.getProperty("atlassian.mail.fetchdisabled"), "a stop in the window puts it back");
            assertFalse(valve.isIncomingMailPaused());
        } finally {
            if (before != null) {
                System.setProperty("atlassian.mail.fetchdisabled", before);
            }
        }
    }

    @Test
    void withoutATemplateTheBuiltInPageIsServed() {
        assertNull(start(v -> { }).getTemplate());
    }

    @Test
    void aJmxChangeOfTheWaysThroughAppliesAtOnceAndABadOneChangesNothing() throws Exception {
        MaintenanceValve valve = start(v -> v.setAllow("10.9.9.9"));
        valve.enable("", 0);
        assertEquals(503, send(valve, browser().from("10.1.2.3")).status);
        valve.setAllow("10.1.2.3");
        assertEquals(200, send(valve, browser().from("10.1.2.3")).status);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> valve.setAllow("everyone"));
        assertTrue(refused.getMessage().startsWith("allow=\"everyone\""), refused.getMessage());
        assertEquals("10.1.2.3", valve.getAllow());
        assertEquals(200, send(valve, browser().from("10.1.2.3")).status);
        valve.setAllowPaths("/open/");
        assertEquals(200, send(valve, RequestSpec.request("GET", "/open/page")).status);
        valve.setReadOnlyReads("POST /rest/foo/1/query");
        valve.enableReadOnly("", 0);
        assertEquals(200, send(valve, RequestSpec.request("POST", "/rest/foo/1/query")).status);
    }

    @Test
    void theAdminPortIsTheConnectorArrivedOnNotThePortAFrontEndNames() throws Exception {
        MaintenanceValve valve = tomcat.startValve(Fixture.Config.JIRA, app);
        valve.enable("", 0);
        // An AJP front end's server_port, or a RemoteIpValve with changeLocalPort: Tomcat's local port.
        assertEquals(503, send(valve, browser().reportedPort(Fixture.ADMIN_PORT)).status, "the port a front end names");
        assertEquals(200, send(valve, browser().port(Fixture.ADMIN_PORT).reportedPort(80)).status,
                "the admin connector, whatever port is reported");
        assertEquals(1, valve.getAdmittedByPort());
        assertEquals(1, app.reached(), "only the admin connector's request reached the application");
    }

    private static List<String> ajpWarnings(LogRecords log) {
        return log.list().stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage)
                .filter(m -> m.contains("is an AJP connector")).collect(Collectors.toList());
    }

    /** Puts the fixture's Host into an Engine whose Service has these connectors, as server.xml would. */
    private void serviceWith(org.apache.catalina.connector.Connector... connectors) {
        org.apache.catalina.core.StandardService service = new org.apache.catalina.core.StandardService();
        org.apache.catalina.core.StandardEngine engine = new org.apache.catalina.core.StandardEngine();
        engine.setName("Catalina");
        service.setContainer(engine);
        tomcat.host.setParent(engine);
        for (org.apache.catalina.connector.Connector connector : connectors) {
            service.addConnector(connector);
        }
    }

    private static org.apache.catalina.connector.Connector connector(String protocol, int port) {
        org.apache.catalina.connector.Connector connector = new org.apache.catalina.connector.Connector(protocol);
        connector.setPort(port);
        return connector;
    }

    @Test
    void anAjpConnectorInAdminPortIsAWarningAtStart() {
        serviceWith(connector("HTTP/1.1", 8080), connector("HTTP/1.1", 8081), connector("AJP/1.3", 8009),
                connector("AJP/1.3", 8010));
        try (LogRecords log = LogRecords.of(MaintenanceValve.class.getName())) {
            start(v -> v.setAdminPort("8081, 8009"));
            assertEquals(List.of("MaintenanceValve adminPort 8009 is an AJP connector: every request an AJP front end"
                    + " forwards (Apache httpd's mod_jk or mod_proxy_ajp, IIS) arrives on it, so during maintenance every"
                    + " user of that front end passes. Unless that is what you want, take it out of adminPort and give"
                    + " admins an HTTP connector of their own, bound to 127.0.0.1 and reached through an SSH tunnel"),
                    ajpWarnings(log));
        }
    }

    @Test
    void anHttpAdminPortBesideAnAjpConnectorIsNoWarning() {
        serviceWith(connector("HTTP/1.1", 8080), connector("HTTP/1.1", 8081), connector("AJP/1.3", 8009));
        try (LogRecords log = LogRecords.of(MaintenanceValve.class.getName())) {
            start(v -> v.setAdminPort("8081"));
            assertEquals(List.of(), ajpWarnings(log));
        }
    }

    private static List<String> warnings(LogRecords log) {
        return log.list().stream().filter(r -> r.getLevel() == Level.WARNING).map(LogRecord::getMessage)
                .filter(m -> m.contains("lets a loopback address in")).collect(Collectors.toList());
    }

    @Test
    void allowingLoopbackWithoutARemoteIpValveInFrontWarnsTheAdmin() {
        try (LogRecords log = LogRecords.of(MaintenanceValve.class.getName())) {
            MaintenanceValve valve = start(v -> v.setAllow("10.1.2.3"));
            assertEquals(List.of(), warnings(log));
            valve.setAllow("10.1.2.3, 127.0.0.1");
            assertEquals(1, warnings(log).size(), "a JMX change");
            valve.setAdminUsers("admin");
            assertEquals(1, warnings(log).size(), "only a change of allow warns");
            valve.stop();
            valve.start();
            assertEquals(2, warnings(log).size(), "at start");
            assertTrue(warnings(log).get(0).startsWith("MaintenanceValve allow=\"10.1.2.3, 127.0.0.1\" lets"),
                    warnings(log).get(0));
        } catch (LifecycleException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void behindARemoteIpValveAllowingLoopbackIsNoWarning() {
        tomcat.host.getPipeline().addValve(new org.apache.catalina.valves.RemoteIpValve());
        try (LogRecords log = LogRecords.of(MaintenanceValve.class.getName())) {
            MaintenanceValve valve = start(v -> v.setAllow("127.0.0.1"));
            assertTrue(valve.remoteIpValveRunsFirst());
            valve.setAllow("::1");
            assertEquals(List.of(), warnings(log));
        }
    }

    private void breakTheSessionStore() {
        breakTheSessionStore(new UnsupportedOperationException("the session store is down"));
    }

    private void breakTheSessionStore(Throwable failure) {
        tomcat.context.setManager(new org.apache.catalina.session.StandardManager() {
            @Override
            public org.apache.catalina.Session findSession(String id) {
                throw Rethrow.<RuntimeException>unchecked(failure);
            }
        });
    }

    private static final class Rethrow {
        @SuppressWarnings("unchecked")
        static <T extends Throwable> T unchecked(Throwable t) throws T {
            throw (T) t;
        }
    }

    @Test
    void aClassThatFailsToLoadWhileDecidingBlocksTheRequestWithA503() throws Exception {
        // As when the web application's user principal class is asked for while the application reloads.
        breakTheSessionStore(new NoClassDefFoundError("com/atlassian/jira/user/ApplicationUser"));
        assertInstanceOf(NoClassDefFoundError.class, adminBlockedWithOneError().getThrown());
    }

    /**
     * With the session store broken: an admin's page gets the maintenance page (never a 500, the
     * application not reached), {@code status.json} says not admitted, and one SEVERE line is
     * logged (at most one a minute), which is returned.
     */
    private LogRecord adminBlockedWithOneError() throws Exception {
        try (LogRecords log = LogRecords.of(MaintenanceValve.class.getName())) {
            MaintenanceValve valve = start(v -> v.setAdminUsers("admin"));
            valve.enable("", 0);
            Reply page = send(valve, RequestSpec.browser(PAGE, Fixture.ADMIN_SESSION));
            assertEquals(503, page.status, "fail closed, never a 500");
            assertTrue(page.body().contains("<html"), "the maintenance page");
            assertEquals(0, app.reached());
            assertEquals(1, valve.getBlockedCount());
            Reply status = send(valve, RequestSpec.browser("/maintenance-valve/status.json", Fixture.ADMIN_SESSION));
            assertEquals(200, status.status);
            assertTrue(status.body().endsWith(",\"admitted\":false}"), status.body());
            List<LogRecord> errors = log.list().stream().filter(r -> r.getLevel() == Level.SEVERE)
                    .collect(Collectors.toList());
            assertEquals(1, errors.size(), "at most one a minute");
            return errors.get(0);
        }
    }

    @Test
    void runningOutOfMemoryWhileDecidingIsLeftToTomcatAndLetsNothingIn() throws Exception {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        breakTheSessionStore(oom);
        MaintenanceValve valve = start(v -> v.setAdminUsers("admin"));
        valve.enable("", 0);
        assertSame(oom, assertThrows(OutOfMemoryError.class,
                () -> send(valve, RequestSpec.browser(PAGE, Fixture.ADMIN_SESSION))), "Tomcat sees it");
        assertEquals(0, app.reached(), "and the application is not reached");
        assertEquals(0, valve.getAdmittedCount());
    }

    @Test
    void aFailingSessionStoreMakesStatusJsonSayNotAdmittedAndIsLogged() throws Exception {
        breakTheSessionStore();
        try (LogRecords log = LogRecords.of(MaintenanceValve.class.getName())) {
            MaintenanceValve valve = start(v -> v.setAdminUsers("admin"));
            valve.enable("", 0);
            Reply status = send(valve, RequestSpec.browser("/maintenance-valve/status.json", Fixture.ADMIN_SESSION));
            assertEquals(200, status.status);
            assertTrue(status.body().endsWith(",\"admitted\":false}"), status.body());
            List<LogRecord> errors = log.list().stream().filter(r -> r.getLevel() == Level.SEVERE)
                    .collect(Collectors.toList());
            assertEquals(1, errors.size());
            assertTrue(errors.get(0).getMessage().startsWith(
                    "MaintenanceValve: unexpected error while working out status.json's \"admitted\"; it says false"),
                    errors.get(0).getMessage());
        }
    }

    @Test
    void aFailingSessionStoreBlocksTheRequestSaysNotAdmittedAndIsLogged() throws Exception {
        breakTheSessionStore();
        LogRecord error = adminBlockedWithOneError();
        assertTrue(error.getMessage().startsWith(
                "MaintenanceValve: unexpected error while deciding whether a request may pass; it is blocked"),
                error.getMessage());
        assertEquals("the session store is down", error.getThrown().getMessage());
    }

    @Test
    void aRequestRunningWhenMaintenanceBeginsIsWhatAwaitIdleWaitsFor() throws Exception {
        MaintenanceValve[] started = new MaintenanceValve[1];
        long[] seen = new long[4];
        org.apache.catalina.valves.ValveBase backup = new org.apache.catalina.valves.ValveBase(true) {
            @Override
            public void invoke(org.apache.catalina.connector.Request request,
                    org.apache.catalina.connector.Response response) {
                MaintenanceValve valve = started[0];
                try {
                    seen[0] = valve.getInFlight();
                    seen[1] = valve.getInFlightBeforeMaintenance();
                    valve.enable("XML backup", 0); // an admin's own long request, e.g. the backup page
                    seen[2] = valve.getInFlightBeforeMaintenance();
                    seen[3] = valve.awaitIdle(0);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        MaintenanceValve valve = tomcat.startValve(v -> { }, backup);
        started[0] = valve;
        assertEquals(200, send(valve, browser()).status);
        assertEquals(1, seen[0], "in flight while it runs");
        assertEquals(0, seen[1], "no maintenance yet");
        assertEquals(1, seen[2], "entered before maintenance began");
        assertEquals(1, seen[3], "still running");
        assertEquals(0, valve.getInFlight());
        assertEquals(0, valve.getInFlightBeforeMaintenance());
        assertEquals(0, valve.awaitIdle(0));
    }

    /**
     * The processor's async state machine, which the harness has none of (its requests have no
     * action hook): answers the two questions the valve asks and takes note of startAsync.
     */
    private static final class AsyncState implements org.apache.coyote.ActionHook {
        volatile boolean async;
        volatile boolean dispatching;

        @Override
        public void action(org.apache.coyote.ActionCode code, Object param) {
            if (code == org.apache.coyote.ActionCode.ASYNC_START) {
                async = true;
            } else if (code == org.apache.coyote.ActionCode.ASYNC_IS_ASYNC) {
                ((java.util.concurrent.atomic.AtomicBoolean) param).set(async);
            } else if (code == org.apache.coyote.ActionCode.ASYNC_IS_DISPATCHING) {
                ((java.util.concurrent.atomic.AtomicBoolean) param).set(dispatching);
            }
        }

        /** Sets itself as the hook of the exchange's coyote request, as a processor does (package-private). */
        AsyncState on(Exchange exchange) throws Exception {
            java.lang.reflect.Method setHook = org.apache.coyote.Request.class.getDeclaredMethod("setHook",
                    org.apache.coyote.ActionHook.class);
            setHook.setAccessible(true);
            setHook.invoke(exchange.coyoteRequest, this);
            return this;
        }
    }

    /** The application: starts async on the first pass (as a long poll does), counts its passes. */
    private static final class AsyncApplication extends org.apache.catalina.valves.ValveBase {
        int passes;

        AsyncApplication() {
            super(true);
        }

        @Override
        public void invoke(org.apache.catalina.connector.Request request, org.apache.catalina.connector.Response response) {
            if (passes++ == 0) {
                request.startAsync();
            }
        }
    }

    @Test
    void anAsyncRequestStaysInFlightUntilTomcatHasFinishedIt() throws Exception {
        AsyncState processor = new AsyncState().on(exchange);
        AsyncApplication asyncApp = new AsyncApplication();
        MaintenanceValve valve = tomcat.startValve(v -> { }, asyncApp);
        exchange.use(browser().build());
        exchange.fill();
        valve.invoke(exchange.request, exchange.response);
        assertTrue(processor.async);
        assertEquals(1, valve.getInFlight(), "invoke has returned, the request goes on on another thread");

        valve.enable("XML backup", 0);
        assertEquals(1, valve.getInFlightBeforeMaintenance());
        assertEquals(1, valve.awaitIdle(0), "not idle while it runs");

        // It resumes by an async dispatch: the same request going on, not asked again.
        processor.dispatching = true;
        valve.invoke(exchange.request, exchange.response);
        processor.dispatching = false;
        assertEquals(2, asyncApp.passes, "the dispatch reached the application");
        assertEquals(0, valve.getBlockedCount() + valve.getAdmittedCount(), "neither blocked nor counted as new");
        assertEquals(1, valve.getInFlight(), "still the one request");

        processor.async = false; // complete(): Tomcat finishes the response, then logs the request
        valve.log(exchange.request, exchange.response, 0);
        assertEquals(0, valve.getInFlight());
        assertEquals(0, valve.awaitIdle(0), "idle once Tomcat has finished it");
        valve.log(exchange.request, exchange.response, 0);
        assertEquals(0, valve.getInFlight(), "a second log ends nothing");
        exchange.finish();

        exchange.use(browser().build());
        exchange.fill();
        valve.invoke(exchange.request, exchange.response);
        assertEquals(503, exchange.status(), "a new request is held out");
        assertEquals(1, valve.getBlockedCount());
        valve.log(exchange.request, exchange.response, 0);
        assertEquals(0, valve.getInFlight());
        exchange.finish();
    }

    @Test
    void aRequestThatIsNotAsyncEndsWhenInvokeReturnsAndItsLogEndsNothing() throws Exception {
        AsyncState processor = new AsyncState().on(exchange);
        MaintenanceValve valve = start(v -> { });
        exchange.use(browser().build());
        exchange.fill();
        valve.invoke(exchange.request, exchange.response);
        assertFalse(processor.async);
        assertEquals(0, valve.getInFlight());
        valve.log(exchange.request, exchange.response, 0);
        assertEquals(0, valve.getInFlight(), "never below 0");
        exchange.finish();
    }

    @Test
    void aBypassSecretSetThroughJmxIsNeverLoggedOrShown() throws Exception {
        try (LogRecords log = LogRecords.of(MaintenanceValve.class.getName())) {
            MaintenanceValve valve = start(v -> { });
            assertFalse(valve.isBypassSecretSet());
            valve.setBypassSecret(Fixture.BYPASS_SECRET);
            assertTrue(valve.isBypassSecretSet());
            valve.setAdminUsers("admin");
            List<String> lines = log.list().stream().map(LogRecord::getMessage).collect(Collectors.toList());
            assertTrue(lines.contains("MaintenanceValve bypassSecret changed through JMX to (hidden)"), lines.toString());
            assertTrue(lines.contains("MaintenanceValve adminUsers changed through JMX to \"admin\""), lines.toString());
            assertTrue(lines.stream().noneMatch(line -> line.contains(Fixture.BYPASS_SECRET)), lines.toString());
        }
    }

    @Test
    void statusJsonSaysABypassCookieHoldersChangesPass() throws Exception {
        MaintenanceValve valve = tomcat.startValve(Fixture.Config.JIRA, app);
        valve.enable("", 0);
        Reply status = send(valve, RequestSpec.browser("/maintenance-valve/status.json", null)
                .cookie(Fixture.bypassCookieName(), Fixture.bypassCookie(valve)));
        assertTrue(status.body().endsWith(",\"admitted\":true}"), status.body());
        assertEquals(0, valve.getAdmittedByBypass(), "asked, not counted");
    }
}
