package org.maintenancevalve.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BypassTest {

    private static final long NOW = 1_795_000_000L;
    private static final String WINDOW = "id:window-1";
    private final BypassSecret secret = new BypassSecret("correct horse battery staple");

    @Test
    void matchesOnlyTheExactSecret() {
        assertTrue(secret.matches("correct horse battery staple"));
        assertFalse(secret.matches("correct horse battery stapl"));
        assertFalse(secret.matches("correct horse battery staple "));
        assertFalse(secret.matches("CORRECT HORSE BATTERY STAPLE"));
        assertFalse(secret.matches(""));
        assertFalse(secret.matches(null));
    }

    @Test
    void cookiesAreValidTwelveHoursAndOnlyForTheirSecretWindowAndContext() {
        BypassSecret bound = secret.forWindow(WINDOW);
        String cookie = bound.issue("", NOW);
        assertFalse(cookie.contains("correct"), "the secret never travels in the cookie");
        assertTrue(cookie.startsWith("1." + (NOW + BypassSecret.VALIDITY_SECONDS) + "."), cookie);
        assertTrue(bound.accepts(cookie, "", NOW));
        assertTrue(bound.accepts(cookie, "", NOW + BypassSecret.VALIDITY_SECONDS - 1));
        assertFalse(bound.accepts(cookie, "", NOW + BypassSecret.VALIDITY_SECONDS), "expired");
        assertFalse(new BypassSecret("another secret of enough length").forWindow(WINDOW).accepts(cookie, "", NOW),
                "old secret");
        assertFalse(secret.forWindow("id:next-window").accepts(cookie, "", NOW), "another window");
        assertFalse(bound.accepts(cookie, "/jira", NOW), "another web application");
        assertTrue(bound.accepts(bound.issue("/jira", NOW), "/jira", NOW));
        assertFalse(bound.accepts(bound.issue("/jira", NOW), "", NOW));
        assertThrows(IllegalStateException.class, () -> secret.issue("", NOW), "an unbound secret signs nothing");
    }

    @Test
    void aCookieFromANodeWhoseClockIsUpToAMinuteAheadIsAccepted() {
        BypassSecret bound = secret.forWindow(WINDOW);
        assertTrue(bound.accepts(bound.issue("", NOW + 60), "", NOW));
        assertFalse(bound.accepts(bound.issue("", NOW + 61), "", NOW), "more than a minute ahead: not ours to trust");
    }

    @Test
    void aSecretNeedsAtLeastSixteenCharacters() {
        assertTrue(new BypassSecret("0123456789abcdef").matches("0123456789abcdef"));
        assertEquals("must be at least 16 characters long",
                assertThrows(IllegalArgumentException.class, () -> new BypassSecret("0123456789abcde")).getMessage());
    }

    @Test
    void aCookieHasExactlyOneValidSpelling() {
        BypassSecret bound = secret.forWindow(WINDOW);
        String cookie = bound.issue("", NOW);
        assertTrue(bound.accepts(cookie, "", NOW));
        String[] parts = cookie.split("\\.");
        String version = parts[0];
        long expiry = Long.parseLong(parts[1]);
        String mac = parts[2];
        List<String> respellings = new ArrayList<>(List.of(
                "0" + cookie, cookie + "=", cookie + "==", cookie + " ", " " + cookie, cookie + ".", cookie + ".x",
                version + ".0" + expiry + "." + mac, version + ".+" + expiry + "." + mac,
                "+" + cookie, "01." + expiry + "." + mac, "1.0." + expiry + "." + mac,
                version + "." + expiry + "." + mac + "\u0000", "\"" + cookie + "\"",
                version + "." + expiry + ".." + mac));
        // Base64 of 32 bytes ends in a character whose last 2 bits are unused: the same MAC can be
        // written with any of 4 last characters (a lenient decoder takes them all); only one is valid.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(mac.charAt(mac.length() - 1));
        for (int unused = 1; unused < 4; unused++) {
            String other = mac.substring(0, mac.length() - 1) + alphabet.charAt((last & ~3) | ((last + unused) & 3));
            assertArrayEquals(Base64.getUrlDecoder().decode(mac), Base64.getUrlDecoder().decode(other), "same MAC bytes");
            respellings.add(version + "." + expiry + "." + other);
        }
        String standardAlphabet = mac.replace('-', '+').replace('_', '/');
        if (!standardAlphabet.equals(mac)) {
            respellings.add(version + "." + expiry + "." + standardAlphabet);
        }
        for (String respelled : respellings) {
            assertFalse(bound.accepts(respelled, "", NOW), respelled);
        }
    }

    @Test
    void tamperedCookiesAreRefused() {
        BypassSecret bound = secret.forWindow(WINDOW);
        String cookie = bound.issue("", NOW);
        String[] parts = cookie.split("\\.");
        long expiry = Long.parseLong(parts[1]);
        String mac = parts[2];
        assertFalse(bound.accepts("1." + (expiry + 3600) + "." + mac, "", NOW), "extended expiry");
        assertFalse(bound.accepts("1." + (expiry - 3600) + "." + mac, "", NOW), "shortened expiry");
        assertFalse(bound.accepts("1." + expiry + "." + mac.substring(1), "", NOW));
        assertFalse(bound.accepts("1." + expiry + "." + flip(mac), "", NOW));
        assertFalse(bound.accepts("2." + expiry + "." + mac, "", NOW), "another version");
        assertFalse(bound.accepts("1." + expiry + ".", "", NOW));
        assertFalse(bound.accepts("1.." + mac, "", NOW));
        assertFalse(bound.accepts(expiry + "." + mac, "", NOW), "the old format");
        assertFalse(bound.accepts("garbage", "", NOW));
        assertFalse(bound.accepts("", "", NOW));
        assertFalse(bound.accepts(null, "", NOW));
        assertFalse(bound.accepts("1.99999999999999999999." + mac, "", NOW));
        assertFalse(bound.accepts("1.999999999999." + mac, "", NOW));
        // Far-future expiries signed properly are refused too (a cookie is never valid > 12 h ahead).
        assertFalse(bound.accepts(bound.issue("", NOW + 86_400), "", NOW));
    }

    @Test
    void theWindowIsTheFlagFilesIdElseItsFromElseItsStart() {
        Instant modified = Instant.parse("2026-11-24T21:59:30Z");
        Instant now = Instant.parse("2026-11-24T22:00:00Z");
        FlagSettings withId = FlagSettings.builder().window("Kx7").from(Instant.parse("2026-11-24T21:00:00Z")).build();
        assertEquals("id:Kx7", BypassSecret.windowOf(MaintenanceState.evaluate(withId, modified, now, MaintenanceState.OFF)));
        FlagSettings withFrom = FlagSettings.builder().from(Instant.parse("2026-11-24T21:00:00Z")).build();
        assertEquals("from:" + Instant.parse("2026-11-24T21:00:00Z").getEpochSecond(),
                BypassSecret.windowOf(MaintenanceState.evaluate(withFrom, modified, now, MaintenanceState.OFF)));
        assertEquals("since:" + modified.getEpochSecond(),
                BypassSecret.windowOf(MaintenanceState.evaluate(FlagSettings.DEFAULTS, modified, now, MaintenanceState.OFF)));
    }

    private static String flip(String text) {
        char c = text.charAt(0);
        return (c == 'A' ? 'B' : 'A') + text.substring(1);
    }

    @Test
    void findsTheSecretInTheRawQueryOnly() {
        assertEquals("s3cr3t value", BypassLink.secretIn("a=1&maintenance-bypass=s3cr3t%20value&b=2"));
        assertEquals("x", BypassLink.secretIn("maintenance-bypass=x"));
        assertNull(BypassLink.secretIn("xmaintenance-bypass=x"));
        assertNull(BypassLink.secretIn("a=1"));
        assertNull(BypassLink.secretIn(null));
        assertNull(BypassLink.secretIn("maintenance-bypass=%zz"));
        assertFalse(BypassLink.mayHoldLink(null));
        assertTrue(BypassLink.mayHoldLink("maintenance-bypass=x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/secure/Dashboard.jspa|maintenance-bypass=x|/secure/Dashboard.jspa",
        "/secure/Dashboard.jspa|a=1&maintenance-bypass=x&b=2|/secure/Dashboard.jspa?a=1&b=2",
        "/|maintenance-bypass=x|/",
        "//evil.com|maintenance-bypass=x|/evil.com",
        "/\\evil.com|maintenance-bypass=x|/evil.com",
        "/a\\b|maintenance-bypass=x|/a%5Cb",
        "///evil.com/x|maintenance-bypass=x|/evil.com/x",
        "/a b/ü|maintenance-bypass=x|/a%20b/%C3%BC",
        "/x|next=http://evil.com&maintenance-bypass=x|/x?next=http://evil.com",
        "/x|a=<script>&maintenance-bypass=x|/x?a=%3Cscript%3E",
        "/az/AZ/09/-._~|q=a%20b&azAZ09=-._~&maintenance-bypass=x|/az/AZ/09/-._~?q=a%20b&azAZ09=-._~",
        "/`{@[/:|a=`{@[/:&maintenance-bypass=x|/%60%7B%40%5B/%3A?a=%60%7B@%5B/:",
    })
    void theLocationIsRelativeAndStaysOnSite(String path, String query, String expected) {
        String location = BypassLink.locationWithout(path, query);
        assertEquals(expected, location);
        assertTrue(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), location);
        assertFalse(location.contains("maintenance-bypass"), location);
    }

    @Test
    void cookiePathIsTheContextPath() {
        assertEquals("/", BypassLink.cookiePath(""));
        assertEquals("/", BypassLink.cookiePath(null));
        assertEquals("/jira", BypassLink.cookiePath("/jira"));
    }
}
