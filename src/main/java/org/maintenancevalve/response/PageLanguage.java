package org.maintenancevalve.response;

import org.apache.tomcat.util.buf.Ascii;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;

/**
 * The languages the maintenance page speaks, and the choice among them from a request's
 * {@code Accept-Language} header (RFC 9110 section 12.5.4: quality values are honoured,
 * {@code q=0} means "not acceptable", {@code *} stands for any language). A range names one of
 * our languages by its primary subtag: {@code pt-BR} asks for {@code pt}. English is the fallback.
 * <p>
 * The choice is the only language work done per request: one pass over at most
 * {@link #MAX_RANGES} ranges of the header, read as the bytes Tomcat holds: no regular
 * expressions, no Strings.
 */
public final class PageLanguage {

    /** The supported languages as ISO 639-1 codes; the index is a language's number everywhere. */
    private static final String[] CODES = {"en", "de", "fr", "es", "ja", "pt"};

    /** The fallback language's number. */
    public static final int ENGLISH = 0;

    /** Ranges beyond this many are ignored, so a huge header costs no more than a normal one. */
    static final int MAX_RANGES = 32;

    /** Each code's two letters as one number: a range's primary subtag is matched with one comparison. */
    private static final int[] KEYS = new int[CODES.length];

    static {
        // choose() packs 10 bits of quality per language into one long, and compares two-letter keys.
        if (CODES.length > 6) {
            throw new IllegalStateException("PageLanguage.choose packs at most 6 languages");
        }
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i].length() != 2) {
                throw new IllegalStateException("not a two-letter code: " + CODES[i]);
            }
            KEYS[i] = key(CODES[i].charAt(0), CODES[i].charAt(1));
        }
    }

    private PageLanguage() {
    }

    /** How many languages there are. */
    public static int count() {
        return CODES.length;
    }

    /** The ISO 639-1 code of language number {@code language}. */
    public static String code(int language) {
        return CODES[language];
    }

    /** The number of the language with that code (any case), or -1. */
    public static int indexOf(String code) {
        if (code == null) {
            return -1;
        }
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i].equalsIgnoreCase(code)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param acceptLanguage the {@code Accept-Language} header, or {@code null}
     * @return the number of the language to answer in: the acceptable one with the highest
     *         quality (the earlier range wins a tie), or {@link #ENGLISH}
     */
    public static int choose(String acceptLanguage) {
        return choose(HeaderBytes.of(acceptLanguage));
    }

    /**
     * {@link #choose(String)} for the header as Tomcat holds it: read in place, as bytes.
     *
     * @param acceptLanguage the {@code Accept-Language} header, or {@code null}
     */
    public static int choose(MessageBytes acceptLanguage) {
        ByteChunk header = HeaderBytes.of(acceptLanguage);
        if (header == null || header.getLength() == 0) {
            return ENGLISH;
        }
        byte[] text = header.getBuffer();
        int length = header.getEnd();
        // Per language, packed into primitives so that choosing allocates nothing: its highest
        // quality in thousandths (10 bits each in `qualities`), the first range that names it
        // (5 bits each in `firstRanges`: MAX_RANGES is 32), and whether it is named or refused
        // (one bit each).
        long qualities = 0;
        int firstRanges = 0;
        int named = 0;
        int refused = 0;
        int star = -1;
        int start = header.getStart();
        for (int range = 0; range < MAX_RANGES && start < length; range++) {
            int end = indexOf(text, ',', start, length);
            int semicolon = indexOf(text, ';', start, end);
            int q = semicolon < end ? parseQuality(text, semicolon, end) : 1000;
            int tagFrom = skipSpace(text, start, semicolon);
            int tagTo = trimSpace(text, tagFrom, semicolon);
            if (q >= 0 && tagTo > tagFrom) {
                if (tagTo - tagFrom == 1 && text[tagFrom] == '*') {
                    star = Math.max(star, q);
                } else {
                    int primaryTo = tagFrom;
                    while (primaryTo < tagTo && text[primaryTo] != '-' && text[primaryTo] != '_') {
                        primaryTo++;
                    }
                    int language = indexOf(text, tagFrom, primaryTo);
                    if (language >= 0) {
                        int bit = 1 << language;
                        if (q == 0 && primaryTo == tagTo) {
                            refused |= bit;
                        }
                        if ((named & bit) == 0) {
                            named |= bit;
                            firstRanges |= range << (5 * language);
                        }
                        if (q > quality(qualities, language)) {
                            qualities = withQuality(qualities, language, q);
                        }
                    }
                }
            }
            start = end + 1;
        }
        int best = ENGLISH;
        int bestQuality = 0;
        int bestOrder = Integer.MAX_VALUE;
        for (int i = 0; i < CODES.length; i++) {
            int bit = 1 << i;
            int q;
            int order;
            if ((refused & bit) != 0) {
                continue;
            } else if ((named & bit) != 0) {
                q = quality(qualities, i);
                order = (firstRanges >>> (5 * i)) & 31;
            } else if (star > 0) {
                // Only through "*": after every named language of the same quality, in our order.
                q = star;
                order = MAX_RANGES + i;
            } else {
                continue;
            }
            if (q > bestQuality || (q == bestQuality && q > 0 && order < bestOrder)) {
                best = i;
                bestQuality = q;
                bestOrder = order;
            }
        }
        return best;
    }

    private static int quality(long qualities, int language) {
        return (int) (qualities >>> (10 * language)) & 1023;
    }

    private static long withQuality(long qualities, int language, int quality) {
        int shift = 10 * language;
        return (qualities & ~(1023L << shift)) | ((long) quality << shift);
    }

    /** The number of the language whose code is {@code text[from, to)} (any case), or -1. */
    private static int indexOf(byte[] text, int from, int to) {
        if (to - from != 2) {
            return -1;
        }
        // Tomcat's ASCII-only case folding: bytes beyond ASCII stay as they are.
        int key = key(Ascii.toLower(text[from]), Ascii.toLower(text[from + 1]));
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i] == key) {
                return i;
            }
        }
        return -1;
    }

    private static int key(int first, int second) {
        return first << 16 | second;
    }

    /** The position of {@code c} in {@code text[from, to)}, or {@code to}. */
    private static int indexOf(byte[] text, char c, int from, int to) {
        int i = from;
        while (i < to && text[i] != c) {
            i++;
        }
        return i;
    }

    /**
     * The {@code q} parameter among the parameters in {@code text[from, to)} (which starts at a
     * {@code ;}), in thousandths: 1000 when there is none, -1 when it is malformed.
     */
    private static int parseQuality(byte[] text, int from, int to) {
        int i = from;
        while (i < to) {
            // i is at a ';'
            int paramFrom = skipSpace(text, i + 1, to);
            int paramTo = indexOf(text, ';', paramFrom, to);
            int trimmed = trimSpace(text, paramFrom, paramTo);
            if (trimmed - paramFrom >= 2 && (text[paramFrom] == 'q' || text[paramFrom] == 'Q')) {
                int eq = skipSpace(text, paramFrom + 1, trimmed);
                if (eq < trimmed && text[eq] == '=') {
                    return parseQValue(text, skipSpace(text, eq + 1, trimmed), trimmed);
                }
            }
            i = paramTo;
        }
        return 1000;
    }

    /** {@code 0[.ddd]} or {@code 1[.000]} in thousandths, or -1. */
    private static int parseQValue(byte[] text, int from, int to) {
        if (from >= to) {
            return -1;
        }
        byte first = text[from];
        if (first != '0' && first != '1') {
            return -1;
        }
        int value = (first - '0') * 1000;
        if (from + 1 < to) {
            if (text[from + 1] != '.' || to - (from + 2) > 3) {
                return -1;
            }
            int scale = 100;
            for (int i = from + 2; i < to; i++) {
                byte c = text[i];
                if (c < '0' || c > '9') {
                    return -1;
                }
                value += (c - '0') * scale;
                scale /= 10;
            }
        }
        return value <= 1000 ? value : -1;
    }

    private static int skipSpace(byte[] text, int from, int to) {
        while (from < to && (text[from] == ' ' || text[from] == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpace(byte[] text, int from, int to) {
        while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\t')) {
            to--;
        }
        return to;
    }
}
