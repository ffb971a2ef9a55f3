package org.maintenancevalve.response;

import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request header's value as the bytes Tomcat read it, so a blocked request's answer is chosen
 * without decoding its headers into Strings. HTTP/1.1 headers arrive as bytes and are used in
 * place; HTTP/2 headers arrive as Strings and are converted (ISO-8859-1, as Tomcat reads header
 * bytes; a character beyond it becomes {@code ?}, which no header we look at contains).
 */
final class HeaderBytes {

    private HeaderBytes() {
    }

    /** The value's bytes, or {@code null} when the header is absent. */
    static ByteChunk of(MessageBytes value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.getType() == MessageBytes.T_BYTES) {
            return value.getByteChunk();
        }
        byte[] bytes = value.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteChunk chunk = new ByteChunk();
        chunk.setBytes(bytes, 0, bytes.length);
        return chunk;
    }

    /** A header value held as a String (tests, the String entry points), or {@code null}. */
    static MessageBytes of(String value) {
        if (value == null) {
            return null;
        }
        MessageBytes message = MessageBytes.newInstance();
        message.setString(value);
        return message;
    }

    /** An ASCII text to find in header values, ignoring ASCII case. */
    static final class Token {
        private final byte[] lower;
        private final byte[] upper;

        Token(String ascii) {
            lower = ascii.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            upper = ascii.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }

        /** Where the token first occurs in the chunk, as an offset from its start; -1 when it does not. */
        int indexIn(ByteChunk chunk) {
            return indexIn(chunk, chunk.getLength());
        }

        /**
         * Where the token first occurs in the chunk starting before offset {@code before}, as an
         * offset from the chunk's start; -1 when it does not.
         */
        int indexIn(ByteChunk chunk, int before) {
            byte[] bytes = chunk.getBuffer();
            int start = chunk.getStart();
            int last = Math.min(chunk.getEnd() - lower.length, start + before - 1);
            byte firstLower = lower[0];
            byte firstUpper = upper[0];
            for (int i = start; i <= last; i++) {
                byte b = bytes[i];
                if ((b == firstLower || b == firstUpper) && matchesAt(bytes, i)) {
                    return i - start;
                }
            }
            return -1;
        }

        private boolean matchesAt(byte[] bytes, int at) {
            for (int j = 1; j < lower.length; j++) {
                byte b = bytes[at + j];
                if (b != lower[j] && b != upper[j]) {
                    return false;
                }
            }
            return true;
        }
    }
}
