package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code banner.js} in headless Chromium, in a page of the sample app ({@code banner.jsp}: the tag
 * as an admin adds it to Jira's announcement banner, under a {@code Content-Security-Policy} of
 * {@code script-src 'self'; style-src 'self'}), for each phase: scheduled (message, local start
 * time, countdown), read-only, an admin inside, a window starting while the page is open, overdue,
 * off (no bar, nothing in the console, and the bar leaving by itself), German, a hostile message,
 * a page on a Tomcat without the valve; the pace of polling (base, hidden, before a start, back-off);
 * dismissing. Screenshots of each under {@code target/screenshots/banner-*.png}.
 * <p>
 * Skipped with a message when no Chromium is installed, except under {@code CI=true}.
 */
@Isolated // it drives a browser, which takes the CPU: alone, not beside another class
abstract class BannerPageScenarios extends TomcatScenarios {

    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final String TIME_ZONE = "Europe/Berlin";
    static final String MESSAGE = "Jira is being backed up and upgraded to 10.3. Please save your work before it starts.";
    static final String HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">"
            + " & \"quotes\" 'too'";
    /** Records Content-Security-Policy refusals in the page, before its own scripts run. */
    static final String CSP_WATCH = "window.__csp=[];document.addEventListener('securitypolicyviolation',"
            + "function(e){window.__csp.push(e.violatedDirective+' '+e.blockedURI)});";
    static final String BAR_STATE = "(function(){var b=document.getElementById('maintenance-valve-banner');"
            + "if(!b||!b.parentNode)return null;function t(c){var e=b.querySelector('.'+c);return e?e.textContent:null}"
            + "var s=getComputedStyle(b),r=b.getBoundingClientRect(),x=b.querySelector('button');"
            + "return JSON.stringify({phase:b.getAttribute('data-phase'),tone:b.getAttribute('data-tone'),"
            + "lang:b.lang,role:b.getAttribute('role'),text:t('maintenance-valve-text'),end:t('maintenance-valve-end'),"
            + "message:t('maintenance-valve-message'),countdown:t('maintenance-valve-countdown'),"
            + "countdownHidden:(b.querySelector('.maintenance-valve-countdown')||{getAttribute:function(){return null}})"
            + ".getAttribute('aria-hidden'),close:x?x.getAttribute('aria-label'):null,"
            + "background:s.backgroundColor,color:s.color,top:r.top,height:r.height,width:r.width,"
            + "first:document.body.firstElementChild===b,all:b.textContent})})()";

    private Chromium browser;

    BannerPageScenarios(String version) {
        super(version);
    }

    @BeforeAll
    void startTomcat() {
        try {
            startTomcat("banner-page", "banner-page-flags", POLL_MILLIS, "adminUsers=\"admin\"", builder -> builder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Compile the sample app's JSPs once, so no test waits for Jasper.
        Await.until(Duration.ofSeconds(60), "banner.jsp answers", () -> get("/banner.jsp").status() == 200
                && get("/echo.jsp").status() == 200);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void maintenanceOff() throws IOException {
        removeFlagAndAwait(DEADLINE, () -> get("/echo.jsp").status() == 200
                && get("/maintenance-valve/status.json").body().contains("\"phase\":\"off\""));
    }

    // ------------------------------------------------------------------ each phase

    @Test
    void scheduledShowsTheLocalStartTimeACountdownAndTheMessage() throws Exception {
        Instant from = Instant.now().plus(40, ChronoUnit.MINUTES).plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
        Instant until = from.plus(90, ChronoUnit.MINUTES);
        BannerScenarios.writeFlag(flag, "full", MESSAGE, from, until, null);
        awaitPhase("scheduled");
        for (boolean phone : new boolean[] {false, true}) {
            try (Chromium.Page page = open(phone ? 390 : 1280, phone ? 844 : 720, phone, "en-US,en;q=0.9", "")) {
                JsonNode bar = awaitBar(page, "the scheduled bar", b -> b.path("countdown").isTextual());
                assertEquals("scheduled", bar.path("phase").asText());
                assertEquals("info", bar.path("tone").asText());
                assertEquals("status", bar.path("role").asText());
                assertEquals("true", bar.path("countdownHidden").asText(), "a ticking number is not read out");
                assertEquals("Dismiss", bar.path("close").asText());
                assertTrue(bar.path("first").asBoolean(), "at the top of the page, in the flow");
                assertEquals(0, bar.path("top").asDouble());
                assertTrue(bar.path("text").asText().startsWith("Maintenance starts "), bar.toString());
                assertLocalTime(bar.path("text").asText(), from);
                assertLocalTime(bar.path("end").asText(), until);
                assertTrue(bar.path("end").asText().startsWith(" Expected end: "), bar.toString());
                assertEquals(MESSAGE, bar.path("message").asText());
                String first = bar.path("countdown").asText();
                assertTrue(first.matches("40:[0-2]\\d"), "40 min 20 s ahead: " + first);
                Await.until(Duration.ofSeconds(5), "the countdown ticks", () -> !barState(page)
                        .path("countdown").asText().equals(first));
                if (phone) {
                    assertTrue(page.evaluate("document.documentElement.scrollWidth <= innerWidth").asBoolean(),
                            "no horizontal scrolling on a phone");
                    assertEquals("rgb(28, 43, 65)", bar.path("background").asText(), "dark: " + bar);
                } else {
                    assertEquals("rgb(233, 242, 255)", bar.path("background").asText(), "light: " + bar);
                }
                assertClean(page);
                page.screenshot(Chromium.screenshot(phone ? "banner-scheduled-390x844-dark" : "banner-scheduled-1280x720-light"));
                if (!phone) {
                    page.screenshotTop(Chromium.screenshot("banner-readme-1280x220"), 1280, 220);
                }
            }
        }
    }

    @Test
    void readOnlySaysReadingWorksAndChangesAreNotSavedUntilWhen() throws Exception {
        Instant until = Instant.now().plus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        BannerScenarios.writeFlag(flag, "read-only", "Jira moves to the new data centre tonight.", null, until, null);
        awaitPhase("on");
        try (Chromium.Page page = open(1280, 720, false, "en", "")) {
            JsonNode bar = awaitBar(page, "the read-only bar", b -> "on".equals(b.path("phase").asText()));
            assertEquals("Read-only maintenance: you can read and search, changes are not saved.",
                    bar.path("text").asText());
            assertTrue(bar.path("end").asText().startsWith(" Expected end: "), bar.toString());
            assertLocalTime(bar.path("end").asText(), until);
            assertEquals("warn", bar.path("tone").asText());
            assertEquals("Jira moves to the new data centre tonight.", bar.path("message").asText());
            assertClean(page);
            page.screenshot(Chromium.screenshot("banner-read-only-1280x720-light"));
        }
    }

    @Test
    void anAdminInsideIsRemindedThatUsersAreHeldOutButNotToldByWhichWay() throws Exception {
        try (Chromium.Page page = open(1280, 720, true, "en", "")) {
            logInAsAdmin(page); // before maintenance, as an admin would be
            BannerScenarios.writeFlag(flag, "full", "XML backup running.", null,
                    Instant.now().plus(90, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS), null);
            awaitPhase("on");
            page.navigate(url("/banner.jsp"));
            assertEquals("SAMPLE-APP", page.evaluate("document.title").asText(), "the admin is in");
            JsonNode bar = awaitBar(page, "the admin's reminder", b -> "admin".equals(b.path("tone").asText()));
            assertEquals("Maintenance is on: users are held out. You are let in.",
                    bar.path("text").asText());
            assertEquals("XML backup running.", bar.path("message").asText());
            assertEquals("rgb(58, 42, 31)", bar.path("background").asText(), "dark");
            assertClean(page);
            page.screenshot(Chromium.screenshot("banner-admin-1280x720-dark"));
        }
        assertEquals(503, get("/banner.jsp").status(), "everybody else is held out");
    }

    @Test
    void whenTheWindowStartsWhileThePageIsOpenTheBarSaysTheNextChangeWillNotBeSaved() throws Exception {
        Instant from = Instant.now().plusSeconds(12).truncatedTo(ChronoUnit.SECONDS);
        BannerScenarios.writeFlag(flag, "full", MESSAGE, from, from.plus(1, ChronoUnit.HOURS), null);
        awaitPhase("scheduled");
        // The default pace (no data-poll-seconds): the start itself must bring the next question.
        try (Chromium.Page page = open(1280, 720, false, "en", "")) {
            JsonNode scheduled = awaitBar(page, "the scheduled bar", b -> "scheduled".equals(b.path("phase").asText()));
            assertTrue(scheduled.path("countdown").asText().matches("0:(0\\d|1[0-2])"), scheduled.toString());
            JsonNode started = Await.until(Duration.between(Instant.now(), from).plusSeconds(10),
                    "the bar says the window has started", () -> barState(page),
                    b -> "on".equals(b.path("phase").asText()));
            long late = Duration.between(from, Instant.now()).toMillis();
            assertEquals("Maintenance has started: what you send now will not be saved.", started.path("text").asText());
            assertEquals("warn", started.path("tone").asText());
            assertEquals(MESSAGE, started.path("message").asText());
            assertTrue(started.path("countdown").isNull(), "no countdown any more");
            System.out.println("[BannerPageScenarios] the open page said so " + late + " ms after the start");
            assertClean(page);
            page.screenshot(Chromium.screenshot("banner-started-1280x720-light"));
            page.evaluate("document.querySelector('form button').click()");
            Await.until(Duration.ofSeconds(10), "the change gets the maintenance page",
                    () -> page.evaluate("document.title + ' ' + (document.querySelector('h1')||{}).textContent").asText()
                            .contains("Down for maintenance"));
        }
    }

    @Test
    void overdueSaysItTakesLongerThanPlanned() throws Exception {
        Instant until = Instant.now().minus(25, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        try (Chromium.Page page = open(1280, 720, false, "en", "")) {
            logInAsAdmin(page);
            BannerScenarios.writeFlag(flag, "full", null, null, until, null);
            awaitPhase("overdue");
            page.navigate(url("/banner.jsp"));
            JsonNode bar = awaitBar(page, "the overdue bar", b -> "overdue".equals(b.path("phase").asText()));
            assertEquals("late", bar.path("tone").asText());
            assertEquals("Maintenance is on: users are held out. You are let in.",
                    bar.path("text").asText());
            assertTrue(bar.path("end").asText().startsWith(" It is taking longer than planned (expected end was "),
                    bar.toString());
            assertLocalTime(bar.path("end").asText(), until);
            assertEquals("", bar.path("message").asText(), "no message of the admin's: none shown");
            assertEquals("rgb(255, 236, 235)", bar.path("background").asText());
            assertClean(page);
            page.screenshot(Chromium.screenshot("banner-overdue-1280x720-light"));
        }
    }

    @Test
    void offShowsNothingWritesNothingToTheConsoleAndTheBarLeavesByItself() throws Exception {
        try (Chromium.Page page = open(1280, 720, false, "en", "?poll=1")) {
            Await.until(DEADLINE, "two answers from status.json", () -> statusRequests(page) >= 2);
            assertTrue(barState(page).isNull(), "no bar while off");
            assertEquals(0, page.evaluate("document.querySelectorAll('[id^=maintenance-valve]').length").asInt());
            assertClean(page);
            page.screenshot(Chromium.screenshot("banner-off-1280x720-light"));

            BannerScenarios.writeFlag(flag, "read-only", null, null, null, null);
            awaitBar(page, "the bar comes by itself", b -> "on".equals(b.path("phase").asText()));
            Files.delete(flag);
            Await.until(DEADLINE, "the bar leaves by itself", () -> barState(page).isNull());
            assertClean(page);
        }
    }

    @Test
    void theBarSpeaksThePagesLanguageThenTheBrowsers() throws Exception {
        Instant from = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        BannerScenarios.writeFlag(flag, "read-only", null, from, from.plus(3, ChronoUnit.HOURS), null);
        awaitPhase("scheduled");
        try (Chromium.Page page = open(390, 844, false, "en-US,en;q=0.9", "?lang=de-DE")) {
            JsonNode bar = awaitBar(page, "the German bar", b -> b.path("countdown").isTextual());
            assertEquals("de", bar.path("lang").asText());
            assertTrue(bar.path("text").asText().startsWith("Die Wartung im Nur-Lese-Modus beginnt am "), bar.toString());
            assertTrue(bar.path("text").asText().endsWith(": Sie können dann lesen, aber keine Änderungen speichern."),
                    bar.toString());
            assertTrue(bar.path("end").asText().startsWith(" Voraussichtliches Ende: "), bar.toString());
            assertLocalTime(bar.path("text").asText(), from);
            assertEquals("Schließen", bar.path("close").asText());
            assertClean(page);
            page.screenshot(Chromium.screenshot("banner-de-390x844-light"));
        }
        try (Chromium.Page page = open(1280, 720, false, "fr-CH,fr;q=0.9", "?lang=zh")) {
            JsonNode bar = awaitBar(page, "the French bar", b -> b.path("countdown").isTextual());
            assertTrue(bar.path("text").asText().startsWith("La maintenance en lecture seule commence le "),
                    "a page in a language the banner lacks: the browser's: " + bar);
        }
        try (Chromium.Page page = open(1280, 720, false, "ja", "?lang=ja")) {
            JsonNode bar = awaitBar(page, "the Japanese bar", b -> b.path("countdown").isTextual());
            assertTrue(bar.path("text").asText().startsWith("閲覧のみのメンテナンスが"), bar.toString());
            assertTrue(bar.path("end").asText().startsWith("終了予定："), "no space before a Japanese sentence: " + bar);
        }
    }

    @Test
    void aMessageWithMarkupIsShownAsTextAndRunsNothing() throws Exception {
        BannerScenarios.writeFlag(flag, "read-only", HOSTILE, null, null, null);
        awaitPhase("on");
        try (Chromium.Page page = open(1280, 720, false, "en", "")) {
            JsonNode bar = awaitBar(page, "the bar", b -> "on".equals(b.path("phase").asText()));
            assertEquals(HOSTILE, bar.path("message").asText());
            assertEquals("undefined", page.evaluate("typeof window.__pwned").asText(), "nothing ran");
            assertEquals(0, page.evaluate("document.querySelector('.maintenance-valve-message').children.length").asInt());
            assertEquals(0, page.evaluate("document.images.length").asInt());
            assertEquals(1, page.evaluate("document.scripts.length").asInt(), "only the banner's tag");
            assertClean(page);
            page.screenshot(Chromium.screenshot("banner-hostile-1280x720-light"));
        }
    }

    @Test
    void aPageWithoutTheValveShowsNoBarAndNoErrorOfTheScripts() throws Exception {
        try (TomcatServer plain = TomcatServer.builder(version).name("banner-no-valve").installJar(false).start()) {
            // The tag stayed in the announcement banner, the valve was removed, a copy of the script is served.
            copyScriptTo(plain, "/maintenance-valve/banner.js");
            Await.until(Duration.ofSeconds(60), "banner.jsp answers", () -> Http.get(plain.httpPort(), "/banner.jsp")
                    .status() == 200);
            assertEquals(404, Http.get(plain.httpPort(), "/maintenance-valve/status.json").status());
            try (Chromium.Page page = open(plain, 1280, 720, "/banner.jsp?poll=1")) {
                Await.until(DEADLINE, "the script asked once", () -> statusRequests(page) == 1);
                long seen = System.nanoTime();
                Await.until(Duration.ofSeconds(4), "four poll intervals",
                        () -> System.nanoTime() - seen > Duration.ofSeconds(4).toNanos());
                assertEquals(1, statusRequests(page), "a 404 means no valve: it stops asking");
                assertTrue(barState(page).isNull());
                assertScriptsClean(page, "status.json");
                page.screenshot(Chromium.screenshot("banner-no-valve-1280x720-light"));
            }
            // And the tag alone, with no script behind it at all.
            try (Chromium.Page page = open(plain, 1280, 720, "/banner.jsp?src=/nowhere/banner.js")) {
                assertTrue(barState(page).isNull());
                assertScriptsClean(page, "banner.js");
            }
        }
    }

    // ------------------------------------------------------------------ pace, dismissing

    @Test
    void itAsksAtTheSetPaceNotWhileHiddenFasterBeforeAStartAndLessAfterErrors() throws Exception {
        try (Chromium.Page page = open(1280, 720, false, "en", "?poll=1")) {
            Await.until(DEADLINE, "the first answer", () -> statusRequests(page) >= 1);
            int start = statusRequests(page);
            pause(Duration.ofSeconds(10));
            int normal = statusRequests(page) - start;
            assertTrue(normal >= 7 && normal <= 14, "1 s +/- 20 %: " + normal + " requests in 10 s");

            page.evaluate("Object.defineProperty(document,'hidden',{configurable:true,get:function(){return true}});"
                    + "Object.defineProperty(document,'visibilityState',{configurable:true,get:function(){"
                    + "return 'hidden'}});document.dispatchEvent(new Event('visibilitychange'));true");
            pause(Duration.ofMillis(1500)); // one that was on its way may still land
            int hidden = statusRequests(page);
            pause(Duration.ofSeconds(5));
            assertEquals(hidden, statusRequests(page), "no request while the tab is hidden");
            page.evaluate("delete document.hidden;delete document.visibilityState;"
                    + "document.dispatchEvent(new Event('visibilitychange'));true");
            Await.until(Duration.ofSeconds(4), "a request soon after the tab is shown again",
                    () -> statusRequests(page) > hidden);
            assertClean(page);
        }

        Instant from = Instant.now().plus(4, ChronoUnit.MINUTES);
        BannerScenarios.writeFlag(flag, "full", null, from, null, null);
        awaitPhase("scheduled");
        try (Chromium.Page page = open(1280, 720, false, "en", "?poll=8")) {
            awaitBar(page, "the scheduled bar", b -> "scheduled".equals(b.path("phase").asText()));
            int start = statusRequests(page);
            pause(Duration.ofSeconds(10));
            int nearStart = statusRequests(page) - start;
            assertTrue(nearStart >= 3 && nearStart <= 7,
                    "8 s pace, a quarter of it in the last 5 minutes before a start: " + nearStart + " in 10 s");
        }

        try (TomcatServer plain = TomcatServer.builder(version).name("banner-errors").installJar(false).start()) {
            copyScriptTo(plain, "/broken/banner.js");
            Path broken = plain.baseDir().resolve("webapps/ROOT/broken/status.json");
            Files.writeString(broken, "<html>a proxy's error page</html>");
            try (Chromium.Page page = open(plain, 1280, 720, "/banner.jsp?poll=1&src=/broken/banner.js")) {
                Await.until(DEADLINE, "the first answer", () -> statusRequests(page) >= 1);
                pause(Duration.ofSeconds(12));
                int failing = statusRequests(page);
                assertTrue(failing >= 2 && failing <= 4, "after each failure twice as long (2, 4, 8 s): "
                        + failing + " requests in 12 s, not 12");
                assertTrue(barState(page).isNull());
                assertScriptsClean(page, "status.json");
            }
        }
    }

    @Test
    void aDismissedBarStaysAwayUntilThePhaseOrMessageChanges() throws Exception {
        BannerScenarios.writeFlag(flag, "read-only", "First message", null, null, null);
        awaitPhase("on");
        try (Chromium.Page page = open(1280, 720, false, "en", "?poll=1")) {
            awaitBar(page, "the bar", b -> "First message".equals(b.path("message").asText()));
            page.evaluate("document.querySelector('#maintenance-valve-banner button').click();true");
            assertTrue(barState(page).isNull(), "gone at once");
            page.navigate(url("/banner.jsp?poll=1"));
            Await.until(DEADLINE, "two answers on the next page", () -> statusRequests(page) >= 2);
            assertTrue(barState(page).isNull(), "still dismissed in this tab");
            BannerScenarios.writeFlag(flag, "read-only", "Second message", null, null, null);
            awaitBar(page, "the bar with the new message", b -> "Second message".equals(b.path("message").asText()));
            assertClean(page);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Chromium.Page open(int width, int height, boolean dark, String acceptLanguage, String query) {
        Chromium.Page page = chromium().newIsolatedPage(width, height, dark, acceptLanguage, TIME_ZONE);
        watch(page);
        page.navigate(url("/banner.jsp" + query));
        return page;
    }

    private Chromium.Page open(TomcatServer server, int width, int height, String path) {
        Chromium.Page page = chromium().newIsolatedPage(width, height, false, "en", TIME_ZONE);
        watch(page);
        page.navigate("http://127.0.0.1:" + server.httpPort() + path);
        return page;
    }

    /** Logs the tab in as "admin" (the sample app's stand-in for Seraph): the session cookie is this tab's. */
    private static void logInAsAdmin(Chromium.Page page) {
        assertEquals("SAMPLE-APP logged in", page.evaluate("fetch('/login-as.jsp?user=admin')"
                + ".then(function(r){return r.text()}).then(function(t){return t.trim()})").asText());
    }

    private static void watch(Chromium.Page page) {
        page.watchConsole();
        page.addScriptOnNewDocument(CSP_WATCH);
    }

    private static JsonNode barState(Chromium.Page page) {
        JsonNode value = page.evaluate(BAR_STATE);
        if (value.isNull() || value.isMissingNode()) {
            return value.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value;
        }
        try {
            return JSON.readTree(value.asText());
        } catch (IOException e) {
            throw new AssertionError(value.asText(), e);
        }
    }

    private static JsonNode awaitBar(Chromium.Page page, String what, Predicate<JsonNode> accept) {
        return Await.until(DEADLINE, what, () -> barState(page), b -> !b.isNull() && accept.test(b));
    }

    private static int statusRequests(Chromium.Page page) {
        return page.evaluate("performance.getEntriesByType('resource').filter(function(r){"
                + "return r.name.indexOf('status.json')>=0}).length").asInt();
    }

    /** Nothing in the console (no exception, no error or warning of the page or the browser), no CSP refusal. */
    private static void assertClean(Chromium.Page page) {
        assertEquals(List.of(), page.console(), "the console");
        assertEquals("[]", page.evaluate("JSON.stringify(window.__csp)").asText(), "Content-Security-Policy refusals");
    }

    /**
     * No exception, no console call, no CSP refusal; the browser's own network line for the one
     * missing file is all there is (the browser writes it for any failed load; no script can stop that).
     */
    private static void assertScriptsClean(Chromium.Page page, String missing) {
        for (String line : page.console()) {
            assertTrue(line.startsWith("log network error: Failed to load resource") && line.contains(missing),
                    "only the browser's line for the missing " + missing + ": " + page.console());
        }
        assertEquals("[]", page.evaluate("JSON.stringify(window.__csp)").asText(), "Content-Security-Policy refusals");
    }

    /** The time shown in the browser's time zone ({@value #TIME_ZONE}), 24 h or 12 h; never the UTC hour. */
    private static void assertLocalTime(String text, Instant instant) {
        ZonedDateTime local = instant.atZone(ZoneId.of(TIME_ZONE));
        int hour12 = local.getHour() % 12 == 0 ? 12 : local.getHour() % 12;
        String minute = String.format("%02d", local.getMinute());
        // 12-hour ("9:28 PM") or 24-hour clock, the hour with or without a leading zero ("01:07", "1:07").
        Pattern shown = Pattern.compile("(\\b0?" + hour12 + ":" + minute + "\\s?[AP]M)|(\\b0?" + local.getHour() + ":"
                + minute + "\\b)");
        assertTrue(shown.matcher(text).find(), "the time in " + TIME_ZONE + " (" + local.toLocalTime() + "): " + text);
    }

    private void awaitPhase(String phase) {
        Await.until(DEADLINE, "status.json says " + phase, () -> get("/maintenance-valve/status.json").body()
                .contains("\"phase\":\"" + phase + "\""));
    }

    private static void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        Await.until(duration.plusSeconds(5), "time to pass", () -> System.nanoTime() - end >= 0);
    }

    private static void copyScriptTo(TomcatServer server, String path) throws IOException {
        Path target = server.baseDir().resolve("webapps/ROOT" + path);
        Files.createDirectories(target.getParent());
        try (InputStream in = BannerPageScenarios.class.getResourceAsStream("/org/maintenancevalve/banner/banner.js")) {
            assertTrue(in != null, "banner.js on the class path");
            Files.copy(in, target);
        }
    }

    private Chromium chromium() {
        if (browser == null) {
            browser = Chromium.launchOrSkip("the banner's browser tests");
        }
        return browser;
    }
}
