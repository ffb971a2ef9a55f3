package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.maintenancevalve.access.Preset;

import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The products' own routing must not open the gate (issue 12). One real Tomcat per preset with
 * the routing app ({@code src/test/resources/routing-app}): Tuckey's UrlRewriteFilter with Jira's
 * and Confluence's {@code /s/.../_/} forward rule, actions mapped by extension, a REST servlet.
 * Every answer of the app is marked "ROUTING-APP".
 * <p>
 * The hostile tables are sent over a raw socket three times: with maintenance off (to show each
 * request does reach the app, so the table proves something), in full mode and in read-only
 * mode, where none may reach it. Then what must keep working does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RoutingScenarios {

    static final String MARK = "ROUTING-APP";
    static final Duration DEADLINE = TomcatScenarios.TOGGLE_DEADLINE;
    /** The admin's own read, configured on both valves. */
    static final String ADMIN_READ = "POST /rest/foo/1/query";
    /** A static-resource prefix of the shape the products write into their pages. */
    static final String S = "/s/d41d8cd98f00b204e9800998ecf8427e-CDN/-9ahmv2/813001/abc/1.0/_";

    private final String version;
    private Product jira;
    private Product confluence;

    RoutingScenarios(String version) {
        this.version = version;
    }

    /** One Tomcat with the routing app and the valve with one preset. */
    final class Product {
        final Preset preset;
        final Path flag;
        final TomcatServer tomcat;
        /** The action extension the product maps: jspa (Jira) or action (Confluence). */
        final String ext;

        Product(Preset preset) throws IOException {
            this.preset = preset;
            String name = preset.name().toLowerCase(java.util.Locale.ROOT);
            this.ext = preset == Preset.JIRA ? "jspa" : "action";
            this.flag = TomcatServer.freshFlagFile("routing-" + name, version);
            this.tomcat = TomcatServer.builder(version).name("routing-" + name).app("routing-app")
                    .webappLib(urlRewriteFilterJar(version))
                    .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"" + TomcatScenarios.POLL_MILLIS
                            + "\" preset=\"" + name + "\" readOnlyReads=\"" + ADMIN_READ + "\"")
                    .start();
        }

        int port() {
            return tomcat.httpPort();
        }

        ObjectName valve() throws Exception {
            return CoreScenarios.valveName(tomcat.jmx());
        }

        /** Writes the flag (or removes it for "off") and waits until the valve is in that mode. */
        void mode(String mode, Instant until) throws Exception {
            if (mode.equals("off")) {
                Files.deleteIfExists(flag);
            } else {
                Files.writeString(flag, "{\"mode\":\"" + mode + "\"" + (until == null ? "" : ",\"until\":\"" + until + "\"")
                        + "}");
            }
            ObjectName valve = valve();
            Await.until(DEADLINE, preset + " in mode " + mode, () -> {
                try {
                    return mode.equals(tomcat.jmx().getAttribute(valve, "mode"))
                            && (until == null || until.toString().equals(tomcat.jmx().getAttribute(valve, "until")));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }

        Http.Response send(Request request) {
            return RawHttp.send(port(), request.raw(port()).getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(10));
        }

        /** Sends one request the way an HTTP client would, with a body when given. */
        Http.Response send(String method, String target, String body, String... headers) {
            return send(new Request(method, target, body, headers));
        }
    }

    /** The Tuckey jar for this Tomcat line: 4.x (javax) for 8.5 and 9.0, 5.x (jakarta) for 10.1 and 11.0. */
    static Path urlRewriteFilterJar(String version) {
        boolean javax = version.startsWith("8.") || version.startsWith("9.");
        String property = javax ? "urlrewrite.javax.jar" : "urlrewrite.jakarta.jar";
        String jar = System.getProperty(property);
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run through Maven (mvn verify)");
        }
        return Paths.get(jar);
    }

    @BeforeAll
    void startBothProducts() throws IOException {
        jira = new Product(Preset.JIRA);
        confluence = new Product(Preset.CONFLUENCE);
    }

    @AfterAll
    void stop() {
        for (Product product : new Product[] {jira, confluence}) {
            if (product != null) {
                product.tomcat.close();
            }
        }
    }

    // ------------------------------------------------------------ requests and answers

    /** One request as written on the wire: method, target as sent, header pairs, optional body. */
    record Request(String method, String target, String body, String... headers) {

        String raw(int port) {
            StringBuilder text = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                text.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            if (body != null) {
                text.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n");
            }
            text.append("Connection: close\r\n\r\n");
            if (body != null) {
                text.append(body);
            }
            return text.toString();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(method).append(' ').append(target);
            for (int i = 0; i < headers.length; i += 2) {
                if (!headers[i].equals("Content-Type")) {
                    text.append(" [").append(headers[i]).append(": ").append(headers[i + 1]).append(']');
                }
            }
            return text.toString();
        }
    }

    static final String FORM = "application/x-www-form-urlencoded";

    static Request post(String target) {
        return new Request("POST", target, "summary=x&pid=10000", "Content-Type", FORM);
    }

    static Request get(String target, String... headers) {
        return new Request("GET", target, null, headers);
    }

    static boolean reachedApp(Http.Response response) {
        return response.body().contains(MARK) || response.header("x-routing-app") != null;
    }

    static boolean isMaintenanceAnswer(Http.Response response) {
        return response.status() == 503 && response.header("retry-after") != null && !reachedApp(response);
    }

    /**
     * Changes through the products' routing: each a write, or a read that writes (atl_token, the
     * header that skips the token check, an upgrade). Refused in full and in read-only mode.
     */
    static List<Request> hostileChanges(Product product) {
        String x = product.ext;
        String create = product.preset == Preset.JIRA ? "/secure/CreateIssue.jspa" : "/pages/docreatepage.action";
        String login = product.preset == Preset.JIRA ? "/login.jsp" : "/dologin.action";
        String json = "application/json";
        List<Request> list = new ArrayList<>(List.of(
                post(create),
                post("/s/x/_" + create),
                post(S + create),
                post("/S/x/_" + create),
                post("/s/x/_/;" + create),
                post("/s/x/_/images/x/CreateIssue." + x),
                post("/s/x/_/download/resources/a.css/_" + create),
                post("/s/x/_/download/resources/com.example.login/login.css"),
                post("/images/x/CreateIssue." + x),
                post("/download/resources/x/CreateIssue." + x),
                post("/download/batch/x/QuickCreateIssue." + x),
                post("/download/contextbatch/css/x/CreateIssue." + x),
                post("/static-assets/x/CreateIssue." + x),
                post("/favicon.ico"),
                post("/status"),
                post("/status;x=1"),
                post(login + ";/.." + create),
                post(login + ";x=y"),
                post("/%6C" + login.substring(2)),
                post("/" + login),
                post("/." + login),
                post("/images/.." + login),
                new Request("POST", "/s/x/_/rest/api/2/issue", "{}", "Content-Type", json),
                new Request("POST", "/rest/api/2/issue", "{}", "Content-Type", json),
                new Request("PUT", "/rest/api/2/issue/1", "{}", "Content-Type", json),
                new Request("DELETE", "/rest/api/2/issue/1", null),
                new Request("PATCH", "/rest/api/2/issue/1", "{}", "Content-Type", json),
                new Request("PUT", "/s/x/_/rest/api/2/issue/1", "{}", "Content-Type", json),
                new Request("DELETE", "/s/x/_/secure/DeleteIssue." + x, null),
                new Request("post", "/rest/api/2/search", "{}", "Content-Type", json),
                new Request("POST", "/rest/api/2/search;x", "{}", "Content-Type", json),
                new Request("POST", "/rest/api/2/%73earch", "{}", "Content-Type", json),
                new Request("POST", "/rest/api/2/search/", "{}", "Content-Type", json),
                new Request("POST", "/rest/api/2/Search", "{}", "Content-Type", json),
                new Request("POST", "/s/x/_/rest/api/2/search", "{}", "Content-Type", json),
                new Request("POST", "/rest/webResources/1.0/resources?atl_token=abc", "{}", "Content-Type", json),
                new Request("POST", "/rest/webResources/1.0/resources", "{}", "Content-Type", json,
                        "Upgrade", "websocket", "Connection", "Upgrade"),
                new Request("POST", "/s/x/_/secure/CreateIssue." + x, "3\r\nabc\r\n0\r\n\r\n",
                        "Transfer-Encoding", "chunked"),
                new Request("PROPPATCH", "/s/x/_/images/icons/logo.svg", null),
                get("/secure/WorkflowUIDispatcher." + x + "?id=10000&action=11&atl_token=B3WY-abc"),
                get("/s/x/_/secure/WorkflowUIDispatcher." + x + "?id=10000&action=11&atl_token=B3WY-abc"),
                get("/secure/VoteOrWatchIssue." + x + "?id=10000&watch=watch&ATL_TOKEN=abc"),
                get("/secure/VoteOrWatchIssue." + x + "?id=10000&watch=watch&atl%5Ftoken=abc"),
                get("/secure/VoteOrWatchIssue." + x + "?id=10000&watch=watch&%61tl_token=abc"),
                get("/secure/VoteOrWatchIssue." + x + "?id=10000&%61%74%6C%5F%74%6F%6B%65%6E=abc"),
                get("/secure/VoteOrWatchIssue." + x + "?id=10000;atl_token=abc"),
                get("/images/x/WorkflowUIDispatcher." + x + "?atl_token=abc"),
                get("/download/resources/x/WorkflowUIDispatcher." + x + "?atl_token=abc"),
                get("/rest/api/2/issue/1/watchers?atl_token=abc"),
                get("/secure/WorkflowUIDispatcher." + x + "?id=10000&action=11", "X-Atlassian-Token", "no-check"),
                get("/s/x/_/secure/WorkflowUIDispatcher." + x + "?id=1&action=11", "x-atlassian-token", "nocheck"),
                get("/rest/synchrony/1.0/ws", "Upgrade", "websocket", "Connection", "Upgrade",
                        "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version", "13"),
                get("/s/x/_/rest/synchrony/1.0/ws", "Upgrade", "websocket", "Connection", "keep-alive, Upgrade"),
                get("/status", "Upgrade", "websocket", "Connection", "Upgrade"),
                get(S + "/download/resources/com.example.login/login.css", "Upgrade", "websocket",
                        "Connection", "Upgrade"),
                get("/secure/Dashboard." + x, "Connection", "Upgrade, HTTP2-Settings", "Upgrade", "h2c",
                        "HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"),
                get("/secure/Dashboard." + x, "HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"),
                get("/secure/Dashboard." + x, "upgrade", ""),
                // A GET, HEAD or OPTIONS with a body or a content type is no read: the token can
                // ride in the body (a form, multipart) or in a query decoded in the body's charset
                // (useBodyEncodingForURI, which Jira sets).
                new Request("GET", "/secure/WorkflowUIDispatcher." + x + "?id=10000&action=11", "atl_token=B3WY-abc",
                        "Content-Type", FORM),
                new Request("GET", "/s/x/_/secure/WorkflowUIDispatcher." + x + "?id=1&action=11", "atl_token=B3WY-abc",
                        "Content-Type", FORM),
                new Request("GET", "/secure/AddComment." + x + "?id=10000", "--b\r\nContent-Disposition: form-data; "
                        + "name=\"atl_token\"\r\n\r\nB3WY-abc\r\n--b--\r\n", "Content-Type", "multipart/form-data; boundary=b"),
                new Request("GET", "/rest/api/2/issue/1", "{\"fields\":{\"summary\":\"x\"}}"),
                new Request("GET", "/secure/VoteOrWatchIssue." + x + "?id=10000&watch=watch", "12\r\natl_token=B3WY-abc\r\n0\r\n\r\n",
                        "Transfer-Encoding", "chunked", "Content-Type", FORM),
                get("/secure/VoteOrWatchIssue." + x + "?id=10000&watch=watch&%00a%00t%00l%00_%00t%00o%00k%00e%00n=x",
                        "Content-Type", "application/x-www-form-urlencoded; charset=UTF-16"),
                new Request("HEAD", "/secure/WorkflowUIDispatcher." + x + "?id=10000&action=11", "atl_token=B3WY-abc",
                        "Content-Type", FORM),
                new Request("OPTIONS", "/secure/WorkflowUIDispatcher." + x + "?id=10000&action=11", "atl_token=B3WY-abc",
                        "Content-Type", FORM)));
        return list;
    }

    /** Reads through the products' routing that only full maintenance must hold out. */
    static List<Request> hostileReads(Product product) {
        String x = product.ext;
        String dashboard = "/secure/Dashboard." + x;
        List<Request> list = new ArrayList<>();
        for (String target : List.of(
                dashboard, "/s/x/_" + dashboard, S + dashboard, "/s/x/_/secure/admin/ViewApplicationProperties." + x,
                "/s/x/_/rest/api/2/serverInfo", "/s/x/_/;/WEB-INF/web.xml", "/s/x/_/%2e/WEB-INF/web.xml",
                "/s/x/_/images/../WEB-INF/web.xml", "/s/x/_/WEB-INF/web.xml", "/s/x/_/images/x/Dashboard." + x,
                "/s/x/_/download/resources/x/Dashboard." + x, "/images/x/Dashboard." + x,
                "/download/resources/x/Dashboard." + x, "/download/batch/x/Dashboard." + x,
                "/download/contextbatch/css/x/Dashboard." + x, "/static-assets/x/Dashboard." + x,
                "/favicon.ico;/../secure/Dashboard." + x, "/images/icons/logo.svg;/../../.." + dashboard,
                "/images/icons/logo.svg;.jspa", "/images/%2e%2e" + dashboard, "/S/x/_" + dashboard,
                "/s/X/_/SECURE/Dashboard." + x, "/s/x/_/_" + dashboard, "/s/x/_/download/resources/a.css/_" + dashboard,
                "/s/x/_/images/_/rest/api/2/issue/1.png", "/s/x/_/images/icons/_/secure/a.png",
                "/s/x/_/images/icons/logo.svg/../../.." + dashboard, "/s/x/_/images/a." + x, "/s/x/_/login.jsp",
                "/s/x/_/status", "/status/x", "/Status", "/STATUS", "/status.jsp", "/login.jsp/x",
                "/rest/api/2/search", dashboard + ";jsessionid=x", "/%73/x/_/images/icons/logo.svg",
                S + "/images/icons/logo%2Esvg", S + "/images/icons/./logo.svg", S + "//images/icons/logo.svg",
                "/images//icons/logo.svg", "/%69mages/icons/logo.svg", "/download/resources/com.example.login/login.css;x",
                "/s/app.css", "/s/x/_/favicon.ico/../secure/Dashboard." + x)) {
            list.add(get(target));
        }
        list.add(new Request("HEAD", "/s/x/_" + dashboard, null));
        list.add(new Request("OPTIONS", "/s/x/_" + dashboard, null));
        list.add(new Request("GET", "/s/x/_" + dashboard, null, "X-Original-URL", "/status"));
        return list;
    }

    /**
     * Sends each request with maintenance off, then in each given mode. Off, most reach the app
     * (at least {@code minReaching}, so the table tests something); in maintenance none may. A
     * request Tomcat itself refuses (4xx with maintenance off, the app never asked) must still not
     * reach the app; every other one must get the maintenance answer.
     */
    private void assertNoneReachesTheApp(Product product, List<Request> requests, int minReaching, String... modes)
            throws Exception {
        product.mode("off", null);
        List<Http.Response> off = new ArrayList<>();
        int reaching = 0;
        for (Request request : requests) {
            Http.Response response = trySend(product, request);
            off.add(response);
            if (response != null && reachedApp(response)) {
                reaching++;
            }
        }
        List<String> notReaching = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (off.get(i) == null || !reachedApp(off.get(i))) {
                notReaching.add(requests.get(i) + " -> " + (off.get(i) == null ? "closed" : off.get(i).status()));
            }
        }
        System.out.println("[RoutingScenarios] Tomcat " + version + " " + product.preset + ": " + reaching + " of "
                + requests.size() + " reach the app with maintenance off; not: " + notReaching);
        assertTrue(reaching >= minReaching, product.preset + ": only " + reaching + " of " + requests.size()
                + " requests reach the app with maintenance off; the table would prove little");
        List<String> failures = new ArrayList<>();
        for (String mode : modes) {
            product.mode(mode, null);
            for (int i = 0; i < requests.size(); i++) {
                Request request = requests.get(i);
                Http.Response before = off.get(i);
                Http.Response now = trySend(product, request);
                boolean refusedByTomcat = before == null
                        || before.status() >= 400 && before.status() < 500 && !reachedApp(before);
                String problem = null;
                if (now == null) {
                    if (!refusedByTomcat) {
                        problem = "no answer";
                    }
                } else if (reachedApp(now)) {
                    problem = "REACHED THE APP";
                } else if (!refusedByTomcat && !isMaintenanceAnswer(now)) {
                    problem = "not the maintenance answer";
                }
                if (problem != null) {
                    failures.add(product.preset + " " + mode + ": " + request + ": " + problem + " -> "
                            + (now == null ? "-" : now.status() + " " + abbreviate(now.body())));
                }
            }
        }
        assertTrue(failures.isEmpty(), "Tomcat " + version + ", " + failures.size() + " failures:\n"
                + String.join("\n", failures));
    }

    private static Http.Response trySend(Product product, Request request) {
        try {
            return product.send(request);
        } catch (RuntimeException closedWithoutAnswer) {
            return null; // Tomcat may close the connection on a malformed request: the app did not answer
        }
    }

    private static String abbreviate(String body) {
        return body.substring(0, Math.min(160, body.length())).replace('\n', ' ');
    }

    // ------------------------------------------------------------ nobody gets in

    @Test
    void hostileChangesReachNothingInFullAndInReadOnlyMode() throws Exception {
        for (Product product : List.of(jira, confluence)) {
            List<Request> changes = hostileChanges(product);
            assertTrue(changes.size() >= 40, "at least 40 hostile changes: " + changes.size());
            assertNoneReachesTheApp(product, changes, 40, "full", "read-only");
        }
    }

    @Test
    void hostileReadsReachNothingInFullMode() throws Exception {
        for (Product product : List.of(jira, confluence)) {
            List<Request> reads = hostileReads(product);
            assertTrue(reads.size() >= 40, "at least 40 hostile reads: " + reads.size());
            assertNoneReachesTheApp(product, reads, 35, "full");
        }
    }

    // ------------------------------------------------------------ what must keep working

    /** The login page's resources, in the forms the page links them (through the /s/.../_/ forward). */
    static final List<String> LOGIN_RESOURCES = List.of(
            S + "/download/resources/com.example.login/login.css",
            "/s/d41d8cd98f00b204e9800998ecf8427e-CDN/-9ahmv2/813001/abc/_/download/contextbatch/css/_super/batch.css",
            S + "/download/batch/com.example.login/login.js",
            "/s/en_GB/813001/abc/_/images/icons/logo.svg",
            "/download/resources/com.example.login/login.css",
            "/static-assets/app.js",
            "/favicon.ico");

    @Test
    void inFullModeTheLoginPageItsStylesTheLoginAndTheHealthCheckWork() throws Exception {
        for (Product product : List.of(jira, confluence)) {
            product.mode("full", null);
            assertTrue(isMaintenanceAnswer(product.send(get("/secure/Dashboard." + product.ext))), "in maintenance");
            String loginPage = product.preset == Preset.JIRA ? "/login.jsp" : "/login.action";
            Http.Response page = product.send(get(loginPage, "Accept", TomcatScenarios.BROWSER_ACCEPT));
            assertApp(page, product.preset + " login page");
            if (product.preset == Preset.JIRA) {
                for (String resource : LOGIN_RESOURCES.subList(0, 4)) {
                    assertTrue(page.body().contains(resource), "the page links " + resource);
                }
            }
            for (String resource : LOGIN_RESOURCES) {
                Http.Response style = product.send(get(resource));
                assertEquals(200, style.status(), product.preset + " " + resource + ": " + style);
                assertTrue(style.body().contains(MARK + " static"), resource + ": " + style);
                assertEquals(200, product.send(new Request("HEAD", resource, null)).status(), "HEAD " + resource);
            }
            String loginPost = product.preset == Preset.JIRA ? "/login.jsp" : "/dologin.action";
            Http.Response login = product.send(new Request("POST", loginPost, "os_username=admin&os_password=x",
                    "Content-Type", FORM));
            assertApp(login, product.preset + " login POST");
            assertTrue(login.body().contains("method=POST"), login.body());
            Http.Response status = product.send(get("/status"));
            assertApp(status, "/status");
            assertTrue(status.body().contains("\"state\":\"RUNNING\""), status.body());
            assertEquals(200, product.send(new Request("HEAD", "/status", null)).status(), "HEAD /status");
            Http.Response restLogin = product.send(new Request("POST", "/rest/auth/1/session",
                    "{\"username\":\"admin\",\"password\":\"x\"}", "Content-Type", "application/json"));
            assertApp(restLogin, "REST login");
        }
    }

    @Test
    void inReadOnlyModeReadsAndTheReadPostsWorkAndARefusedChangeIsToldSo() throws Exception {
        Instant until = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        for (Product product : List.of(jira, confluence)) {
            product.mode("read-only", until);
            String view = product.preset == Preset.JIRA ? "/secure/Dashboard.jspa" : "/pages/viewpage.action?pageId=1";
            Http.Response read = product.send(get(view, "Accept", TomcatScenarios.BROWSER_ACCEPT));
            assertApp(read, product.preset + " a plain GET action");
            assertTrue(read.body().contains("method=GET"), read.body());
            assertApp(product.send(get("/rest/api/2/issue/1")), "a REST read");

            List<String> reads = new ArrayList<>(product.preset.reads().entries());
            reads.add(ADMIN_READ);
            for (String entry : reads) {
                String[] methodAndPath = entry.split(" ");
                Http.Response response = product.send(new Request(methodAndPath[0], methodAndPath[1],
                        "{\"jql\":\"project = X\"}", "Content-Type", "application/json", "X-Atlassian-Token", "no-check",
                        "X-Requested-With", "XMLHttpRequest"));
                assertApp(response, product.preset + " read POST " + entry);
                assertTrue(response.body().contains("POST"), response.body());
            }

            Http.Response rest = product.send(new Request("POST", "/rest/api/2/issue", "{\"fields\":{}}",
                    "Content-Type", "application/json", "Accept", "application/json"));
            assertTrue(isMaintenanceAnswer(rest), "a REST write is refused: " + rest);
            assertTrue(rest.header("content-type").startsWith("application/json"), rest.toString());
            JsonNode json = CoreScenarios.readJson(rest.body());
            String refusal = json.get("errorMessages").get(0).asText();
            assertTrue(refusal.startsWith("Your change was not saved") && refusal.contains("read-only")
                    && refusal.contains("until"), refusal);
            assertTrue(json.get("errors").isObject());
            assertEquals("read-only", json.get("maintenance").get("mode").asText());
            assertEquals(until.toString(), json.get("maintenance").get("until").asText());
            long retryAfter = Long.parseLong(rest.header("retry-after"));
            assertTrue(retryAfter > 7000 && retryAfter <= 7200, "Retry-After counts down to until: " + retryAfter);

            String create = product.preset == Preset.JIRA ? "/secure/CreateIssue.jspa" : "/pages/docreatepage.action";
            Http.Response form = product.send(new Request("POST", create, "summary=Lost+work",
                    "Content-Type", FORM, "Accept", TomcatScenarios.BROWSER_ACCEPT, "Accept-Language", "en"));
            assertTrue(isMaintenanceAnswer(form), "a form POST is refused: " + form);
            assertTrue(form.header("content-type").startsWith("text/html"), form.toString());
            assertTrue(form.body().contains("What you just sent was not saved"), form.body());
            assertTrue(form.body().contains("<h1>Read-only during maintenance</h1>"), form.body());
            assertFalse(form.body().contains("Down for maintenance"), "the site is not down");
            assertTrue(form.body().contains("id=\"back\""), "a way back");

            Http.Response watch = product.send(get("/secure/VoteOrWatchIssue." + product.ext + "?id=1&atl_token=x",
                    "Accept", TomcatScenarios.BROWSER_ACCEPT));
            assertTrue(isMaintenanceAnswer(watch) && watch.body().contains("was not saved"),
                    "a GET that writes is refused as a change: " + watch);
        }
    }

    @Test
    void readOnlyReadsIsWritableInJmxAndABadValueIsRefusedNamingIt() throws Exception {
        MBeanServerConnection jmx = jira.tomcat.jmx();
        ObjectName valve = jira.valve();
        assertEquals(ADMIN_READ, jmx.getAttribute(valve, "readOnlyReads"));
        jira.mode("read-only", null);
        Request other = new Request("POST", "/rest/bar/1/query", "{}", "Content-Type", "application/json");
        try {
            assertTrue(isMaintenanceAnswer(jira.send(other)), "not a read yet");
            jmx.setAttribute(valve, new Attribute("readOnlyReads", ADMIN_READ + ", POST /rest/bar/1/query"));
            assertApp(jira.send(other), "a read added through JMX, in force at once");
            try {
                jmx.setAttribute(valve, new Attribute("readOnlyReads", "POST rest/bar"));
                throw new AssertionError("an invalid readOnlyReads was accepted");
            } catch (Exception expected) {
                String messages = messages(expected);
                assertTrue(messages.contains("readOnlyReads") && messages.contains("rest/bar"), messages);
            }
            assertEquals(ADMIN_READ + ", POST /rest/bar/1/query", jmx.getAttribute(valve, "readOnlyReads"),
                    "unchanged by the refused value");
        } finally {
            jmx.setAttribute(valve, new Attribute("readOnlyReads", ADMIN_READ));
        }
        assertTrue(isMaintenanceAnswer(jira.send(other)), "removed again");
    }

    @Test
    void aBadReadOnlyReadsStopsTheValveWithALineNamingIt() throws IOException {
        Path flag = TomcatServer.freshFlagFile("routing-bad", version);
        try (TomcatServer bad = TomcatServer.builder(version).name("routing-bad").app("routing-app")
                .webappLib(urlRewriteFilterJar(version))
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" preset=\"jira\" readOnlyReads=\"POST /rest/x, search\"")
                .startExpectingFailure()) {
            String line = bad.waitForLog("SEVERE.*readOnlyReads=\"POST /rest/x, search\"", Duration.ofSeconds(60));
            assertTrue(line.contains("MaintenanceValve") && line.contains("\"search\""), line);
            bad.waitForLog("(?i)(failed to start|unable to start|LifecycleException)", Duration.ofSeconds(30));
            try {
                assertFalse(reachedApp(Http.get(bad.httpPort(), "/secure/Dashboard.jspa")), "no app without the gate");
            } catch (RuntimeException connectionRefused) {
                // nothing listening: nothing served
            }
        }
    }

    /** With maintenance off the app routes like the products: the forward and the extension mappings work. */
    @Test
    void theAppRoutesLikeTheProducts() throws Exception {
        jira.mode("off", null);
        Http.Response forwarded = jira.send(get("/s/x/_/secure/Dashboard.jspa"));
        assertEquals("action", forwarded.header("x-routing-app"), "forwarded to the action: " + forwarded);
        assertTrue(forwarded.body().contains("path=/secure/Dashboard.jspa"), forwarded.body());
        assertEquals("action", jira.send(get("/images/x/Dashboard.jspa")).header("x-routing-app"),
                "an action under a static folder");
        assertEquals("action", jira.send(get("/download/resources/x/CreateIssue.jspa")).header("x-routing-app"));
        assertEquals("rest", jira.send(post("/s/x/_/rest/api/2/issue")).header("x-routing-app"), "REST via forward");
        assertEquals("action", jira.send(get("/s/x/_/download/resources/a.css/_/secure/Dashboard.jspa"))
                .header("x-routing-app"), "the rewrite rule is greedy: the last /_/ decides");
        assertEquals("action", jira.send(get("/S/x/_/secure/Dashboard.jspa")).header("x-routing-app"),
                "the rewrite rule ignores case");
        Http.Response style = jira.send(get(S + "/download/resources/com.example.login/login.css"));
        assertTrue(style.body().contains(MARK + " static login.css"), "a static file through the forward");
    }

    private static void assertApp(Http.Response response, String what) {
        assertEquals(200, response.status(), what + ": " + response);
        assertTrue(reachedApp(response), what + ": " + response);
        assertNotNull(response.body());
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
