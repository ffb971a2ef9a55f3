package org.maintenancevalve.response;

import org.junit.jupiter.api.Test;
import org.maintenancevalve.state.Mode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTemplateTest {

    private static final Instant SINCE = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-11-24T12:30:00Z");
    private static final int EN = PageLanguage.ENGLISH;
    private static final int DE = PageLanguage.indexOf("de");

    @Test
    void everyPlaceholderIsFilledIn() {
        String template = "<p>{{message}}</p><p>{{until}}</p><time datetime=\"{{untilIso}}\"></time>"
                + "<i>{{since}}|{{sinceIso}}</i><b data-retry=\"{{retryAfter}}\">{{mode}}</b><html lang=\"{{lang}}\">";
        PageBody body = PageTemplate.render(template, EN, Mode.FULL, "Upgrade", SINCE, UNTIL);
        assertEquals(1, body.slots());
        assertEquals("<p>Upgrade</p><p>Tuesday 24 November 2026, 12:30 UTC</p>"
                + "<time datetime=\"2026-11-24T12:30:00Z\"></time>"
                + "<i>Tuesday 24 November 2026, 10:00 UTC|2026-11-24T10:00:00Z</i>"
                + "<b data-retry=\"77\">full</b><html lang=\"en\">", body.withRetryAfter(77));
    }

    @Test
    void valuesAreEscapedForHtml() {
        String hostile = "<script>alert('x')</script> & \"quoted\"\r\nSecond line\rThird";
        PageBody body = PageTemplate.render("<p title=\"{{message}}\">{{message}}</p>", EN, Mode.FULL, hostile,
                null, null);
        String page = body.withRetryAfter(1);
        assertFalse(page.contains("<script>"), page);
        assertFalse(page.contains("\r"), "CR is normalised to LF");
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;\nSecond line\nThird";
        assertEquals("<p title=\"" + escaped + "\">" + escaped + "</p>", page);
    }

    @Test
    void retryAfterMayAppearSeveralTimesAndTheLengthIsExact() {
        PageBody body = PageTemplate.render("a{{retryAfter}}b{{ retryAfter }}c – ü", EN, Mode.FULL, null, null, null);
        assertEquals(2, body.slots());
        String page = body.withRetryAfter(1234);
        assertEquals("a1234b1234c – ü", page);
        assertEquals(page.getBytes(StandardCharsets.UTF_8).length, body.length("1234"));
    }

    @Test
    void withoutAnEndTheEndPlaceholdersAreEmptyAndTheDefaultMessageFollowsTheLanguage() {
        String page = PageTemplate.render("[{{until}}][{{untilIso}}][{{message}}][{{mode}}]", DE, Mode.READ_ONLY,
                null, null, null).withRetryAfter(5);
        assertEquals("[][][" + PageSentences.of(DE).defaultMessage(Mode.READ_ONLY) + "][read-only]", page);
    }

    @Test
    void theEndIsWrittenInTheTemplatesLanguage() {
        String page = PageTemplate.render("{{until}}", DE, Mode.FULL, null, null, UNTIL).withRetryAfter(5);
        assertEquals("Dienstag, 24. November 2026, 12:30 UTC", page);
    }

    @Test
    void unknownOrUnclosedPlaceholdersAreLeftAsWritten() {
        assertEquals("{{nope}} {{ x full {{", render("{{nope}} {{ x {{mode}} {{"));
        assertEquals("{{message", render("{{message"));
        assertEquals("{x}} {{}}", render("{x}} {{}}"));
        assertEquals("{{m}}", render("{{{{message}}}}"));
        assertEquals("{{x}}m{{}}full", render("{{x}}{{message}}{{}}{{mode}}"));
    }

    @Test
    void upToThirtyTwoCharactersBetweenTheBracesAreLookedAt() {
        String pad = " ".repeat(12);
        String longest = "{{" + pad + "message" + pad + " }}";
        String tooLong = "{{" + pad + "message" + pad + "  }}";
        assertEquals("<p>m</p>", render("<p>" + longest + "</p>"));
        assertEquals("<p>" + tooLong + "</p>", render("<p>" + tooLong + "</p>"));
        // The safety check looks at exactly what is filled in.
        assertNotNull(PlaceholderSafety.unsafePlaceholder("<a href=\"" + longest + "\">x</a>"));
        assertNull(PlaceholderSafety.unsafePlaceholder("<a href=\"" + tooLong + "\">x</a>"));
    }

    private static String render(String template) {
        return PageTemplate.render(template, EN, Mode.FULL, "m", null, null).withRetryAfter(1);
    }

    @Test
    void aTemplateWithoutPlaceholdersIsServedAsItIs() {
        PageBody body = PageTemplate.render("<h1>Closed</h1>", EN, Mode.FULL, "m", null, null);
        assertEquals(0, body.slots());
        assertEquals("<h1>Closed</h1>", body.withRetryAfter(9));
    }

    @Test
    void theShippedExampleUsesEveryPlaceholder() throws Exception {
        String example = new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Paths.get("install", "maintenance.html.example")), StandardCharsets.UTF_8);
        for (String name : new String[] {"message", "until", "untilIso", "since", "retryAfter", "mode"}) {
            assertTrue(example.contains("{{" + name + "}}"), name);
        }
        PageBody body = PageTemplate.render(example, EN, Mode.FULL, "Back <soon>", SINCE, UNTIL);
        String page = body.withRetryAfter(120);
        assertFalse(page.contains("{{"), "every placeholder is filled in");
        assertTrue(page.contains("<p id=\"message\">Back &lt;soon&gt;</p>"), page);
        assertTrue(page.contains("data-retry=\"120\" data-until=\"2026-11-24T12:30:00Z\""), page);
        assertTrue(page.contains("<body class=\"full\">"), page);
        assertFalse(page.contains("src=") || page.contains("<link"), "self-contained");
    }
}
