package org.maintenancevalve.banner;

/**
 * The {@code bannerPath} attribute's value: {@code off}, or the path under each context where the
 * valve answers {@code status.json} and {@code banner.js}. Parsed here, without Tomcat (the
 * command line's {@code check} and the installer parse it too, through {@code ValveAttributes});
 * {@link BannerPath} matches requests against what this accepts.
 */
public final class BannerPrefix {

    /** The attribute's default. */
    public static final String DEFAULT = "/maintenance-valve/";

    /** The value that turns both endpoints off. */
    public static final String OFF = "off";

    private static final int MAX_LENGTH = 200;

    private BannerPrefix() {
    }

    /**
     * @param value {@code off} (any case), or a path that starts and ends with {@code /} and holds
     *              only letters, digits, {@code - . _ ~} in its segments ({@code /maintenance-valve/},
     *              {@code /ops/mv/}, {@code /}); blanks around it are ignored
     * @return {@link #OFF} or the path
     * @throws IllegalArgumentException with the rule, for the admin
     */
    public static String parse(String value) {
        String text = value == null ? "" : value.trim();
        if (OFF.equalsIgnoreCase(text)) {
            return OFF;
        }
        if (!isPlainPath(text)) {
            throw new IllegalArgumentException("must be \"" + OFF + "\" or a path that starts and ends with /"
                    + " and holds only letters, digits, - . _ ~ in its segments, like " + DEFAULT);
        }
        return text;
    }

    private static boolean isPlainPath(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH || text.charAt(0) != '/'
                || text.charAt(text.length() - 1) != '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/') {
                String segment = text.substring(segmentStart, i);
                // Tomcat normalises the URI: "//", "." and ".." never arrive, so they could never match.
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~')) {
                return false;
            }
        }
        return true;
    }
}
