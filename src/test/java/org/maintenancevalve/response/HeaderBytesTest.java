package org.maintenancevalve.response;

import org.apache.tomcat.util.buf.MessageBytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Headers read as the bytes Tomcat holds. Tomcat's HTTP/1.1 parser leaves a header value as a
 * slice of the whole request's buffer, so every value here sits between other text that would
 * change the answer if it were read.
 */
class HeaderBytesTest {

    /** A header as Tomcat's HTTP/1.1 parser leaves it: a slice of a bigger buffer. */
    static MessageBytes slice(String before, String value, String after) {
        byte[] buffer = (before + value + after).getBytes(StandardCharsets.ISO_8859_1);
        MessageBytes header = MessageBytes.newInstance();
        header.setBytes(buffer, before.length(), value.length());
        return header;
    }

    /** A header as Tomcat's HTTP/2 decoder leaves it: a String. */
    static MessageBytes string(String value) {
        MessageBytes header = MessageBytes.newInstance();
        header.setString(value);
        return header;
    }

    @Test
    void bytesAreUsedInPlaceAndStringsConverted() {
        MessageBytes bytes = slice("Accept: ", "text/html", "\r\n");
        assertSame(bytes.getByteChunk(), HeaderBytes.of(bytes), "no copy of HTTP/1.1 bytes");
        assertEquals("text/html", HeaderBytes.of(string("text/html")).toString());
        assertNull(HeaderBytes.of((MessageBytes) null));
        assertNull(HeaderBytes.of(MessageBytes.newInstance()), "a recycled, empty value is absent");
    }

    @Test
    void findsIgnoringAsciiCaseWithinTheSliceOnly() {
        MessageBytes header = slice("application/json ", "x, TEXT/Html", "application/json");
        assertEquals(3, new HeaderBytes.Token("text/html").indexIn(HeaderBytes.of(header)));
        assertEquals(-1, new HeaderBytes.Token("application/json").indexIn(HeaderBytes.of(header)),
                "the buffer around the value is not the value");
        assertEquals(-1, new HeaderBytes.Token("text/html").indexIn(HeaderBytes.of(slice("", "text/htm", "l"))));
        assertEquals(0, new HeaderBytes.Token("text/html").indexIn(HeaderBytes.of(slice("", "text/html", ""))));
        HeaderBytes.Token json = new HeaderBytes.Token("json");
        assertEquals(2, json.indexIn(HeaderBytes.of(slice("json", "a,json", "")), 3), "starts before 3");
        assertEquals(-1, json.indexIn(HeaderBytes.of(slice("json", "a,json", "")), 2), "starts at 2, not before");
        assertEquals(-1, json.indexIn(HeaderBytes.of(slice("", "jso", "n")), 3));
        assertEquals(2, new HeaderBytes.Token("text/html").indexIn(HeaderBytes.of(string("a,tExT/HtMl"))));
        // Only letters fold: 0xC1 ('Á') is not 'a', 0x0F is not '/' (0x2F), '[' (0x5B) is not '{' (0x7B).
        assertEquals(-1, new HeaderBytes.Token("application/json").indexIn(
                HeaderBytes.of(string("\u00c1pplication/json"))));
        assertEquals(-1, new HeaderBytes.Token("text/html").indexIn(HeaderBytes.of(string("text\u000fhtml"))));
        assertEquals(-1, new HeaderBytes.Token("{x").indexIn(HeaderBytes.of(string("[x"))));
    }

    @Test
    void contentNegotiationReadsTheSliceAndHttp2Strings() {
        assertTrue(ContentNegotiation.wantsJson(slice("text/html ", "Application/JSON", " text/html"), null, "/"));
        assertFalse(ContentNegotiation.wantsJson(slice("application/json ", "text/html, application/json", ""),
                null, "/"));
        assertTrue(ContentNegotiation.wantsJson(string("application/json, text/html"), null, "/"));
        assertTrue(ContentNegotiation.wantsJson(null, slice("X", "xmlhttprequest", "X"), "/"));
        assertFalse(ContentNegotiation.wantsJson(null, slice("", "XMLHttpRequestX", ""), "/"));
    }

    @Test
    void languageIsChosenFromTheSliceAndHttp2Strings() {
        assertEquals("de", PageLanguage.code(PageLanguage.choose(slice("ja, ", "de-CH, en;q=0.5", ";q=0, ja"))));
        assertEquals("fr", PageLanguage.code(PageLanguage.choose(slice("", "FR;q=0.8, es;q=0.7", "99"))),
                "a q-value at the end of the slice stops there");
        assertEquals("ja", PageLanguage.code(PageLanguage.choose(string("ja-JP,ja;q=0.9"))));
        assertEquals("en", PageLanguage.code(PageLanguage.choose((MessageBytes) null)));
        assertEquals("en", PageLanguage.code(PageLanguage.choose(slice("de", "", "fr"))));
    }
}
