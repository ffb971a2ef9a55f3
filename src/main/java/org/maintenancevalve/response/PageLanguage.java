package org.maintenancevalve.response;

/**
 * The languages the maintenance page speaks, and the choice among them from a request's
 * {@code Accept-Language} header (RFC 9110 section 12.5.4: quality values are honoured,
 * {@code q=0} means "not acceptable", {@code *} stands for any language). A range names one of
 * our languages by its primary subtag: {@code pt-BR} asks for {@code pt}. English is the fallback.
 * <p>
 * The choice is the only language work done per request: one pass over at most
 * {@link #MAX_RANGES} ranges of the header, no regular expressions, no substrings.
 */
public final class PageLanguage {

    /** The supported languages as ISO 639-1 codes; the index is a language's number everywhere. */
    private static final String[] CODES = {"en", "de", "fr", "es", "ja", "pt"};

    /** The fallback language's number. */
    public static final int ENGLISH = 0;

    /** Ranges beyond this many are ignored, so a huge header costs no more than a normal one. */
    static final int MAX_RANGES = 32;

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
        if (acceptLanguage == null || acceptLanguage.isEmpty()) {
            return ENGLISH;
        }
        int n = CODES.length;
        // Qualities in thousandths (RFC 9110 allows three decimals); -1 = not named.
        int[] quality = new int[n];
        int[] firstNamed = new int[n];
        boolean[] refused = new boolean[n];
        for (int i = 0; i < n; i++) {
            quality[i] = -1;
        }
        int star = -1;
        int length = acceptLanguage.length();
        int start = 0;
        for (int range = 0; range < MAX_RANGES && start < length; range++) {
            int end = acceptLanguage.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int semicolon = acceptLanguage.indexOf(';', start);
            int tagEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
            int q = tagEnd < end ? parseQuality(acceptLanguage, tagEnd, end) : 1000;
            int tagFrom = skipSpace(acceptLanguage, start, tagEnd);
            int tagTo = trimSpace(acceptLanguage, tagFrom, tagEnd);
            if (q >= 0 && tagTo > tagFrom) {
                if (tagTo - tagFrom == 1 && acceptLanguage.charAt(tagFrom) == '*') {
                    star = Math.max(star, q);
                } else {
                    int primaryTo = tagFrom;
                    while (primaryTo < tagTo && acceptLanguage.charAt(primaryTo) != '-'
                            && acceptLanguage.charAt(primaryTo) != '_') {
                        primaryTo++;
                    }
                    int language = indexOf(acceptLanguage, tagFrom, primaryTo);
                    if (language >= 0) {
                        if (q == 0 && primaryTo == tagTo) {
                            refused[language] = true;
                        }
                        if (quality[language] < 0) {
                            firstNamed[language] = range;
                        }
                        quality[language] = Math.max(quality[language], q);
                    }
                }
            }
            start = end + 1;
        }
        int best = ENGLISH;
        int bestQuality = 0;
        int bestOrder = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            int q;
            int order;
            if (refused[i]) {
                continue;
            } else if (quality[i] >= 0) {
                q = quality[i];
                order = firstNamed[i];
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

    private static int indexOf(String text, int from, int to) {
        int length = to - from;
        for (int i = 0; i < CODES.length; i++) {
            if (CODES[i].length() == length && CODES[i].regionMatches(true, 0, text, from, length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The {@code q} parameter among the parameters in {@code text[from, to)} (which starts at a
     * {@code ;}), in thousandths: 1000 when there is none, -1 when it is malformed.
     */
    private static int parseQuality(String text, int from, int to) {
        int i = from;
        while (i < to) {
            // i is at a ';'
            int paramFrom = skipSpace(text, i + 1, to);
            int paramTo = text.indexOf(';', paramFrom);
            if (paramTo < 0 || paramTo > to) {
                paramTo = to;
            }
            int trimmed = trimSpace(text, paramFrom, paramTo);
            if (trimmed - paramFrom >= 2 && (text.charAt(paramFrom) == 'q' || text.charAt(paramFrom) == 'Q')) {
                int eq = skipSpace(text, paramFrom + 1, trimmed);
                if (eq < trimmed && text.charAt(eq) == '=') {
                    return parseQValue(text, skipSpace(text, eq + 1, trimmed), trimmed);
                }
            }
            i = paramTo;
        }
        return 1000;
    }

    /** {@code 0[.ddd]} or {@code 1[.000]} in thousandths, or -1. */
    private static int parseQValue(String text, int from, int to) {
        if (from >= to) {
            return -1;
        }
        char first = text.charAt(from);
        if (first != '0' && first != '1') {
            return -1;
        }
        int value = (first - '0') * 1000;
        if (from + 1 < to) {
            if (text.charAt(from + 1) != '.' || to - (from + 2) > 3) {
                return -1;
            }
            int scale = 100;
            for (int i = from + 2; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value += (c - '0') * scale;
                scale /= 10;
            }
        }
        return value <= 1000 ? value : -1;
    }

    private static int skipSpace(String text, int from, int to) {
        while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimSpace(String text, int from, int to) {
        while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }
}
