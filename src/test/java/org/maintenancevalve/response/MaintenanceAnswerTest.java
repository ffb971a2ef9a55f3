package org.maintenancevalve.response;

import org.apache.catalina.connector.Response;
import org.apache.tomcat.util.http.MimeHeaders;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /** A mocked Catalina response over Tomcat's real coyote response (which holds the content type). */
    private static Response response() {
        Response response = mock(Response.class);
        when(response.getCoyoteResponse()).thenReturn(new org.apache.coyote.Response());
        return response;
    }

    @Test
    void aCharsetSetBeforeTheValveIsNotAppendedToTheAnswers() throws Exception {
        Response response = response();
        response.getCoyoteResponse().setCharacterEncoding("ISO-8859-1");
        BodyCapture.of(response);
        answer(null).writeTo(response, false, false, NOW.toEpochMilli());
        assertEquals("text/html;charset=UTF-8", response.getCoyoteResponse().getContentType());
    }

    /** Request headers as Tomcat's HTTP/1.1 parser leaves them: names and values as bytes. */
    private static MimeHeaders requestHeaders(String... pairs) {
        MimeHeaders headers = new MimeHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            byte[] name = pairs[i].getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = pairs[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            headers.addValue(name, 0, name.length).setBytes(value, 0, value.length);
        }
        return headers;
    }

    private static String answerTo(MimeHeaders headers, String path) throws Exception {
        Response response = response();
        BodyCapture body = BodyCapture.of(response);
        answer(null).writeTo(response, headers, path, false, NOW.toEpochMilli());
        return body.toString();
    }

    @Test
    void theRequestHeadersThatDecideAreFoundAmongLookAlikes() throws Exception {
        // Same lengths as the three that decide: Cookie (Accept), Accept-Encoding (Accept-Language),
        // X-Forwarded-Host (X-Requested-With).
        String page = answerTo(requestHeaders("Cookie", "application/json", "Accept-Encoding", "de",
                "X-Forwarded-Host", "XMLHttpRequest", "ACCEPT", "text/html", "accept-language", "ja, de",
                "Accept-Language", "fr"), "/secure/Dashboard.jspa");
        assertTrue(page.contains("<html lang=\"ja\""), "the first Accept-Language, any case: " + page);
        assertTrue(answerTo(requestHeaders("Accept-Encoding", "gzip", "x-requested-with", "XMLHttpRequest"), "/")
                .startsWith("{\"errorMessages\":["));
        assertTrue(answerTo(requestHeaders("Accept", "application/json"), "/").startsWith("{\"errorMessages\":["));
        assertTrue(answerTo(requestHeaders(), "/rest/api/2/serverInfo").startsWith("{\"errorMessages\":["));
        assertTrue(answerTo(requestHeaders(), "/").contains("<html lang=\"en\""));
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
        Response response = response();
        BodyCapture body = BodyCapture.of(response);

        answer(NOW.plusSeconds(90)).writeTo(response, false, false, NOW.toEpochMilli());

        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "90");
        verify(response).setHeader("Cache-Control", "no-store");
        verify(response).setHeader("X-Content-Type-Options", "nosniff");
        assertEquals("text/html;charset=UTF-8", response.getCoyoteResponse().getContentType());
        verify(response, never()).sendError(anyInt());
        verify(response, never()).sendError(anyInt(), anyString());
        assertTrue(body.toString().contains("très bientôt"));
        verify(response).setContentLength(body.size());
        verify(response, never()).getWriter();
    }

    @Test
    void writesJsonWithTheSameRetryAfterAsTheHeader() throws Exception {
        Response response = response();
        BodyCapture body = BodyCapture.of(response);

        answer(NOW.plusSeconds(1234)).writeTo(response, true, false, NOW.toEpochMilli());

        verify(response).setHeader("Retry-After", "1234");
        assertEquals("application/json;charset=UTF-8", response.getCoyoteResponse().getContentType());
        assertTrue(body.toString().contains("\"retryAfterSeconds\":1234}"), body.toString());
        verify(response).setContentLength(body.size());
        verify(response, never()).getWriter();
        assertEquals(body.size(), body.flushedSize(), "the whole answer is flushed, so nothing after the valve changes it");
    }

    @Test
    void headGetsHeadersOnly() throws Exception {
        Response response = response();
        answer(null).writeTo(response, false, true, NOW.toEpochMilli());
        verify(response).setStatus(503);
        verify(response).setHeader("Retry-After", "300");
        verify(response, never()).getOutputStream();
        verify(response, never()).getWriter();
    }

    @Test
    void choosesThePageByAcceptLanguageAndSaysSoInTheHeaders() throws Exception {
        Response response = response();
        BodyCapture body = BodyCapture.of(response);

        answer(NOW.plusSeconds(90)).writeTo(response, false, false, NOW.toEpochMilli(), "de-CH, de;q=0.9, en;q=0.8");

        verify(response).setHeader("Vary", "Accept, Accept-Language, X-Requested-With");
        verify(response).setHeader("Content-Language", "de");
        assertTrue(body.toString().contains("<html lang=\"de\" data-retry=\"90\">"), body.toString());
        assertTrue(body.toString().contains("Wartungsarbeiten"), body.toString());
        assertTrue(body.toString().contains("Back soon – très bientôt"), "the admin's message as written");
        verify(response).setContentLength(body.size());
        verify(response, never()).getWriter();
    }

    @Test
    void jsonStaysEnglishWhateverTheLanguage() throws Exception {
        Response response = response();
        BodyCapture body = BodyCapture.of(response);
        FlagSettings settings = FlagSettings.builder().build();
        MaintenanceAnswer.render(MaintenanceState.evaluate(settings, NOW, NOW, MaintenanceState.OFF), 300)
                .writeTo(response, true, false, NOW.toEpochMilli(), "ja");
        assertTrue(body.toString().contains(DefaultMessages.defaultMessage(org.maintenancevalve.state.Mode.FULL)));
        verify(response, never()).setHeader(org.mockito.ArgumentMatchers.eq("Content-Language"), anyString());
    }

    @Test
    void templatesWinPerLanguageAndTheMainOneServesTheRest() throws Exception {
        FlagSettings settings = FlagSettings.builder().message("<b>Upgrade</b>").until(NOW.plusSeconds(600)).build();
        MaintenanceState state = MaintenanceState.evaluate(settings, NOW, NOW, MaintenanceState.OFF);
        String[] byLanguage = new String[PageLanguage.count()];
        byLanguage[PageLanguage.indexOf("fr")] = "<p lang=\"fr\">{{message}} {{retryAfter}}</p>";
        MaintenanceAnswer answer = MaintenanceAnswer.render(state, 300,
                new TemplateSet("<p>{{message}} {{retryAfter}}</p>", byLanguage));

        assertEquals("<p lang=\"fr\">&lt;b&gt;Upgrade&lt;/b&gt; 600</p>", html(answer, "fr-FR", "fr"));
        assertEquals("<p>&lt;b&gt;Upgrade&lt;/b&gt; 600</p>", html(answer, "de", null));
        assertEquals("<p>&lt;b&gt;Upgrade&lt;/b&gt; 600</p>", html(answer, null, null));
        assertSame(answer.page(0), answer.page(PageLanguage.indexOf("ja")), "one main page, rendered once");

        MaintenanceAnswer builtIn = MaintenanceAnswer.render(state, 300,
                new TemplateSet(null, byLanguage));
        assertTrue(html(builtIn, "ja", "ja").contains("<html lang=\"ja\""), "no main template: built-in page");
    }

    @Test
    void theFallbackIsTheEnglishFullPageForEveryone() throws Exception {
        MaintenanceAnswer fallback = MaintenanceAnswer.fallback(120);
        assertEquals(120, fallback.retryAfterSeconds(NOW.toEpochMilli()));
        assertTrue(fallback.templates().isEmpty());
        for (String acceptLanguage : new String[] {null, "de", "ja, fr;q=0.5"}) {
            String page = html(fallback, acceptLanguage, "en");
            assertTrue(page.contains("<html lang=\"en\""), page);
            assertTrue(page.contains(DefaultMessages.defaultMessage(org.maintenancevalve.state.Mode.FULL)), page);
        }
        Response response = response();
        BodyCapture body = BodyCapture.of(response);
        fallback.writeTo(response, true, false, NOW.toEpochMilli());
        verify(response).setHeader("Retry-After", "120");
        assertTrue(body.toString().contains("\"retryAfterSeconds\":120}"), body.toString());
    }

    private static String html(MaintenanceAnswer answer, String acceptLanguage, String contentLanguage)
            throws Exception {
        Response response = response();
        BodyCapture body = BodyCapture.of(response);
        answer.writeTo(response, false, false, NOW.toEpochMilli(), acceptLanguage);
        if (contentLanguage != null) {
            verify(response).setHeader("Content-Language", contentLanguage);
        } else {
            verify(response, never()).setHeader(org.mockito.ArgumentMatchers.eq("Content-Language"), anyString());
        }
        verify(response).setContentLength(body.size());
        verify(response, never()).getWriter();
        assertEquals(body.size(), body.flushedSize(), "the whole answer is flushed, so nothing after the valve changes it");
        return body.toString();
    }
}
