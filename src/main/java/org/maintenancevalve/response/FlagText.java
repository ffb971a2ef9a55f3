package org.maintenancevalve.response;

/** Clean-up of texts from the flag file before they are placed in a page. */
final class FlagText {

    private FlagText() {
    }

    /**
     * Line breaks become {@code \n} (CR LF and a lone CR included); other control characters
     * except tab are dropped. The result still needs {@link Html#escape(String)}.
     */
    static String normalize(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean keep = c >= 0x20 && c != 0x7f || c == '\n' || c == '\t';
            if (keep && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(length).append(text, 0, i);
            }
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < length && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (keep) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
