package org.maintenancevalve;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.valves.AccessLogValve;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.ServerCookie;
import org.apache.tomcat.util.http.ServerCookies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The valve's view of Tomcat's request, on Tomcat's own objects: headers and cookies as bytes or Strings, raw path and query. */
class CatalinaRequestFactsTest {

    private static CatalinaRequestFacts facts(org.apache.coyote.Request coyote) {
        Request request = mock(Request.class);
        when(request.getCoyoteRequest()).thenReturn(coyote);
        return new CatalinaRequestFacts(request);
    }

    /** A header added as the HTTP/1.1 parser does: name and value as bytes. */
    private static org.apache.coyote.Request withBytesHeader(String name, String value) {
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        MimeHeaders headers = coyote.getMimeHeaders();
        headers.addValue("Host").setString("jira.example.com");
        headers.addValue("Accept").setString("text/html");
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        headers.addValue(bytes, 0, bytes.length).setString(value);
        headers.addValue("User-Agent").setString("curl/8");
        return coyote;
    }

    /** A header added as the HTTP/2 parser does: name and value as Strings. */
    private static org.apache.coyote.Request withStringHeader(String name, String value) {
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        coyote.getMimeHeaders().addValue(name).setString(value);
        return coyote;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Forwarded", "X-Forwarded-For", "X-Real-IP", "Via", "True-Client-IP", "CF-Connecting-IP",
        "X-Client-IP", "X-Cluster-Client-IP", "Fastly-Client-IP", "via", "x-forwarded-for", "FASTLY-CLIENT-IP",
        "cf-connecting-ip", "x-cluster-client-ip", "true-client-ip", "x-client-ip", "forwarded", "x-real-ip"})
    void everyProxyHeaderCountsInAnyCaseAndEitherForm(String name) {
        assertTrue(facts(withBytesHeader(name, "203.0.113.7")).hasForwardingHeaders(), name + " (bytes)");
        assertTrue(facts(withStringHeader(name, "")).hasForwardingHeaders(), name + " (String, empty value)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Forwarded-Proto", "X-Forwarded-Host", "Vía", "Vias", "X-Forwarded-Fo", "Forwarded-X",
        "X-Real-IPs", "CF-Connecting-IPv6", "Accept", "Cookie", "Age", "Forwardes", "X-Client-IX", "True-Client-IX",
        "X-Forwarded-Foo", "Fastly-Client-IX", "X-Cluster-Client-IX"})
    void otherHeadersDoNot(String name) {
        assertFalse(facts(withBytesHeader(name, "203.0.113.7")).hasForwardingHeaders(), name);
        assertFalse(facts(withStringHeader(name, "203.0.113.7")).hasForwardingHeaders(), name);
    }

    @Test
    void noHeadersNoProxy() {
        assertFalse(facts(new org.apache.coyote.Request()).hasForwardingHeaders());
    }

    @Test
    void isForwardingHeaderReadsTheBytesInPlace() {
        byte[] buffer = "xxVia:yy".getBytes(StandardCharsets.ISO_8859_1);
        MessageBytes name = MessageBytes.newInstance();
        name.setBytes(buffer, 2, 3);
        assertTrue(CatalinaRequestFacts.isForwardingHeader(name));
    }

    private static CatalinaRequestFacts withCookies(String... nameValues) {
        ServerCookies cookies = new ServerCookies(4);
        for (int i = 0; i < nameValues.length; i += 2) {
            ServerCookie cookie = cookies.addCookie();
            byte[] name = nameValues[i].getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = nameValues[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            cookie.getName().setBytes(name, 0, name.length);
            cookie.getValue().setBytes(value, 0, value.length);
        }
        Request request = mock(Request.class);
        when(request.getServerCookies()).thenReturn(cookies);
        return new CatalinaRequestFacts(request);
    }

    @Test
    void everyCookieOfTheNameIsReturnedInOrder() {
        assertEquals(List.of("planted", "good", "third"), withCookies("maintenance-bypass", "planted", "JSESSIONID", "x",
                "maintenance-bypass", "good", "maintenance-bypass", "third").cookies("maintenance-bypass"));
        assertEquals(List.of("only"), withCookies("JSESSIONID", "x", "maintenance-bypass", "only").cookies("maintenance-bypass"));
        assertTrue(withCookies("JSESSIONID", "x", "Maintenance-Bypass", "case").cookies("maintenance-bypass").isEmpty());
        assertTrue(withCookies().cookies("maintenance-bypass").isEmpty());
    }

    // ------------------------------------------------------------ RemoteIpValve before the valve

    private static Container container(Container parent, Valve... valves) {
        Container container = mock(Container.class);
        Pipeline pipeline = mock(Pipeline.class);
        when(pipeline.getValves()).thenReturn(valves);
        when(container.getPipeline()).thenReturn(pipeline);
        when(container.getParent()).thenReturn(parent);
        return container;
    }

    @Test
    void findsARemoteIpValveEarlierInItsPipelineOrInAParents() {
        MaintenanceValve valve = new MaintenanceValve();
        Container engine = container(null, new AccessLogValve());
        valve.setContainer(container(engine, new RemoteIpValve(), valve));
        assertTrue(valve.remoteIpValveRunsFirst(), "before it in the Host's pipeline");

        valve.setContainer(container(engine, valve, new RemoteIpValve()));
        assertFalse(valve.remoteIpValveRunsFirst(), "after it: runs too late");

        Container engineWithRemoteIp = container(null, new RemoteIpValve(), new AccessLogValve());
        Container host = container(engineWithRemoteIp, new AccessLogValve());
        valve.setContainer(container(host, valve));
        assertTrue(valve.remoteIpValveRunsFirst(), "at Engine level, above the valve's Context");

        valve.setContainer(container(container(null), new AccessLogValve(), valve));
        assertFalse(valve.remoteIpValveRunsFirst(), "none at all");
        assertFalse(new MaintenanceValve().remoteIpValveRunsFirst(), "in no container yet");
    }

    @Test
    void onlyAValidSessionNamesItsUser() {
        org.apache.catalina.session.StandardManager manager = new org.apache.catalina.session.StandardManager();
        new org.apache.catalina.core.StandardContext().setManager(manager);
        org.apache.catalina.session.StandardSession session = new org.apache.catalina.session.StandardSession(manager);
        session.setValid(true);
        session.setAttribute("user", (java.security.Principal) () -> "admin", false);
        assertEquals("admin", CatalinaRequestFacts.userOf(session, "user"));
        assertNull(CatalinaRequestFacts.userOf(session, "other"));
        assertNull(CatalinaRequestFacts.userOf(null, "user"));
        session.setValid(false);
        assertNull(CatalinaRequestFacts.userOf(session, "user"), "an invalidated session");
    }

    private static Request request(String contextPath, String rawUri, String query) {
        Request request = new Request(new Connector("HTTP/1.1"));
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        request.setCoyoteRequest(coyote);
        coyote.requestURI().setString(rawUri);
        if (query != null) {
            coyote.queryString().setString(query);
        }
        Context context = mock(Context.class);
        when(context.getPath()).thenReturn(contextPath);
        request.getMappingData().context = context;
        return request;
    }

    /** A header value as Tomcat's HTTP/1.1 parser leaves it: bytes inside a larger buffer. */
    private static void bytesHeader(Request request, String name, String value) {
        byte[] buffer = ("xx" + value + "yy").getBytes(StandardCharsets.ISO_8859_1);
        request.getCoyoteRequest().getMimeHeaders().addValue(name).setBytes(buffer, 2, value.length());
    }

    @Test
    void theRawPathIsTheUriAsSentWithoutTheContextPath() {
        assertEquals("/s/x/_/images/a.png", facts(request("", "/s/x/_/images/a.png", null)).rawPath());
        Request encoded = request("/jira", "/jira/images/%61.png;x", null);
        encoded.getCoyoteRequest().decodedURI().setString("/jira/images/a.png");
        assertEquals("/jira/images/a.png", encoded.getDecodedRequestURI());
        assertEquals("/images/%61.png;x", facts(encoded).rawPath(), "as sent, not as decoded");
        assertEquals("/status;x", facts(request("/jira", "/jira/status;x", null)).rawPath());
        assertNull(facts(request("/jira", "/%6Aira/status", null)).rawPath(), "context path written differently");
        assertEquals("a=1&atl%5Ftoken=x", facts(request("", "/", "a=1&atl%5Ftoken=x")).rawQuery());
        assertNull(facts(request("", "/", null)).rawQuery());
    }

    private static Request decoded(String contextPath, String decodedUri) {
        Request request = request(contextPath, decodedUri, null);
        request.getCoyoteRequest().decodedURI().setString(decodedUri);
        return request;
    }

    @Test
    void thePathIsTheDecodedUriWithoutTheContextPath() {
        assertEquals("/secure/Dashboard.jspa", facts(decoded("/jira", "/jira/secure/Dashboard.jspa")).path());
        assertEquals("/jira", facts(decoded("/jira", "/jira/secure/Dashboard.jspa")).contextPath());
        assertEquals("/", facts(decoded("/jira", "/jira")).path(), "the context's root");
        assertEquals("/status", facts(decoded("", "/status")).path());
        assertEquals("", facts(decoded("", "/status")).contextPath());
        assertEquals("/status", facts(decoded(null, "/status")).path());
        assertEquals("", facts(decoded(null, "/status")).contextPath());
        assertEquals("/", facts(request("", "/x", null)).path(), "no decoded URI");
        Request noContext = new Request(new Connector("HTTP/1.1"));
        noContext.setCoyoteRequest(new org.apache.coyote.Request());
        noContext.getCoyoteRequest().decodedURI().setString("/a/b");
        assertEquals("/a/b", facts(noContext).path());
        assertEquals("", facts(noContext).contextPath());
        assertEquals("", CatalinaRequestFacts.contextPathOf(noContext));
    }

    @Test
    void headersAreFoundInAnyCaseAsBytesAndAsStrings() {
        Request request = request("", "/", null);
        bytesHeader(request, "connection", "keep-alive, UpGrade");
        request.getCoyoteRequest().getMimeHeaders().addValue("X-Atlassian-Token").setString("no-check");
        CatalinaRequestFacts facts = facts(request);
        assertTrue(facts.hasHeader("Connection"));
        assertTrue(facts.hasHeader("x-atlassian-token"));
        assertFalse(facts.hasHeader("Upgrade"));
        assertTrue(facts.headerContains("Connection", "upgrade"), "bytes, mixed case");
        assertFalse(facts.headerContains("Connection", "close"));
        assertTrue(facts.headerContains("X-Atlassian-Token", "no-check"), "a String value");
        assertFalse(facts.headerContains("X-Atlassian-Token", "no-checks"));
    }

    @Test
    void everyHeaderOfTheNameIsLookedAt() {
        Request request = request("", "/", null);
        bytesHeader(request, "Connection", "keep-alive");
        bytesHeader(request, "Connection", "upgrade");
        assertTrue(facts(request).headerContains("Connection", "upgrade"));
    }

    @Test
    void containsLooksOnlyInsideTheValuesBytes() {
        MessageBytes value = MessageBytes.newInstance();
        byte[] buffer = "upgrade|close|upgrade".getBytes(StandardCharsets.ISO_8859_1);
        value.setBytes(buffer, 8, 5);
        assertTrue(CatalinaRequestFacts.contains(value, "close"));
        assertFalse(CatalinaRequestFacts.contains(value, "upgrade"), "outside the value");
        MessageBytes nonAscii = MessageBytes.newInstance();
        byte[] latin = {(byte) 0xe9, 'U', 'P', 'G', 'R', 'A', 'D', 'E'};
        nonAscii.setBytes(latin, 0, latin.length);
        assertTrue(CatalinaRequestFacts.contains(nonAscii, "upgrade"));
        assertFalse(CatalinaRequestFacts.contains(MessageBytes.newInstance(), "upgrade"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 1", "content-length: 4711", "Content-Length: 99999999999",
        "Transfer-Encoding: chunked", "transfer-encoding: gzip, chunked", "Transfer-Encoding: ",
        "Content-Length: x", "Content-Length: -1", "Content-Length: 1 2"})
    void aBodyIsSeenByItsLengthOrItsTransferEncodingInBytes(String header) {
        int colon = header.indexOf(':');
        String name = header.substring(0, colon);
        String value = header.substring(colon + 1).trim();
        org.apache.coyote.Request coyote = withBytesHeader(name, value);
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        coyote.getMimeHeaders().getValue(name).setBytes(bytes, 0, bytes.length); // as the HTTP/1.1 parser holds it
        assertTrue(facts(coyote).carriesBody(), header);
    }

    @Test
    void noLengthOrALengthOfZeroIsNoBodyAndTwoLengthsAreOne() {
        assertFalse(facts(new org.apache.coyote.Request()).carriesBody(), "no header");
        assertFalse(facts(withBytesHeader("Content-Length", "0")).carriesBody(), "Content-Length: 0");
        assertFalse(facts(withBytesHeader("Content-Type", "text/plain")).carriesBody(),
                "a content type is not a body (the rule looks at it on its own)");
        org.apache.coyote.Request two = withBytesHeader("Content-Length", "0");
        two.getMimeHeaders().addValue("Content-Length").setString("5");
        assertTrue(facts(two).carriesBody(), "two lengths: cannot tell, so a body");
    }

    @Test
    void anHttp2StreamLeftOpenByItsHeadersMayCarryABody() throws Exception {
        for (boolean ended : new boolean[] {true, false}) {
            org.apache.coyote.Request h2 = answeringBodyFullyRead(ended);
            h2.protocol().setString("HTTP/2.0");
            assertEquals(!ended, facts(h2).carriesBody(), "HTTP/2, stream ended with the headers: " + ended);
            org.apache.coyote.Request h1 = answeringBodyFullyRead(ended);
            h1.protocol().setString("HTTP/1.1");
            assertFalse(facts(h1).carriesBody(), "HTTP/1.1 and AJP say a body by their headers: " + ended);
        }
    }

    /**
     * A coyote request whose processor answers "is the request body fully read?" with
     * {@code ended}, as Tomcat's HTTP/2 StreamProcessor does (whether the client ended the stream).
     * The hook's setter is package-private: the processor sets it.
     */
    private static org.apache.coyote.Request answeringBodyFullyRead(boolean ended) throws Exception {
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        org.apache.coyote.ActionHook hook = (action, param) -> {
            if (action == org.apache.coyote.ActionCode.REQUEST_BODY_FULLY_READ) {
                ((java.util.concurrent.atomic.AtomicBoolean) param).set(ended);
            }
        };
        java.lang.reflect.Method setHook = org.apache.coyote.Request.class.getDeclaredMethod("setHook",
                org.apache.coyote.ActionHook.class);
        setHook.setAccessible(true);
        setHook.invoke(coyote, hook);
        return coyote;
    }

    private static CatalinaRequestFacts facts(Request request) {
        return new CatalinaRequestFacts(request);
    }
}
