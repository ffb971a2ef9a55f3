package org.maintenancevalve.access;

/**
 * One view of the path. The rules match the decoded, normalised path Tomcat gives the valve; what
 * runs after the valve (a rewrite filter, a router, a forward) may read the raw URI instead. A
 * request is admitted by its path only when the two are the same text and that text holds
 * nothing any reader could decode or normalise differently: no {@code %} at all, no {@code ;}
 * parameters, no {@code \}, no empty, {@code .} or {@code ..} segments, only plain ASCII. A
 * request that fails this can still pass another way (address, port, bypass, user), never by path.
 */
final class CanonicalPath {

    /**
     * Characters a plain path may hold besides letters and digits: RFC 3986 unreserved ones and
     * the few the products' URLs use ({@code !} in webwork commands, {@code :} in plugin keys,
     * {@code ,} in context batches). No {@code +}, which some decoders read as a space.
     */
    private static final String ALLOWED = "-._~!:,";

    private CanonicalPath() {
    }

    /**
     * @param raw     the path as sent, without the context path ({@code null} when it cannot be known)
     * @param decoded the decoded, normalised path the rules matched
     * @return whether both are the same plain path
     */
    static boolean agrees(String raw, String decoded) {
        return raw != null && raw.equals(decoded) && isPlain(raw);
    }

    /** Whether {@code path} starts with {@code /} and holds no escape, parameter or dot segment. */
    static boolean isPlain(String path) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= length; i++) {
            char c = i < length ? path.charAt(i) : '/';
            if (c == '/') {
                int segment = i - segmentStart;
                if (segment == 0 && i < length) {
                    return false; // "//" (a trailing "/" is an empty last segment, and harmless)
                }
                if (segment == 1 && path.charAt(segmentStart) == '.'
                        || segment == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.') {
                    return false;
                }
                segmentStart = i + 1;
            } else if (!isAllowed(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllowed(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || ALLOWED.indexOf(c) >= 0;
    }
}
