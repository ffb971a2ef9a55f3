package org.maintenancevalve.response;

import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class MaintenanceAnswerTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    private static MaintenanceAnswer answer(Instant until) {
        FlagSettings settings = FlagSettings.builder().message("Back soon – très bientôt").until(until).build();
        MaintenanceState state = MaintenanceState.evaluate(settings, NOW, NOW, MaintenanceState.OFF);
        return MaintenanceAnswer.render(state, 300);
    }

    @Test
    void retryAfterCountsDownToTheAnnouncedEndAndFallsBackAfterIt() {
        MaintenanceAnswer answer = answer(NOW.plusSeconds(90));
        assertEquals(90, answer.retryAfterSeconds(NOW.toEpochMilli()));
        assertEquals(1, answer.retryAfterSeconds(NOW.plusMillis(89_999).toEpochMilli()), "at least 1");
        assertEquals(1, answer.retryAfterSeconds(NOW.plusMillis(89_001).toEpochMilli()));
        assertEquals(300, answer.retryAfterSeconds(NOW.plusSeconds(90).toEpochMilli()), "end passed: default");
        assertEquals(300, answer(null).retryAfterSeconds(NOW.toEpochMilli()), "no end: default");
    }

    @Test
    void writesHtmlWithStatusHeadersAndExactLength() throws Exception {
        Response response = mock(Response.class);
        StringWriter body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body));

        answer(NOW.plusSeconds(90)).writeTo(response, false, false, NOW.toEpochMilli());

        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "90");
        verify(response).setHeader("Cache-Control", "no-store");
        verify(response).setContentType("text/html;charset=UTF-8");
        verify(response, never()).sendError(anyInt());
        verify(response, never()).sendError(anyInt(), anyString());
        assertTrue(body.toString().contains("très bientôt"));
        verify(response).setContentLength(body.toString().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void writesJsonWithTheSameRetryAfterAsTheHeader() throws Exception {
        Response response = mock(Response.class);
        StringWriter body = new StringWriter();
        when(response.getWriter()).thenReturn(new PrintWriter(body));

        answer(NOW.plusSeconds(1234)).writeTo(response, true, false, NOW.toEpochMilli());

        verify(response).setHeader("Retry-After", "1234");
        verify(response).setContentType("application/json;charset=UTF-8");
        assertTrue(body.toString().contains("\"retryAfterSeconds\":1234}"), body.toString());
        verify(response).setContentLength(body.toString().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void headGetsHeadersOnly() throws Exception {
        Response response = mock(Response.class);
        answer(null).writeTo(response, false, true, NOW.toEpochMilli());
        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "300");
        verify(response, never()).getWriter();
    }
}
