package org.maintenancevalve.response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A rendered HTML page with slots for the one value that changes per request, the
 * {@code Retry-After} seconds: fixed text, slot, fixed text, ... Rendered once per state change;
 * per request only the number is written between the parts (as {@link JsonBody} does for JSON).
 * The parts are held encoded (UTF-8), so a request costs a copy of bytes, not an encoding.
 */
public final class PageBody {

    private final byte[][] parts;
    private final int fixedBytes;

    private PageBody(List<String> parts) {
        this.parts = new byte[parts.size()][];
        int bytes = 0;
        for (int i = 0; i < this.parts.length; i++) {
            this.parts[i] = parts.get(i).getBytes(StandardCharsets.UTF_8);
            bytes += this.parts[i].length;
        }
        this.fixedBytes = bytes;
    }

    /** A page whose parts are separated by retry-after slots ({@code parts.size() - 1} of them). */
    static PageBody of(List<String> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a page has at least one part");
        }
        return new PageBody(parts);
    }

    /** A page without slots. */
    static PageBody fixed(String html) {
        return new PageBody(Collections.singletonList(html));
    }

    /** How many retry-after slots there are. */
    public int slots() {
        return parts.length - 1;
    }

    /** The length in UTF-8 bytes with {@code retryAfter} (ASCII digits) in every slot. */
    public int length(String retryAfter) {
        return fixedBytes + slots() * retryAfter.length();
    }

    /** Writes the page in UTF-8 with {@code retryAfter} (ASCII digits) in every slot. */
    public void writeTo(OutputStream out, String retryAfter) throws IOException {
        out.write(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            writeAscii(out, retryAfter);
            out.write(parts[i]);
        }
    }

    /** The whole page with one retry-after value; for tests and logs, not the request path. */
    public String withRetryAfter(long seconds) {
        String retryAfter = Long.toString(seconds);
        StringBuilder out = new StringBuilder(fixedBytes + 16);
        out.append(new String(parts[0], StandardCharsets.UTF_8));
        for (int i = 1; i < parts.length; i++) {
            out.append(retryAfter).append(new String(parts[i], StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** Writes ASCII text byte by byte: a few digits, not worth an array. */
    static void writeAscii(OutputStream out, String ascii) throws IOException {
        for (int i = 0; i < ascii.length(); i++) {
            out.write(ascii.charAt(i));
        }
    }

    /** Collects parts while rendering: text goes into the current part, a slot starts the next. */
    static final class Builder {
        private final List<String> parts = new ArrayList<>();
        private final StringBuilder current;

        Builder(int capacity) {
            current = new StringBuilder(capacity);
        }

        Builder append(String text) {
            current.append(text);
            return this;
        }

        Builder append(char c) {
            current.append(c);
            return this;
        }

        /** The place where the retry-after seconds go. */
        Builder retryAfterSlot() {
            parts.add(current.toString());
            current.setLength(0);
            return this;
        }

        PageBody build() {
            List<String> all = new ArrayList<>(parts);
            all.add(current.toString());
            return of(all);
        }
    }
}
