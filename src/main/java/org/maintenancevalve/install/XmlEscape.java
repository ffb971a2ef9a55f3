package org.maintenancevalve.install;

import java.util.Locale;

/**
 * Attribute values as written into server.xml: plain ASCII, whatever the file's encoding, with
 * markup characters, controls and every non-ASCII character as a character reference.
 */
final class XmlEscape {

    private XmlEscape() {
    }

    /** The value, ready to go between double quotes; only ASCII characters. */
    static String attribute(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                default:
                    if (cp < 0x20 || cp >= 0x7f) {
                        out.append("&#x").append(Integer.toHexString(cp).toUpperCase(Locale.ROOT)).append(';');
                    } else {
                        out.append((char) cp);
                    }
            }
        }
        return out.toString();
    }

    /** Resolves the predefined entities and numeric references; anything else is kept as written. */
    static String unescape(String raw) {
        if (raw.indexOf('&') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            int semi = c == '&' ? raw.indexOf(';', i) : -1;
            if (semi < 0) {
                out.append(c);
                i++;
                continue;
            }
            String ref = raw.substring(i + 1, semi);
            String resolved = resolve(ref);
            if (resolved == null) {
                out.append(c);
                i++;
            } else {
                out.append(resolved);
                i = semi + 1;
            }
        }
        return out.toString();
    }

    private static String resolve(String ref) {
        switch (ref) {
            case "amp": return "&";
            case "lt": return "<";
            case "gt": return ">";
            case "quot": return "\"";
            case "apos": return "'";
            default:
                try {
                    if (ref.startsWith("#x")) {
                        return new String(Character.toChars(Integer.parseInt(ref.substring(2), 16)));
                    }
                    if (ref.startsWith("#")) {
                        return new String(Character.toChars(Integer.parseInt(ref.substring(1))));
                    }
                } catch (IllegalArgumentException e) {
                    return null;
                }
                return null;
        }
    }
}
