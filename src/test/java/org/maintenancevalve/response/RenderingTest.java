package org.maintenancevalve.response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.Mode;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderingTest {

    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"\r\nSet-Cookie: evil=1";
    private static final Instant SINCE = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-11-24T12:30:00Z");

    @Test
    void htmlEscapesEveryMarkupCharacter() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;", Html.escape("<a href=\"x\" title='y'>&"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void thePageShowsTheMessageEscapedAndTheExpectedEnd() {
        String page = HtmlPage.render(Mode.FULL, HOSTILE, SINCE, UNTIL, PageLanguage.ENGLISH).withRetryAfter(300);
        assertFalse(page.contains("<script>alert"), page);
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"), page);
        assertTrue(page.contains("datetime=\"2026-11-24T12:30:00Z\""), page);
        assertTrue(page.contains("12:30 UTC"), page);
        assertTrue(page.contains("<html lang=\"en\""));
        assertTrue(page.contains("noindex"));
    }

    @Test
    void thePageIsSelfContained() {
        String page = HtmlPage.render(Mode.FULL, null, SINCE, null, PageLanguage.ENGLISH).withRetryAfter(300);
        assertFalse(page.contains("src="), "no external scripts or images");
        assertFalse(page.contains("stylesheet"), "no external stylesheets");
        assertFalse(page.contains("url("), "no external resources from CSS");
        assertTrue(page.contains(DefaultMessages.defaultMessage(Mode.FULL)));
        assertFalse(page.contains("Expected back"), "no end announced");
    }

    @Test
    void readOnlyHasItsOwnDefaultText() {
        assertTrue(HtmlPage.render(Mode.READ_ONLY, null, SINCE, null, PageLanguage.ENGLISH).withRetryAfter(300)
                .contains(DefaultMessages.defaultMessage(Mode.READ_ONLY)));
    }

    @Test
    void jsonHasJiraShapeAndEscapesTheMessage() throws Exception {
        JsonBody body = JsonBody.render(Mode.READ_ONLY, HOSTILE, SINCE, UNTIL);
        String text = body.withRetryAfter(42);
        assertFalse(text.contains("<"), "markup characters are escaped even in JSON: " + text);
        assertFalse(text.contains("\r") || text.contains("\n"), text);
        JsonNode json = new ObjectMapper().readTree(text);
        // Read-only: what was refused comes first (issue 12), the admin's message second.
        assertTrue(json.get("errorMessages").get(0).asText().startsWith("Your change was not saved"));
        assertEquals(HOSTILE, json.get("errorMessages").get(1).asText());
        assertTrue(json.get("errors").isObject());
        assertEquals(0, json.get("errors").size());
        JsonNode maintenance = json.get("maintenance");
        assertEquals("read-only", maintenance.get("mode").asText());
        assertEquals("2026-11-24T10:00:00Z", maintenance.get("since").asText());
        assertEquals("2026-11-24T12:30:00Z", maintenance.get("until").asText());
        assertEquals(42, maintenance.get("retryAfterSeconds").asInt());
    }

    @Test
    void aRefusedChangeInReadOnlyModeIsToldItWasNotSavedAndUntilWhen() throws Exception {
        JsonNode withEnd = new ObjectMapper().readTree(JsonBody.render(Mode.READ_ONLY, null, SINCE, UNTIL)
                .withRetryAfter(60));
        assertEquals(1, withEnd.get("errorMessages").size(), "no admin message: the refusal alone");
        assertEquals("Your change was not saved: this site is read-only during maintenance until Tuesday"
                + " 24 November 2026, 12:30 UTC. You can keep browsing; please try again after that.",
                withEnd.get("errorMessages").get(0).asText());
        assertEquals("read-only", withEnd.get("maintenance").get("mode").asText());
        JsonNode noEnd = new ObjectMapper().readTree(JsonBody.render(Mode.READ_ONLY, null, SINCE, null)
                .withRetryAfter(60));
        String refusal = noEnd.get("errorMessages").get(0).asText();
        assertTrue(refusal.startsWith("Your change was not saved: this site is read-only"), refusal);
        assertFalse(refusal.contains("until"), refusal);
        JsonNode full = new ObjectMapper().readTree(JsonBody.render(Mode.FULL, null, SINCE, UNTIL).withRetryAfter(60));
        assertEquals(DefaultMessages.defaultMessage(Mode.FULL), full.get("errorMessages").get(0).asText(),
                "full mode is not told about read-only");
    }

    @Test
    void jsonWithoutEndHasNullUntil() throws Exception {
        JsonNode json = new ObjectMapper().readTree(JsonBody.render(Mode.FULL, null, SINCE, null).withRetryAfter(300));
        assertTrue(json.get("maintenance").get("until").isNull());
        assertEquals(DefaultMessages.defaultMessage(Mode.FULL), json.get("errorMessages").get(0).asText());
    }

    @Test
    void contentNegotiation() {
        assertTrue(ContentNegotiation.wantsJson("application/json", null, "/"));
        assertTrue(ContentNegotiation.wantsJson("application/json, text/plain, */*", null, "/"));
        assertTrue(ContentNegotiation.wantsJson((String) null, "XMLHttpRequest", "/secure/Dashboard.jspa"));
        assertTrue(ContentNegotiation.wantsJson((String) null, null, "/rest/api/2/issue/ABC-1"));
        assertTrue(ContentNegotiation.wantsJson("text/html", null, "/rest/api/2/issue/ABC-1"));
        assertFalse(ContentNegotiation.wantsJson(
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", null, "/"));
        assertFalse(ContentNegotiation.wantsJson("text/html, application/json", null, "/"));
        assertFalse(ContentNegotiation.wantsJson((String) null, null, "/restaurant"));
        assertFalse(ContentNegotiation.wantsJson((String) null, null, "/"));
        assertFalse(ContentNegotiation.wantsJson("*/*", null, "/secure/Dashboard.jspa"));
    }
}
