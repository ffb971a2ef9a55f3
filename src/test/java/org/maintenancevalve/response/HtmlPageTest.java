package org.maintenancevalve.response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.maintenancevalve.state.Mode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlPageTest {

    private static final Instant SINCE = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-11-24T12:30:00Z");
    private static final String TYPICAL = "Jira is being upgraded to version 10.3. Please save your work elsewhere;"
            + " we expect to be back within the hour.\nQuestions: the IT service desk, extension 4242.";

    private static String page(Mode mode, String message, int language) {
        return HtmlPage.render(mode, message, SINCE, UNTIL, language).withRetryAfter(300);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyLanguageStaysUnder8KiB(Mode mode) {
        for (int language = 0; language < PageLanguage.count(); language++) {
            for (String message : new String[] {null, TYPICAL}) {
                int bytes = page(mode, message, language).getBytes(StandardCharsets.UTF_8).length;
                assertTrue(bytes < 8 * 1024, PageLanguage.code(language) + " " + mode + ": " + bytes + " bytes");
            }
        }
    }

    @Test
    void everyLanguageHasItsOwnTextsAndLangAttribute() {
        Set<String> titles = new HashSet<>();
        Set<String> autoLines = new HashSet<>();
        for (int language = 0; language < PageLanguage.count(); language++) {
            PageSentences texts = PageSentences.of(language);
            String page = page(Mode.FULL, null, language);
            assertTrue(page.contains("<html lang=\"" + texts.code() + "\""), page);
            assertTrue(page.contains("<h1>" + Html.escape(texts.title(Mode.FULL)) + "</h1>"), page);
            assertTrue(page.contains(Html.escape(texts.defaultMessage(Mode.FULL))), page);
            assertTrue(page.contains(Html.escape(texts.autoReturn)), page);
            assertTrue(page.contains(Html.escape(texts.expectedBack)), page);
            assertTrue(page.contains(Html.escape(texts.utc(UNTIL))), page);
            assertTrue(texts.about.contains("{0}"), texts.about);
            titles.add(texts.title(Mode.FULL));
            autoLines.add(texts.autoReturn);
        }
        assertEquals(PageLanguage.count(), titles.size(), "no language reuses another's title");
        assertEquals(PageLanguage.count(), autoLines.size());
        assertTrue(page(Mode.FULL, null, PageLanguage.indexOf("de")).contains("Dienstag, 24. November 2026, 12:30 UTC"));
        assertTrue(page(Mode.FULL, null, PageLanguage.indexOf("ja")).contains("2026年11月24日"));
    }

    @Test
    void theAdminsMessageIsShownAsWrittenInEveryLanguage() {
        for (int language = 0; language < PageLanguage.count(); language++) {
            String page = page(Mode.FULL, "Back at 3 pm – Zurück um 15 Uhr", language);
            assertTrue(page.contains("<p id=\"message\">Back at 3 pm – Zurück um 15 Uhr</p>"), page);
        }
    }

    @Test
    void readOnlyShowsTheReadOnlyNoticeAndNoAutomaticReturn() {
        for (int language = 0; language < PageLanguage.count(); language++) {
            PageSentences texts = PageSentences.of(language);
            String page = page(Mode.READ_ONLY, "Migration to Data Center", language);
            assertTrue(page.contains("<h1>" + Html.escape(texts.title(Mode.READ_ONLY)) + "</h1>"), page);
            assertTrue(page.contains("class=\"notice\">" + Html.escape(texts.readOnlyNotice)), page);
            assertTrue(page.contains(Html.escape(texts.notSaved) + "</p>"), page);
            assertTrue(page.contains("id=\"back\""), "a way back to where they were browsing");
            assertFalse(page.contains("id=\"auto\""), "a blocked change is not retried by reloading");
            String defaults = page(Mode.READ_ONLY, null, language);
            assertTrue(defaults.contains(Html.escape(texts.defaultMessage(Mode.READ_ONLY))), defaults);
            assertTrue(defaults.contains("class=\"notice\">" + Html.escape(texts.notSaved)),
                    "the default message already says 'you can browse': " + defaults);
        }
        assertTrue(page(Mode.READ_ONLY, "Migration", PageLanguage.ENGLISH)
                .contains("You can browse, changes are paused. What you just sent was not saved"));
        assertTrue(page(Mode.READ_ONLY, null, PageLanguage.ENGLISH).contains("you can browse, but changes are paused"));
        assertTrue(page(Mode.FULL, null, PageLanguage.ENGLISH).contains("id=\"auto\""));
        assertFalse(page(Mode.FULL, null, PageLanguage.ENGLISH).contains("class=\"notice\""));
    }

    @Test
    void accessibleAndSelfContained() {
        String page = page(Mode.FULL, null, PageLanguage.ENGLISH);
        assertTrue(page.contains("<main"), "a main landmark");
        assertTrue(page.contains("role=\"status\""), "the countdown is a live status");
        assertTrue(page.contains("<meta name=\"robots\" content=\"noindex\">"));
        assertTrue(page.contains("<meta name=\"viewport\""));
        assertTrue(page.contains("prefers-color-scheme:dark"));
        assertTrue(page.contains("prefers-reduced-motion"));
        assertFalse(page.contains("src="), "no external scripts or images");
        assertTrue(page.contains("<link rel=\"icon\" href=\"data:image/svg+xml,"), "an inline favicon");
        String withoutFavicon = page.replace("<link rel=\"icon\" href=\"" + HtmlPage.FAVICON + "\">", "");
        assertFalse(withoutFavicon.contains("href="), "no links to load");
        assertFalse(page.contains("url("), "no external resources from CSS");
        assertFalse(page.contains("@import"));
        assertFalse(withoutFavicon.contains("http:") || page.contains("https:"), "no absolute URLs");
    }

    @Test
    void theRetryAfterSlotCarriesTheHeaderValueAndTimesAreMachineReadable() {
        PageBody body = HtmlPage.render(Mode.FULL, null, SINCE, UNTIL, PageLanguage.ENGLISH);
        assertEquals(1, body.slots());
        String page = body.withRetryAfter(42);
        assertTrue(page.contains("data-retry=\"42\""), page);
        assertTrue(page.contains("<time id=\"until\" datetime=\"2026-11-24T12:30:00Z\">"), page);
        assertTrue(page.contains("<time id=\"since\" datetime=\"2026-11-24T10:00:00Z\">"), page);
        assertEquals(page.getBytes(StandardCharsets.UTF_8).length, body.length("42"));
    }

    @Test
    void thePagesOfAllLanguagesShareTheirStyleAndScript() {
        // Six languages are held at once while maintenance is on: what they have in common is
        // one array, not six copies (the style and the script are most of a page).
        for (int language = 0; language < PageLanguage.count(); language++) {
            PageBody body = HtmlPage.render(Mode.FULL, "Back soon", SINCE, UNTIL, language);
            int length = body.length("300");
            assertTrue(length > 5000, "a whole page: " + length);
            assertTrue(body.ownBytes() < 1500, PageLanguage.code(language) + " holds " + body.ownBytes()
                    + " bytes of its own of " + length);
            assertTrue(body.ownBytes() > "Back soon".length(), "its own texts are counted: " + body.ownBytes());
        }
    }

    @Test
    void theTitleIsInTheHead() {
        for (int language = 0; language < PageLanguage.count(); language++) {
            String page = page(Mode.FULL, null, language);
            int title = page.indexOf("<title>");
            assertTrue(title > page.indexOf("<head>") && page.indexOf("</title>") < page.indexOf("</head>"), page);
        }
    }

    @Test
    void withoutAnEndThereIsNoCountdown() {
        String page = HtmlPage.render(Mode.FULL, null, SINCE, null, PageLanguage.ENGLISH).withRetryAfter(300);
        assertFalse(page.contains("id=\"until\""));
        assertFalse(page.contains("role=\"status\""));
        assertTrue(page.contains("id=\"since\""));
        String bare = HtmlPage.render(Mode.FULL, null, null, null, PageLanguage.ENGLISH).withRetryAfter(300);
        assertFalse(bare.contains("<dl>"));
    }

    @Test
    void messageLineBreaksAreNormalisedAndControlCharactersDropped() {
        String page = page(Mode.FULL, "line one\r\nline two\rline three\u0000\u0007 end", PageLanguage.ENGLISH);
        assertTrue(page.contains(">line one\nline two\nline three end</p>"), page);
        assertFalse(page.contains("\r"));
    }
}
