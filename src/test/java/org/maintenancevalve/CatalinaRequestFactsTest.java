package org.maintenancevalve;

import org.apache.catalina.Container;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The valve's view of Tomcat's request, on Tomcat's own header and cookie objects. */
class CatalinaRequestFactsTest {

    private static MaintenanceValve.CatalinaRequestFacts facts(org.apache.coyote.Request coyote) {
        Request request = mock(Request.class);
        when(request.getCoyoteRequest()).thenReturn(coyote);
        return new MaintenanceValve.CatalinaRequestFacts(request);
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
        "X-Real-IPs", "CF-Connecting-IPv6", "Accept", "Cookie"})
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
        assertTrue(MaintenanceValve.CatalinaRequestFacts.isForwardingHeader(name));
    }

    private static MaintenanceValve.CatalinaRequestFacts withCookies(String... nameValues) {
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
        return new MaintenanceValve.CatalinaRequestFacts(request);
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
    }
}
