package org.maintenancevalve.banner;

import org.apache.catalina.connector.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class BannerScriptTest {

    private static final BannerScript SCRIPT = new BannerScript();

    private static String text() {
        return new String(SCRIPT.plainBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theScriptIsSmallSelfContainedAndRunsNothingItReads() {
        String js = text();
        assertTrue(js.length() < 16 * 1024, "compacted: " + js.length() + " bytes");
        assertTrue(SCRIPT.gzipLength() < 7 * 1024, "gzip: " + SCRIPT.gzipLength() + " bytes");
        for (String banned : new String[] {"eval(", "new Function", "innerHTML", "outerHTML", "insertAdjacentHTML",
                "document.write", "setAttribute('style'", "cssText", "http://", "https://", "//cdn", "import(",
                "console."}) {
            assertFalse(js.contains(banned), "banner.js uses " + banned);
        }
        assertTrue(js.contains("textContent"), "the message goes in as text");
        assertTrue(js.contains("'status.json'"), "it asks the status beside itself");
        for (String lang : new String[] {"en:", "de:", "fr:", "es:", "ja:", "pt:"}) {
            assertTrue(js.contains(lang), "the maintenance page's six languages: " + lang);
        }
    }

    @Test
    void compactingDropsIndentationBlankLinesAndCommentLinesOnly() {
        String source = "/* head */\n  var a = 'x // not a comment';\n\n    // a comment\n\tif (a) {\n  b();\n}\n";
        assertEquals("/* head */\nvar a = 'x // not a comment';\nif (a) {\nb();\n}\n", BannerScript.compact(source));
        for (String line : text().split("\n")) {
            assertFalse(line.startsWith(" ") || line.startsWith("//") || line.isEmpty(), line);
        }
    }

    @Test
    void theGzipCopyHoldsTheSameBytes() throws Exception {
        Capture capture = new Capture();
        Request request = mock(Request.class);
        when(request.getHeader("Accept-Encoding")).thenReturn("gzip, deflate, br");
        SCRIPT.writeTo(request, capture.response, false);
        assertEquals("gzip", capture.headers.get("Content-Encoding"));
        assertEquals(capture.body.size(), capture.contentLength);
        byte[] unzipped = new GZIPInputStream(new ByteArrayInputStream(capture.body.toByteArray())).readAllBytes();
        assertArrayEquals(SCRIPT.plainBytes(), unzipped);
    }

    @Test
    void answersAreCachedForTenMinutesWithAnEtagPerEncodingAndA304ForTheSameCopy() throws Exception {
        Request plain = mock(Request.class);
        Capture first = new Capture();
        SCRIPT.writeTo(plain, first.response, false);
        assertEquals(200, first.status);
        assertEquals("max-age=600", first.headers.get("Cache-Control"));
        assertEquals("Accept-Encoding", first.headers.get("Vary"));
        assertEquals("text/javascript;charset=UTF-8", first.coyote.getContentType());
        assertEquals("nosniff", first.headers.get("X-Content-Type-Options"));
        assertNull(first.headers.get("Content-Encoding"));
        assertArrayEquals(SCRIPT.plainBytes(), first.body.toByteArray());
        String etag = first.headers.get("ETag");

        Request zipped = mock(Request.class);
        when(zipped.getHeader("Accept-Encoding")).thenReturn("gzip");
        Capture gz = new Capture();
        SCRIPT.writeTo(zipped, gz.response, false);
        assertNotEquals(etag, gz.headers.get("ETag"), "a strong ETag per representation");

        Request again = mock(Request.class);
        when(again.getHeader("If-None-Match")).thenReturn("\"other\", " + etag);
        Capture notModified = new Capture();
        SCRIPT.writeTo(again, notModified.response, false);
        assertEquals(304, notModified.status);
        assertEquals(0, notModified.body.size());
        assertEquals(etag, notModified.headers.get("ETag"));

        Request stale = mock(Request.class);
        when(stale.getHeader("If-None-Match")).thenReturn(gz.headers.get("ETag"));
        Capture full = new Capture();
        SCRIPT.writeTo(stale, full.response, false);
        assertEquals(200, full.status, "the gzip copy's tag does not match the plain copy");

        Capture head = new Capture();
        SCRIPT.writeTo(plain, head.response, true);
        assertEquals(first.contentLength, head.contentLength);
        assertEquals(0, head.body.size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gzip|true", "GZIP|true", "deflate, gzip;q=0.5|true", "x-gzip|true", "*|true", "br;q=1, *;q=0.1|true",
        "identity|false", "gzip;q=0|false", "gzip;q=0, *|false", "*;q=0|false", "deflate, br|false",
        "gzip;q=abc|false", "gzip ; q=0.001|true", "''|false"})
    void acceptEncodingIsReadByTheRules(String header, boolean gzip) {
        assertEquals(gzip, BannerScript.acceptsGzip(header), header);
        assertFalse(BannerScript.acceptsGzip(null));
    }
}
