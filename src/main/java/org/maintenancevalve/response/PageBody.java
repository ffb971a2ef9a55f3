package org.maintenancevalve.response;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A rendered HTML page with slots for the one value that changes per request, the
 * {@code Retry-After} seconds: fixed text, slot, fixed text, ... Rendered once per state change;
 * per request only the number is written between the parts (as {@link JsonBody} does for JSON).
 */
public final class PageBody {

    private final String[] parts;
    private final int fixedBytes;

    private PageBody(List<String> parts) {
        this.parts = parts.toArray(new String[0]);
        int bytes = 0;
        for (String part : this.parts) {
            bytes += part.getBytes(StandardCharsets.UTF_8).length;
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

    /** Writes the page with {@code retryAfter} in every slot. */
    public void writeTo(Writer writer, String retryAfter) throws IOException {
        writer.write(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            writer.write(retryAfter);
            writer.write(parts[i]);
        }
    }

    /** The whole page with one retry-after value; for tests and logs, not the request path. */
    public String withRetryAfter(long seconds) {
        String retryAfter = Long.toString(seconds);
        StringBuilder out = new StringBuilder(fixedBytes + 16);
        out.append(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            out.append(retryAfter).append(parts[i]);
        }
        return out.toString();
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
