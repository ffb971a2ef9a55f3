package org.maintenancevalve.response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A rendered HTML page with slots for the one value that changes per request, the
 * {@code Retry-After} seconds. Rendered once per state change; per request only the number is
 * written into the slots (as {@link JsonBody} does for JSON).
 * <p>
 * The page is held as pieces of UTF-8 bytes, so a request costs a copy of bytes, not an encoding.
 * The pieces every page has in common (the style sheet, the script) are {@link Constant}s: one
 * array, shared by the pages of all languages, so six languages do not cost six copies.
 */
public final class PageBody {

    /** Marks a retry-after slot among the pieces (compared by identity). */
    private static final byte[] SLOT = new byte[0];

    private final byte[][] pieces;
    private final int fixedBytes;
    private final int slots;
    private final int ownBytes;

    private PageBody(List<byte[]> pieces, int ownBytes) {
        this.pieces = pieces.toArray(new byte[0][]);
        this.ownBytes = ownBytes;
        int bytes = 0;
        int slotCount = 0;
        for (byte[] piece : this.pieces) {
            if (piece == SLOT) {
                slotCount++;
            } else {
                bytes += piece.length;
            }
        }
        this.fixedBytes = bytes;
        this.slots = slotCount;
    }

    /** How many retry-after slots there are. */
    public int slots() {
        return slots;
    }

    /** The length in UTF-8 bytes with {@code retryAfter} (ASCII digits) in every slot. */
    public int length(String retryAfter) {
        return fixedBytes + slots * retryAfter.length();
    }

    /** Writes the page in UTF-8 with {@code retryAfter} (ASCII digits) in every slot. */
    public void writeTo(OutputStream out, String retryAfter) throws IOException {
        for (byte[] piece : pieces) {
            if (piece == SLOT) {
                writeAscii(out, retryAfter);
            } else {
                out.write(piece);
            }
        }
    }

    /** The whole page with one retry-after value; for tests and logs, not the request path. */
    public String withRetryAfter(long seconds) {
        String retryAfter = Long.toString(seconds);
        StringBuilder out = new StringBuilder(fixedBytes + 16);
        for (byte[] piece : pieces) {
            out.append(piece == SLOT ? retryAfter : new String(piece, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** The bytes this page holds that are its own, not shared {@link Constant}s (for tests). */
    int ownBytes() {
        return ownBytes;
    }

    /** Writes ASCII text byte by byte: a few digits, not worth an array. */
    static void writeAscii(OutputStream out, String ascii) throws IOException {
        for (int i = 0; i < ascii.length(); i++) {
            out.write(ascii.charAt(i));
        }
    }

    /** Text every page has in common, encoded once and shared by all pages that contain it. */
    static final class Constant {
        private final byte[] bytes;

        Constant(String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Collects pieces while rendering: text goes into the current piece; a slot or a constant ends it. */
    static final class Builder {
        private final List<byte[]> pieces = new ArrayList<>();
        private final StringBuilder current;
        private int ownBytes;

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

        /** Text every page has in common: the constant's shared bytes, not a copy. */
        Builder append(Constant constant) {
            endPiece();
            pieces.add(constant.bytes);
            return this;
        }

        /** The place where the retry-after seconds go. */
        Builder retryAfterSlot() {
            endPiece();
            pieces.add(SLOT);
            return this;
        }

        PageBody build() {
            endPiece();
            return new PageBody(pieces, ownBytes);
        }

        private void endPiece() {
            if (current.length() > 0) {
                byte[] piece = current.toString().getBytes(StandardCharsets.UTF_8);
                pieces.add(piece);
                ownBytes += piece.length;
                current.setLength(0);
            }
        }
    }
}
