package org.maintenancevalve.access;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanonicalPathTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "/", "/status", "/login.jsp", "/s/", "/rest/api/2/search", "/secure/QueryComponent!Jql.jspa",
        // Real resource URL shapes: hashes, locales, build numbers, plugin keys with ':' and ',' lists.
        "/s/d41d8cd98f00b204e9800998ecf8427e-CDN/en_US/faa46f8/1/38109b1dab5596a818b1e6fb632b3b3c/_/download/"
                + "contextbatch/css/stash.page.login/batch.css",
        "/s/33ba9e8f54325bcef90d1209cc496596-CDN/-ouefzq/713005/622e909d521623ebc8b40950d83395a1/"
                + "d302fde02b80c462b2798dc5fcafad3e/_/download/contextbatch/css/jira.global.look-and-feel,-_super/batch.css",
        "/s/en_GB/8505/f5e71ce5e7eab96b69c873705d53960b71f86fff/_/images/icons/profilepics/add_profile_pic.svg",
        "/download/batch/com.atlassian.auiplugin:ajs/com.atlassian.auiplugin:ajs.js",
        "/images/a..b.png", "/images/...", "/images/.hidden.png", "/a/", "/a-b_c.d~e!f:g,h/Z09", "/secure/Admin.jspa"
    })
    void plainPathsAreCanonical(String path) {
        assertTrue(CanonicalPath.isPlain(path), path);
        assertTrue(CanonicalPath.agrees(path, path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "status", "//status", "/s//_/download/x.css", "/a//", "/./status", "/status/.", "/x/../status",
        "/status/..", "/..", "/.", "/s/..;/x.jspa", "/status;jsessionid=1", "/login.jsp;", "/%73tatus",
        "/s/x/_/%2e%2e/WEB-INF/web.xml", "/atl%5Ftoken", "/a%", "/a\\b", "/a b", "/a\tb", "/a\u0000b", "/a?b",
        "/a#b", "/a\"b", "/a<b>", "/a|b", "/a^b", "/a`b", "/a{b}", "/a[b]", "/\u00e9t\u00e9", "/\uff0fx",
        "/a\u2215b", "/a+b", "/a(b)", "/a'b", "/a*b", "/a=b", "/a@b", "/a$b", "/a&b"
    })
    void anythingAReaderCouldDecodeOrNormaliseIsNot(String path) {
        assertFalse(CanonicalPath.isPlain(path), path);
        assertFalse(CanonicalPath.agrees(path, path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/status", "/s/x/_/images/a.png"})
    void theRawPathMustBeTheDecodedOne(String decoded) {
        assertFalse(CanonicalPath.agrees(null, decoded), "raw path unknown");
        assertFalse(CanonicalPath.agrees(decoded + "/", decoded), "raw and decoded differ");
        assertFalse(CanonicalPath.agrees("/x" + decoded, decoded), "raw and decoded differ");
        assertFalse(CanonicalPath.agrees(decoded.toUpperCase(java.util.Locale.ROOT), decoded), "case differs");
    }
}
