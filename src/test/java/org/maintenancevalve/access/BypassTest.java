package org.maintenancevalve.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BypassTest {

    private static final long NOW = 1_795_000_000L;
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
    void cookiesAreValidTwelveHoursAndOnlyForTheirSecret() {
        String cookie = secret.issue(NOW);
        assertFalse(cookie.contains("correct"), "the secret never travels in the cookie");
        assertTrue(secret.accepts(cookie, NOW));
        assertTrue(secret.accepts(cookie, NOW + BypassSecret.VALIDITY_SECONDS - 1));
        assertFalse(secret.accepts(cookie, NOW + BypassSecret.VALIDITY_SECONDS), "expired");
        assertFalse(new BypassSecret("another secret of enough length").accepts(cookie, NOW), "old secret");
    }

    @Test
    void tamperedCookiesAreRefused() {
        String cookie = secret.issue(NOW);
        int dot = cookie.indexOf('.');
        long expiry = Long.parseLong(cookie.substring(0, dot));
        String mac = cookie.substring(dot + 1);
        assertFalse(secret.accepts((expiry + 3600) + "." + mac, NOW), "extended expiry");
        assertFalse(secret.accepts(expiry + "." + mac.substring(1), NOW));
        assertFalse(secret.accepts(expiry + "." + flip(mac), NOW));
        assertFalse(secret.accepts("+" + expiry + "." + mac, NOW));
        assertFalse(secret.accepts(expiry + ".", NOW));
        assertFalse(secret.accepts("." + mac, NOW));
        assertFalse(secret.accepts("garbage", NOW));
        assertFalse(secret.accepts("99999999999999999999." + mac, NOW));
        // Far-future expiries signed properly are refused too (a cookie is never valid > 12 h ahead).
        assertFalse(secret.accepts(secret.issue(NOW + 86_400), NOW));
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
