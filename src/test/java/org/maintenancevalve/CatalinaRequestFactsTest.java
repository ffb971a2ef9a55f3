package org.maintenancevalve;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.tomcat.util.buf.MessageBytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The facts the adapter reads from Tomcat's request: raw path and query, headers as bytes or Strings. */
class CatalinaRequestFactsTest {

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

    @Test
    void headersAreFoundInAnyCaseAsBytesAndAsStrings() {
        Request request = request("", "/", null);
        bytesHeader(request, "connection", "keep-alive, UpGrade");
        request.getCoyoteRequest().getMimeHeaders().addValue("X-Atlassian-Token").setString("no-check");
        MaintenanceValve.CatalinaRequestFacts facts = facts(request);
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
        assertTrue(MaintenanceValve.CatalinaRequestFacts.contains(value, "close"));
        assertFalse(MaintenanceValve.CatalinaRequestFacts.contains(value, "upgrade"), "outside the value");
        MessageBytes nonAscii = MessageBytes.newInstance();
        byte[] latin = {(byte) 0xe9, 'U', 'P', 'G', 'R', 'A', 'D', 'E'};
        nonAscii.setBytes(latin, 0, latin.length);
        assertTrue(MaintenanceValve.CatalinaRequestFacts.contains(nonAscii, "upgrade"));
        assertFalse(MaintenanceValve.CatalinaRequestFacts.contains(MessageBytes.newInstance(), "upgrade"));
    }

    private static MaintenanceValve.CatalinaRequestFacts facts(Request request) {
        return new MaintenanceValve.CatalinaRequestFacts(request);
    }
}
