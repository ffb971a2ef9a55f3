package org.maintenancevalve.access;

/**
 * Finds Atlassian's XSRF token parameter {@code atl_token} in a raw query string. Jira and
 * Confluence actions that carry it change data even on GET (workflow transitions, watch and vote
 * links): it is the products' own marker of a change. Looked for the strict way: in any case,
 * literally or percent-encoded character by character ({@code atl%5Ftoken}, {@code %61tl_token}),
 * anywhere in the query (a name, a value, after a {@code ;}): a false alarm refuses a read, a miss
 * would let a change through.
 */
final class XsrfToken {

    private static final String NAME = "atl_token";

    private XsrfToken() {
    }

    /** @param rawQuery the query string as sent, or {@code null} */
    static boolean in(String rawQuery) {
        if (rawQuery == null) {
            return false;
        }
        // The shortest form is the name itself: nothing shorter can hold it.
        for (int i = 0, last = rawQuery.length() - NAME.length(); i <= last; i++) {
            if (startsAt(rawQuery, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsAt(String query, int start) {
        int at = start;
        for (int k = 0; k < NAME.length(); k++) {
            if (at >= query.length()) {
                return false;
            }
            int c = query.charAt(at);
            if (c == '%' && at + 2 < query.length()
                    && HexDigit.valueOf(query.charAt(at + 1)) >= 0 && HexDigit.valueOf(query.charAt(at + 2)) >= 0) {
                c = HexDigit.valueOf(query.charAt(at + 1)) * 16 + HexDigit.valueOf(query.charAt(at + 2));
                at += 3;
            } else {
                at++;
            }
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != NAME.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
