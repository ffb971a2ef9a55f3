package org.maintenancevalve.banner;

import org.apache.tomcat.util.buf.MessageBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BannerPathTest {

    private static final BannerPath DEFAULT = BannerPath.parse(BannerPath.DEFAULT);

    /** The URI as Tomcat's CoyoteAdapter leaves it for HTTP/1.1 and HTTP/2: decoded to chars. */
    private static MessageBytes chars(String uri) {
        MessageBytes mb = MessageBytes.newInstance();
        char[] c = ("xx" + uri + "yy").toCharArray();
        mb.setChars(c, 2, uri.length()); // not at the start of its buffer, as in Tomcat
        return mb;
    }

    private static MessageBytes bytes(String uri) {
        MessageBytes mb = MessageBytes.newInstance();
        byte[] b = ("xx" + uri + "yy").getBytes(StandardCharsets.UTF_8);
        mb.setBytes(b, 2, b.length - 4);
        return mb;
    }

    private static MessageBytes string(String uri) {
        MessageBytes mb = MessageBytes.newInstance();
        mb.setString(uri);
        return mb;
    }

    @Test
    void theDefaultAnswersBothFilesInTheRootContextWhateverFormTomcatHoldsTheUriIn() {
        for (java.util.function.Function<String, MessageBytes> form : java.util.List.<java.util.function.Function<String,
                MessageBytes>>of(BannerPathTest::chars, BannerPathTest::bytes, BannerPathTest::string)) {
            assertSame(BannerPath.Endpoint.STATUS, DEFAULT.match(form.apply("/maintenance-valve/status.json"), ""));
            assertSame(BannerPath.Endpoint.SCRIPT, DEFAULT.match(form.apply("/maintenance-valve/banner.js"), ""));
            assertSame(BannerPath.Endpoint.STATUS, DEFAULT.match(form.apply("/jira/maintenance-valve/status.json"),
                    "/jira"));
            assertSame(BannerPath.Endpoint.SCRIPT, DEFAULT.match(form.apply("/jira/maintenance-valve/banner.js"),
                    "/jira"));
            assertNull(DEFAULT.match(form.apply("/maintenance-valve/status.json"), "/jira"));
            assertNull(DEFAULT.match(form.apply("/jira/maintenance-valve/status.json"), ""),
                    "in the root context that is /jira/..., not ours");
            assertNull(DEFAULT.match(form.apply("/jirb/maintenance-valve/status.json"), "/jira"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/secure/Dashboard.jspa", "/maintenance-valve/", "/maintenance-valve/status.jso",
            "/maintenance-valve/status.jsonx", "/maintenance-valve/Status.json", "/maintenance-valve/banner.jsx",
            "/maintenance-valve/status.json/", "/maintenance-valvx/status.json", "/maintenance-valve/banner.j",
            "/Maintenance-valve/banner.js", "/xmaintenance-valve/status.json", "/maintenance-valve/statusXjson",
            "/maintenance-valve/other.js", "/s/maintenance-valve/banner.js", "/maintenance-valve/banner.js.map",
            "/maintenance-valve\u00e9status.json", "/maintenance-valve/status.jsön"})
    void anythingElseIsNotOurs(String uri) {
        assertNull(DEFAULT.match(chars(uri), ""), uri);
        assertNull(DEFAULT.match(bytes(uri), ""), uri);
        assertNull(DEFAULT.match(string(uri), ""), uri);
    }

    @Test
    void aNonAsciiContextPathMatchesWhenTheUriIsChars() {
        assertSame(BannerPath.Endpoint.STATUS, DEFAULT.match(chars("/wiki-\u00fc/maintenance-valve/status.json"),
                "/wiki-\u00fc"));
        assertSame(BannerPath.Endpoint.STATUS, DEFAULT.match(string("/wiki-\u00fc/maintenance-valve/status.json"),
                "/wiki-\u00fc"));
        // As bytes (never the case after CoyoteAdapter) a non-ASCII context never matches: it just goes on.
        assertNull(DEFAULT.match(bytes("/wiki-\u00fc/maintenance-valve/status.json"), "/wiki-\u00fc"));
        // Nor does a context path whose characters are those bytes read as Latin-1 ("/é" is 2F C3 A9).
        assertNull(DEFAULT.match(bytes("/\u00e9/maintenance-valve/status.json"), "/\u00c3\u00a9"));
    }

    @Test
    void anotherPrefixMovesBoth() {
        BannerPath moved = BannerPath.parse(" /ops/mv/ ");
        assertEquals("/ops/mv/", moved.text());
        assertEquals("/ops/mv/status.json", moved.pathOf(BannerPath.Endpoint.STATUS));
        assertSame(BannerPath.Endpoint.STATUS, moved.match(chars("/jira/ops/mv/status.json"), "/jira"));
        assertSame(BannerPath.Endpoint.SCRIPT, moved.match(chars("/ops/mv/banner.js"), ""));
        assertNull(moved.match(chars("/maintenance-valve/status.json"), ""));
        BannerPath root = BannerPath.parse("/");
        assertSame(BannerPath.Endpoint.STATUS, root.match(chars("/status.json"), ""));
        assertSame(BannerPath.Endpoint.SCRIPT, root.match(chars("/jira/banner.js"), "/jira"));
        BannerPath edges = BannerPath.parse("/azAZ09/-._~/");
        assertEquals("/azAZ09/-._~/", edges.text(), "every letter, digit and - . _ ~ may name a segment");
        assertSame(BannerPath.Endpoint.STATUS, edges.match(chars("/azAZ09/-._~/status.json"), ""));
    }

    @Test
    void offAnswersNothing() {
        for (String off : new String[] {"off", "OFF", " Off "}) {
            BannerPath path = BannerPath.parse(off);
            assertSame(BannerPath.OFF, path);
            assertFalse(path.isOn());
            assertEquals("off", path.text());
            assertNull(path.match(chars("/maintenance-valve/status.json"), ""));
            assertNull(path.pathOf(BannerPath.Endpoint.SCRIPT));
        }
        assertTrue(DEFAULT.isOn());
        assertNull(DEFAULT.match(MessageBytes.newInstance(), ""), "a URI Tomcat has not set");
        assertNull(DEFAULT.match(null, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "maintenance-valve/", "/maintenance-valve", "//", "/a//b/", "/./", "/../",
            "/a/./", "/a/../b/", "/a b/", "/\u00e4/", "/%2e/", "/a;b/", "/a?b/", "/a#/", "/a\\b/", "on", "true",
            "/*/", "/a/b", "/a`/", "/a{/", "/a@/", "/a[/", "/a:/"})
    void aValueThatCouldNeverMatchOrIsNoPathIsRefusedWithTheRuleInTheMessage(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BannerPath.parse(value));
        assertTrue(e.getMessage().contains("starts and ends with /"), e.getMessage());
        assertTrue(e.getMessage().contains("off"), e.getMessage());
    }

    @Test
    void aLongPathIsRefused() {
        assertEquals(200, BannerPath.parse("/" + "a".repeat(198) + "/").text().length());
        assertThrows(IllegalArgumentException.class, () -> BannerPath.parse("/" + "a".repeat(199) + "/"));
        assertThrows(IllegalArgumentException.class, () -> BannerPath.parse(null));
    }

    @Test
    void aTomcatRequestIsMatchedWithItsContextsPathAndAShortUriWithoutLookingAtTheContext() {
        org.apache.catalina.Context jira = org.mockito.Mockito.mock(org.apache.catalina.Context.class);
        org.mockito.Mockito.when(jira.getPath()).thenReturn("/jira");
        org.apache.catalina.connector.Request request = org.mockito.Mockito.mock(
                org.apache.catalina.connector.Request.class);
        org.mockito.Mockito.when(request.getContext()).thenReturn(jira);
        org.mockito.Mockito.when(request.getDecodedRequestURIMB()).thenReturn(chars("/jira/maintenance-valve/banner.js"));
        assertSame(BannerPath.Endpoint.SCRIPT, DEFAULT.match(request));
        org.mockito.Mockito.when(request.getDecodedRequestURIMB()).thenReturn(chars("/maintenance-valve/banner.js"));
        assertNull(DEFAULT.match(request), "not under this context");
        org.mockito.Mockito.when(request.getContext()).thenReturn(null);
        assertSame(BannerPath.Endpoint.SCRIPT, DEFAULT.match(request), "no context mapped: the URI as it is");

        org.apache.catalina.connector.Request shortUri = org.mockito.Mockito.mock(
                org.apache.catalina.connector.Request.class);
        org.mockito.Mockito.when(shortUri.getDecodedRequestURIMB()).thenReturn(chars("/secure/Dashboard.jspa"));
        assertNull(DEFAULT.match(shortUri));
        org.mockito.Mockito.verify(shortUri, org.mockito.Mockito.never()).getContext();
        assertNull(BannerPath.OFF.match(request));
    }

    @Test
    void matchingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MessageBytes miss = chars("/secure/Dashboard.jspa");
        MessageBytes sameLength = chars("/maintenance-valve/statusXjson");
        MessageBytes hit = chars("/jira/maintenance-valve/status.json");
        MessageBytes hitBytes = bytes("/jira/maintenance-valve/banner.js");
        int found = 0;
        for (int i = 0; i < 20_000; i++) { // warm up: the measurement below must not see the JIT's own work
            found += count(miss, sameLength, hit, hitBytes);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            found += count(miss, sameLength, hit, hitBytes);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(240_000, found);
        assertTrue(allocated < 4096, "100,000 rounds of 4 matches allocated " + allocated + " bytes");
    }

    private static int count(MessageBytes miss, MessageBytes sameLength, MessageBytes hit, MessageBytes hitBytes) {
        int n = 0;
        n += DEFAULT.match(miss, "") == null ? 0 : 1;
        n += DEFAULT.match(sameLength, "") == null ? 0 : 1;
        n += DEFAULT.match(hit, "/jira") == null ? 0 : 1;
        n += DEFAULT.match(hitBytes, "/jira") == null ? 0 : 1;
        return n;
    }
}
