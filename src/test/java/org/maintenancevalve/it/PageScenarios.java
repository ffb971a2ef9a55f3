package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The maintenance page on one real Tomcat: languages from {@code Accept-Language}, the admin's
 * templates (missing, used, per language, changed while maintenance is on), and the built-in page
 * in headless Chromium: screenshots (phone and desktop, light and dark), the message in the DOM
 * as text, the German page, and an open tab that returns to its URL by itself when the flag goes.
 * <p>
 * The browser tests are skipped with a message when no Chromium is installed, except under
 * {@code CI=true}, where a missing browser fails them.
 */
@Isolated // it drives a browser, which takes the CPU: alone, not beside another class
abstract class PageScenarios extends TomcatScenarios {

    /**
     * Generous: these tests are about the page, not about how fast the flag is seen (CoreScenarios
     * measures that), and a shared 2-core CI machine can be slow.
     */
    static final Duration TOGGLE_DEADLINE = Duration.ofSeconds(15);
    /** The page waits Retry-After (at least 10 s) plus up to 20 % jitter before it looks again. */
    static final Duration RETURN_DEADLINE = Duration.ofSeconds(45);
    static final String MESSAGE = "We are upgrading Jira to version 10.3. Please save your work elsewhere"
            + " in the meantime.";
    static final String HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
            + " & \"quotes\" 'too'";
    static final String TIME_ZONE = "Europe/Berlin";

    private final boolean screenshots;
    private Path template;
    private Chromium browser;

    /**
     * @param screenshots whether this Tomcat line saves the screenshots (one line is enough)
     */
    PageScenarios(String version, boolean screenshots) {
        super(version);
        this.screenshots = screenshots;
    }

    @BeforeAll
    void startTomcat() throws IOException {
        // retryAfter=1: the page's own floor of 10 s applies, which keeps the return test short.
        startTomcat("page", "page-flags", POLL_MILLIS, "retryAfter=\"1\" template=\"conf/maintenance.html\"",
                builder -> builder);
        template = tomcat.baseDir().resolve("conf").resolve("maintenance.html");
        // Compile the sample app's JSP once, so no test waits for Jasper.
        Await.until(Duration.ofSeconds(60), "echo.jsp answers", () -> get("/echo.jsp").status() == 200);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void cleanUp() throws IOException {
        Files.deleteIfExists(flag);
        try (var files = Files.list(template.getParent())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().startsWith("maintenance.")) {
                    Files.delete(p);
                }
            }
        }
        Await.until(TOGGLE_DEADLINE, "maintenance off after the test", () -> get("/").status() == 200);
    }

    // ------------------------------------------------------------------ languages (HTTP)

    @Test
    void theLanguageFollowsAcceptLanguageWithEnglishAsFallback() throws IOException {
        writeFlag("full", null, Instant.now().plus(40, ChronoUnit.MINUTES));
        awaitBlocked();
        assertLanguage("de-DE,de;q=0.9,en;q=0.8", "de", "Wartungsarbeiten");
        assertLanguage("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5", "fr", "Maintenance en cours");
        assertLanguage("es-419,es;q=0.9", "es", "En mantenimiento");
        assertLanguage("ja,en-US;q=0.7", "ja", "メンテナンス中です");
        assertLanguage("pt-BR", "pt", "Em manutenção");
        assertLanguage("en;q=0.2, de;q=0.8", "de", "Wartungsarbeiten");
        assertLanguage("de;q=0, en;q=0.1", "en", "Down for maintenance");
        assertLanguage("zh-CN", "en", "Down for maintenance");
        assertLanguage(null, "en", "Down for maintenance");

        Http.Response page = get("/", "Accept", BROWSER_ACCEPT, "Accept-Language", "de");
        assertTrue(page.header("vary").contains("Accept-Language"), page.header("vary"));
        assertTrue(page.body().contains("data-retry=\"" + page.header("retry-after") + "\""),
                "the page's re-check delay is the Retry-After of this very response");
        // REST clients keep the English JSON.
        JsonNode json = JSON.readTree(get("/rest/api/2/serverInfo", "Accept-Language", "de").body());
        assertTrue(json.get("errorMessages").get(0).asText().contains("planned maintenance"), json.toString());
    }

    private void assertLanguage(String acceptLanguage, String code, String heading) {
        Http.Response page = acceptLanguage == null ? get("/", "Accept", BROWSER_ACCEPT)
                : get("/", "Accept", BROWSER_ACCEPT, "Accept-Language", acceptLanguage);
        assertEquals(503, page.status());
        assertEquals(code, page.header("content-language"), acceptLanguage);
        assertTrue(page.body().contains("<html lang=\"" + code + "\""), acceptLanguage + ": " + page.body());
        assertTrue(page.body().contains("<h1>" + heading + "</h1>"), acceptLanguage + ": " + page.body());
    }

    // ------------------------------------------------------------------ templates (HTTP)

    @Test
    void aMissingTemplateIsWarnedAndTheBuiltInPageServed() throws IOException {
        // The valve started with template="conf/maintenance.html" and no such file.
        tomcat.waitForLog("WARN.*Maintenance page template " + Pattern.quote(template.toString())
                + " does not exist; serving the built-in page", Duration.ofSeconds(5));
        writeFlag("full", MESSAGE, null);
        Http.Response page = awaitBlocked();
        assertTrue(page.body().contains("<h1>Down for maintenance</h1>"), page.body());
        assertTrue(page.body().contains(MESSAGE));
    }

    @Test
    void theAdminsTemplateIsFilledInAndChangesArePickedUpWithoutARestart() throws IOException {
        Instant until = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        writeFlag("full", HOSTILE, until);
        awaitBlocked();
        write(template, "<!DOCTYPE html><title>ACME</title><p id=m>{{message}}</p><p>{{until}}|{{untilIso}}|"
                + "{{mode}}|{{retryAfter}}</p>");
        Http.Response page = Await.until(TOGGLE_DEADLINE, "the template is served while maintenance is on",
                () -> get("/", "Accept", BROWSER_ACCEPT), r -> r.body().contains("<title>ACME</title>"));
        assertEquals(503, page.status());
        String retryAfter = page.header("retry-after");
        assertTrue(page.body().contains("<p id=m>&lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x onerror="
                + "&quot;window.__pwned=2&quot;&gt; &amp; &quot;quotes&quot; &#39;too&#39;</p>"), page.body());
        assertTrue(page.body().contains("UTC|" + until + "|full|" + retryAfter + "</p>"), page.body());
        assertEquals(page.body().getBytes(StandardCharsets.UTF_8).length,
                Integer.parseInt(page.header("content-length")));
        assertEquals(null, page.header("content-language"), "the main template's language is the admin's");
        tomcat.waitForLog("INFO.*Maintenance page template " + Pattern.quote(template.toString()) + " is in use",
                Duration.ofSeconds(5));

        Path german = template.resolveSibling("maintenance.de.html");
        write(german, "<title>ACME DE</title>{{message}} {{until}}");
        Http.Response de = Await.until(TOGGLE_DEADLINE, "the German template wins for German visitors",
                () -> get("/", "Accept", BROWSER_ACCEPT, "Accept-Language", "de-AT, en;q=0.5"),
                r -> r.body().contains("ACME DE"));
        assertEquals("de", de.header("content-language"));
        assertTrue(de.body().contains(" UTC"), de.body());
        assertTrue(get("/", "Accept", BROWSER_ACCEPT, "Accept-Language", "fr").body().contains("<title>ACME</title>"),
                "other languages get the main template");

        write(template, "<title>ACME v2</title>{{message}}");
        Files.setLastModifiedTime(template, FileTime.from(Instant.now().plusSeconds(2)));
        Await.until(TOGGLE_DEADLINE, "a changed template is picked up",
                () -> get("/", "Accept", BROWSER_ACCEPT).body().contains("ACME v2"));

        Files.delete(template);
        Files.delete(german);
        Http.Response builtIn = Await.until(TOGGLE_DEADLINE, "the built-in page once the template is gone",
                () -> get("/", "Accept", BROWSER_ACCEPT), r -> r.body().contains("<h1>Down for maintenance</h1>"));
        assertEquals(503, builtIn.status());
        assertEquals(2, CoreScenarios.count(tomcat.log(), template + " does not exist"),
                "one WARN at start and one when it was removed, not one per poll");
    }

    @Test
    void readOnlyModeShowsTheReadOnlyNoticeToABlockedChange() throws IOException {
        writeFlag("read-only", null, null);
        Http.Response post = Await.until(TOGGLE_DEADLINE, "a POST is blocked in read-only mode",
                () -> Http.requestWithBody("POST", tomcat.httpPort(), "/echo.jsp", "a=1", "Accept", BROWSER_ACCEPT,
                        "Content-Type", "application/x-www-form-urlencoded", "Accept-Language", "es"),
                r -> r.status() == 503);
        assertTrue(post.body().contains("<h1>Solo lectura durante el mantenimiento</h1>"), post.body());
        assertTrue(post.body().contains("class=\"notice\">Lo que acaba de enviar no se ha guardado"), post.body());
        assertEquals(200, get("/echo.jsp").status(), "reading goes on");
    }

    // ------------------------------------------------------------------ in a real browser

    @Test
    void screenshotsOnPhoneAndDesktopInLightAndDark() throws Exception {
        Chromium chromium = browser();
        writeFlag("full", MESSAGE, Instant.now().plus(40, ChronoUnit.MINUTES).plusSeconds(20));
        awaitBlocked();
        String backgroundLight = null;
        for (int[] size : new int[][] {{390, 844}, {1440, 900}}) {
            for (boolean dark : new boolean[] {false, true}) {
                try (Chromium.Page page = chromium.newPage(size[0], size[1], dark, "en-US,en;q=0.9", TIME_ZONE)) {
                    page.navigate(url("/secure/Dashboard.jspa"));
                    awaitScriptDone(page);
                    assertEquals("Down for maintenance", page.evaluate("document.querySelector('h1').textContent").asText());
                    assertEquals(MESSAGE, page.evaluate("document.getElementById('message').textContent").asText());
                    String eta = page.evaluate("document.getElementById('eta').textContent").asText();
                    assertEquals("in about 40 minutes", eta, "40 min 20 s, in steps of 5 minutes");
                    String until = page.evaluate("document.getElementById('until').textContent").asText();
                    assertTrue(until.matches(".*\\d:\\d\\d.*") && !until.contains("UTC"),
                            "the end in the visitor's time zone (" + TIME_ZONE + "): " + until);
                    assertTrue(page.evaluate("document.getElementById('until').title").asText().endsWith("UTC"));
                    assertFalse(page.evaluate("document.getElementById('auto').hidden").asBoolean(),
                            "the line that says it comes back by itself");
                    assertTrue(page.evaluate("document.documentElement.scrollWidth <= innerWidth").asBoolean(),
                            "no horizontal scrolling at " + size[0] + " px");
                    assertEquals(0, page.evaluate("performance.getEntriesByType('resource')"
                            + ".filter(function(r){return r.initiatorType!=='fetch'}).length").asInt(),
                            "no requests for styles, scripts, fonts, images or the favicon: " + page.evaluate(
                                    "JSON.stringify(performance.getEntriesByType('resource')"
                                    + ".map(function(r){return r.initiatorType+' '+r.name}))").asText());
                    String background = page.evaluate("getComputedStyle(document.body).backgroundColor").asText();
                    if (!dark) {
                        backgroundLight = background;
                    } else {
                        assertNotEquals(backgroundLight, background, "dark mode has its own colours");
                    }
                    if (screenshots) {
                        page.screenshot(Chromium.screenshot("page-" + size[0] + "x" + size[1] + "-" + (dark ? "dark" : "light")));
                    }
                }
            }
        }
    }

    @Test
    void aMessageWithMarkupIsShownAsTextAndRunsNothing() throws Exception {
        Chromium chromium = browser();
        writeFlag("full", HOSTILE, null);
        awaitBlocked();
        try (Chromium.Page page = chromium.newPage(1024, 768, false, "en", TIME_ZONE)) {
            page.navigate(url("/"));
            awaitScriptDone(page);
            assertEquals(HOSTILE, page.evaluate("document.getElementById('message').textContent").asText());
            assertEquals("undefined", page.evaluate("typeof window.__pwned").asText(), "nothing ran");
            assertEquals(1, page.evaluate("document.scripts.length").asInt(), "only the page's own script");
            assertEquals(0, page.evaluate("document.images.length").asInt());
            assertEquals(0, page.evaluate("document.getElementById('message').children.length").asInt());
        }
    }

    @Test
    void theGermanAcceptLanguageGivesTheGermanPage() throws Exception {
        Chromium chromium = browser();
        writeFlag("full", null, Instant.now().plus(90, ChronoUnit.MINUTES));
        awaitBlocked();
        try (Chromium.Page page = chromium.newPage(390, 844, false, "de-DE,de;q=0.9,en;q=0.8", TIME_ZONE)) {
            page.navigate(url("/"));
            awaitScriptDone(page);
            assertEquals("de", page.evaluate("document.documentElement.lang").asText());
            assertEquals("Wartungsarbeiten", page.evaluate("document.querySelector('h1').textContent").asText());
            assertTrue(page.evaluate("document.getElementById('message').textContent").asText()
                    .startsWith("Diese Seite ist wegen geplanter Wartungsarbeiten nicht erreichbar"));
            String eta = page.evaluate("document.getElementById('eta').textContent").asText();
            assertEquals("in etwa 1,5 Stunden", eta, "90 minutes, in steps of half an hour, German numbers");
            if (screenshots) {
                page.screenshot(Chromium.screenshot("page-de-390x844-light"));
            }
        }
    }

    @Test
    void readOnlyNoticeInTheBrowserWithAWayBack() throws Exception {
        Chromium chromium = browser();
        writeFlag("read-only", "Jira moves to the new data centre tonight.", Instant.now().plus(3, ChronoUnit.HOURS));
        Await.until(TOGGLE_DEADLINE, "read-only mode", () -> Http.requestWithBody("POST", tomcat.httpPort(),
                "/echo.jsp", "a=1").status() == 503);
        try (Chromium.Page page = chromium.newPage(1440, 900, false, "en", TIME_ZONE)) {
            page.navigate(url("/index.html"));
            assertEquals("SAMPLE-APP", page.evaluate("document.title").asText(), "reading passes");
            page.evaluate("(function(){var f=document.createElement('form');f.method='post';f.action='/echo.jsp';"
                    + "var i=document.createElement('input');i.name='summary';i.value='x';f.appendChild(i);"
                    + "document.body.appendChild(f);f.submit();return true})()");
            Await.until(Duration.ofSeconds(10), "the read-only page after a POST", () -> "Read-only during maintenance"
                    .equals(page.evaluate("document.querySelector('h1') && document.querySelector('h1').textContent")
                            .asText()));
            awaitScriptDone(page);
            assertTrue(page.evaluate("document.querySelector('.notice').textContent").asText()
                    .startsWith("You can browse, changes are paused."));
            assertFalse(page.evaluate("document.getElementById('back').hidden").asBoolean(), "a way back");
            if (screenshots) {
                page.screenshot(Chromium.screenshot("page-read-only-1440x900-light"));
            }
            page.evaluate("document.getElementById('back').click()");
            Await.until(Duration.ofSeconds(10), "back where the visitor was browsing",
                    () -> page.evaluate("location.pathname + ' ' + document.title").asText()
                            .equals("/index.html SAMPLE-APP"));
        }
    }

    @Test
    void anOpenPageReturnsToItsUrlByItselfWhenMaintenanceEnds() throws Exception {
        Chromium chromium = browser();
        writeFlag("full", MESSAGE, null);
        awaitBlocked();
        String original = url("/echo.jsp?tab=open&issue=ABC-1");
        try (Chromium.Page page = chromium.newPage(1024, 768, false, "en", TIME_ZONE)) {
            page.navigate(original);
            awaitScriptDone(page);
            assertEquals("Down for maintenance", page.evaluate("document.querySelector('h1').textContent").asText());
            assertEquals("1", page.evaluate("document.documentElement.dataset.retry").asText(),
                    "Retry-After 1 s; the page waits at least 10 s anyway");

            Files.delete(flag);
            long removed = System.nanoTime();
            Await.until(TOGGLE_DEADLINE, "the valve lets requests through", () -> get("/").status() == 200);
            String landed = Await.until(RETURN_DEADLINE, "the open page returns to " + original + " by itself",
                    () -> page.evaluate("location.href + ' ' + document.body.innerText").asText(),
                    s -> s.contains("SAMPLE-APP"));
            long seconds = Duration.ofNanos(System.nanoTime() - removed).toSeconds();
            assertTrue(landed.startsWith(original + " "), landed);
            assertTrue(landed.contains("method=GET path=/echo.jsp query=tab=open&issue=ABC-1"), landed);
            System.out.println("[PageScenarios] Tomcat " + version + ": the open page came back " + seconds
                    + " s after the flag was removed");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The browser, started once; skips (or fails under CI=true) when there is none. */
    private Chromium browser() {
        if (browser == null) {
            browser = Chromium.launchOrSkip("the browser tests of the maintenance page");
        }
        return browser;
    }

    /** Waits for the page's script: local times shown, countdown filled in, fonts ready. */
    private static void awaitScriptDone(Chromium.Page page) {
        Await.until(Duration.ofSeconds(10), "the page's script has run", () -> page.evaluate(
                "(function(){var e=document.getElementById('eta'),a=document.getElementById('auto'),"
                        + "b=document.getElementById('back');"
                        + "return (!e||e.textContent.length>0)&&(!a||!a.hidden)&&(!b||!b.hidden)})()").asBoolean());
        page.evaluate("document.fonts.ready.then(function(){return true})");
    }

    private Http.Response awaitBlocked() {
        return Await.until(TOGGLE_DEADLINE, "maintenance on", () -> get("/", "Accept", BROWSER_ACCEPT),
                r -> r.status() == 503);
    }

    private void writeFlag(String mode, String message, Instant until) throws IOException {
        ObjectNode content = JSON.createObjectNode().put("mode", mode);
        if (message != null) {
            content.put("message", message);
        }
        if (until != null) {
            content.put("until", until.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        write(flag, content.toString());
    }

    private static void write(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temp, text.getBytes(StandardCharsets.UTF_8));
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
