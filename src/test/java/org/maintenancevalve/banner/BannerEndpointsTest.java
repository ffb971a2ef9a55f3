package org.maintenancevalve.banner;

import org.apache.catalina.connector.Request;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class BannerEndpointsTest {

    private final BannerEndpoints endpoints = new BannerEndpoints();

    private static Request request(String method) {
        Request request = mock(Request.class);
        when(request.getMethod()).thenReturn(method);
        return request;
    }

    @Test
    void theDocumentIsRenderedOncePerState() {
        Instant now = Instant.parse("2026-11-25T22:00:00Z");
        MaintenanceState on = MaintenanceState.evaluate(FlagSettings.DEFAULTS, now, now, MaintenanceState.OFF);
        StatusDocument first = endpoints.documentFor(on);
        assertSame(first, endpoints.documentFor(on));
        MaintenanceState equalButNew = MaintenanceState.evaluate(FlagSettings.DEFAULTS, now, now, MaintenanceState.OFF);
        assertNotSame(first, endpoints.documentFor(equalButNew), "a new state object is a new document");
        assertTrue(endpoints.documentFor(MaintenanceState.OFF).isFor(MaintenanceState.OFF));
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "PROPFIND"}) {
            Capture status = new Capture();
            endpoints.answerStatus(request(method), status.response, MaintenanceState.OFF, true, 0);
            assertEquals(405, status.status, method);
            assertEquals("GET, HEAD", status.headers.get("Allow"));
            assertEquals(0, status.body.size());
            Capture script = new Capture();
            endpoints.answerScript(request(method), script.response);
            assertEquals(405, script.status, method);
        }
        Capture head = new Capture();
        endpoints.answerStatus(request("HEAD"), head.response, MaintenanceState.OFF, false, 0);
        assertEquals(200, head.status);
        assertEquals(0, head.body.size());
        assertTrue(head.contentLength > 100);
        Capture get = new Capture();
        endpoints.answerStatus(request("GET"), get.response, MaintenanceState.OFF, false, 0);
        assertEquals(head.contentLength, get.body.size());
        assertTrue(get.text().endsWith(",\"endsIn\":null,\"admitted\":false}"), get.text());
        Capture script = new Capture();
        endpoints.answerScript(request("GET"), script.response);
        assertEquals(200, script.status);
    }
}
