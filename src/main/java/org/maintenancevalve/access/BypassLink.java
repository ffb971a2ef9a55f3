package org.maintenancevalve.access;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The bypass link {@code ?maintenance-bypass=<secret>}: finding it in the raw query string (never
 * in a POST body), and the relative {@code Location} to send the browser back to the same path
 * without it, which can never point off-site.
 */
public final class BypassLink {

    /** The query parameter and the cookie share this name. */
    public static final String NAME = "maintenance-bypass";

    private static final String PARAMETER_PREFIX = NAME + "=";

    private BypassLink() {
    }

    /** Cheap test for the request path: could this query hold a bypass link? */
    public static boolean mayHoldLink(String rawQuery) {
        return rawQuery != null && rawQuery.contains(PARAMETER_PREFIX);
    }

    /** @return the decoded value of the bypass parameter, or {@code null} */
    public static String secretIn(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.startsWith(PARAMETER_PREFIX)) {
                try {
                    return URLDecoder.decode(pair.substring(PARAMETER_PREFIX.length()), "UTF-8");
                } catch (IllegalArgumentException | UnsupportedEncodingException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * A relative location: the decoded, normalised path re-encoded (so {@code \} and spaces
     * cannot be read as anything else), with exactly one leading slash (so it can never become
     * {@code //host}), and the other query parameters kept.
     *
     * @param decodedPath the full decoded, normalised request path (with the context path)
     * @param rawQuery    the query string as sent, or {@code null}
     */
    public static String locationWithout(String decodedPath, String rawQuery) {
        StringBuilder location = new StringBuilder("/");
        encodePath(stripLeadingSlashes(decodedPath == null ? "" : decodedPath), location);
        if (rawQuery != null) {
            StringBuilder kept = new StringBuilder();
            for (String pair : rawQuery.split("&", -1)) {
                if (pair.isEmpty() || pair.startsWith(PARAMETER_PREFIX) || pair.equals(NAME)) {
                    continue;
                }
                if (kept.length() > 0) {
                    kept.append('&');
                }
                encodeQueryPart(pair, kept);
            }
            if (kept.length() > 0) {
                location.append('?').append(kept);
            }
        }
        return location.toString();
    }

    /** The cookie path: the context path, or {@code /} for the root context. */
    public static String cookiePath(String contextPath) {
        if (contextPath == null || contextPath.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder("/");
        encodePath(stripLeadingSlashes(contextPath), path);
        return path.toString();
    }

    private static String stripLeadingSlashes(String path) {
        int start = 0;
        while (start < path.length() && (path.charAt(start) == '/' || path.charAt(start) == '\\')) {
            start++;
        }
        return path.substring(start);
    }

    private static void encodePath(String path, StringBuilder out) {
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c) || c == '/') {
                out.append((char) c);
            } else {
                percent(c, out);
            }
        }
    }

    private static void encodeQueryPart(String part, StringBuilder out) {
        for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c) || "%=+,;:@/!$'()*".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                percent(c, out);
            }
        }
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static void percent(int c, StringBuilder out) {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
    }
}
