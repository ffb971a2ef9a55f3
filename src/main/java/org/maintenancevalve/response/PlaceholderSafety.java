package org.maintenancevalve.response;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds a placeholder in an admin's page template where HTML escaping cannot make its value safe:
 * in an attribute that holds a URL, a style, a document or a script ({@code href}, {@code src},
 * {@code action}, {@code formaction}, {@code style}, {@code on*} and their kin: an escaped value
 * still becomes {@code javascript:...} or {@code url(...)} there), in an unquoted attribute value or
 * anywhere else inside a tag (spaces and {@code =} are not escaped), and in the content of a
 * {@code <script>} or {@code <style>} element. Placeholders in text and in other quoted attribute
 * values are fine. A template with an unsafe one is refused when it is loaded.
 * <p>
 * A small scanner of HTML's tag syntax, not a parser: it needs only to tell text, tags, attributes
 * and the raw text of script and style apart, and it errs on the side of refusing.
 */
final class PlaceholderSafety {

    /** Attributes whose value is a URL, a style, a document or a script. */
    private static final Set<String> UNSAFE_ATTRIBUTES = new HashSet<>(Arrays.asList(
            "href", "src", "srcset", "action", "formaction", "style", "srcdoc", "xlink:href", "poster", "data",
            "cite", "background", "ping", "lowsrc", "dynsrc", "manifest", "codebase", "longdesc", "usemap", "icon",
            "archive", "classid", "profile", "itemtype"));
    /** SVG animation elements: their {@code to}, {@code from}, {@code by}, {@code values} can set an href. */
    private static final Set<String> ANIMATION_ELEMENTS = new HashSet<>(Arrays.asList(
            "animate", "set", "animatemotion", "animatetransform"));
    private static final Set<String> ANIMATION_VALUES = new HashSet<>(Arrays.asList("to", "from", "by", "values"));

    private PlaceholderSafety() {
    }

    /**
     * @return where and which placeholder is unsafe, e.g. {@code line 12: {{message}} in the href
     *         attribute of <a>}; {@code null} when every placeholder is where escaping makes it safe
     */
    static String unsafePlaceholder(String template) {
        List<int[]> placeholders = PageTemplate.placeholders(template);
        if (placeholders.isEmpty()) {
            return null;
        }
        List<Region> unsafe = unsafeRegions(template);
        for (int[] placeholder : placeholders) {
            for (Region region : unsafe) {
                if (placeholder[0] < region.end && region.start < placeholder[1]) {
                    return "line " + lineOf(template, placeholder[0]) + ": "
                            + template.substring(placeholder[0], placeholder[1]) + " " + region.where;
                }
            }
        }
        return null;
    }

    /** A stretch of the template where no placeholder may be, and how to say where it is. */
    private static final class Region {
        final int start;
        final int end;
        final String where;

        Region(int start, int end, String where) {
            this.start = start;
            this.end = end;
            this.where = where;
        }
    }

    /**
     * Elements whose content is text up to their end tag in an HTML document, but markup inside
     * {@code <svg>} or {@code <math>} (and {@code <noscript>} with scripting off).
     */
    private static final Set<String> TEXT_ELEMENTS = new HashSet<>(Arrays.asList(
            "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript"));
    /** More places read in two ways than this, and the template is refused: no page needs that many. */
    static final int MAX_TWO_WAYS = 100;

    /**
     * Every tag, less its quoted attribute values that are safe; the raw text of script and style;
     * declarations and processing instructions. Text and comments are safe.
     * <p>
     * Where a browser reads the same characters in two ways (the content of the elements above,
     * of script and style, a CDATA section: HTML or SVG/MathML decides), every reading is scanned
     * and a placeholder must be safe in all of them. A reading stops where it meets a position
     * another one has scanned from: from there on they are the same.
     */
    private static List<Region> unsafeRegions(String template) {
        List<Region> regions = new ArrayList<>();
        Set<Integer> scanned = new HashSet<>();
        Deque<Integer> readings = new ArrayDeque<>();
        readings.add(0);
        int[] twoWays = {0};
        String lower = asciiLowerCase(template);
        while (!readings.isEmpty()) {
            if (!scan(template, lower, readings.poll(), regions, scanned, readings, twoWays)) {
                // Each costs a search to the end of the template: refuse rather than take long.
                regions.add(new Region(0, template.length(), "in a template with more than " + MAX_TWO_WAYS
                        + " script, style, title, textarea, xmp, iframe, noembed, noframes, noscript elements"
                        + " and CDATA sections, too many to check"));
                break;
            }
        }
        return regions;
    }

    /** @return false when the template has more than {@link #MAX_TWO_WAYS} places read in two ways */
    private static boolean scan(String template, String lower, int from, List<Region> regions, Set<Integer> scanned,
            Deque<Integer> readings, int[] twoWays) {
        int n = template.length();
        int i = from;
        while (i < n) {
            int lt = template.indexOf('<', i);
            if (lt < 0) {
                break; // text to the end
            }
            if (!scanned.add(lt)) {
                break; // another reading went on from here
            }
            if (template.startsWith("<!--", lt)) {
                i = commentEnd(template, lt + 4);
                continue;
            }
            char next = lt + 1 < n ? template.charAt(lt + 1) : 0;
            if (next == '!' || next == '?') {
                if (template.startsWith("<![CDATA[", lt)) {
                    if (++twoWays[0] > MAX_TWO_WAYS) {
                        return false;
                    }
                    // In SVG or MathML a CDATA section ends at "]]>", not at the first '>'.
                    int cdataEnd = template.indexOf("]]>", lt);
                    if (cdataEnd >= 0) {
                        readings.add(cdataEnd + 3);
                    }
                }
                int end = template.indexOf('>', lt);
                i = end < 0 ? n : end + 1;
                regions.add(new Region(lt, i, "inside <" + next + "...>"));
                continue;
            }
            boolean closing = next == '/';
            int nameStart = lt + (closing ? 2 : 1);
            if (nameStart >= n || !isAsciiLetter(template.charAt(nameStart))) {
                i = lt + 1; // a '<' that starts no tag is text
                continue;
            }
            int p = nameStart;
            while (p < n && !isSpace(template.charAt(p)) && template.charAt(p) != '/' && template.charAt(p) != '>') {
                p++;
            }
            String tag = template.substring(nameStart, p).toLowerCase(Locale.ROOT);
            i = tag(template, lt, p, tag, regions);
            if (closing) {
                continue;
            }
            boolean rawText = tag.equals("script") || tag.equals("style");
            if ((rawText || TEXT_ELEMENTS.contains(tag)) && ++twoWays[0] > MAX_TWO_WAYS) {
                return false;
            }
            if (rawText) {
                readings.add(i); // inside <svg> or <math>: markup
                int end = endTag(lower, tag, i);
                int stop = end < 0 ? n : end;
                int comment = template.indexOf("<!--", i);
                int inner = comment < 0 ? -1 : lower.indexOf("<script", comment);
                if (tag.equals("script") && comment >= 0 && comment < stop && inner >= 0 && inner < stop) {
                    // "<!--" and "<script" in a script let its first end tag end something else.
                    stop = n;
                }
                regions.add(new Region(i, stop, "inside <" + tag + ">"));
                i = stop;
            } else if (TEXT_ELEMENTS.contains(tag)) {
                int end = endTag(lower, tag, i);
                if (end >= 0) {
                    readings.add(end); // in HTML: text up to the end tag
                }
            }
        }
        return true;
    }

    /**
     * Where the end tag of {@code tag} that a browser sees in raw text is, from {@code from}; -1 if
     * none. Browsers compare tag names in ASCII only: {@code </\u017Fcript>} ends no script.
     */
    private static int endTag(String lower, String tag, int from) {
        String needle = "</" + tag;
        for (int end = lower.indexOf(needle, from); end >= 0; end = lower.indexOf(needle, end + 1)) {
            int after = end + needle.length();
            if (after == lower.length() || isSpace(lower.charAt(after)) || "/>".indexOf(lower.charAt(after)) >= 0) {
                return end;
            }
        }
        return -1;
    }

    /** The text with A-Z as a-z and every other character as it is (the same length, unlike toLowerCase). */
    private static String asciiLowerCase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] += 'a' - 'A';
            }
        }
        return new String(chars);
    }

    /**
     * Adds the unsafe regions of the tag that starts at {@code lt} (its name read up to {@code p}).
     *
     * @return the position after the tag
     */
    private static int tag(String template, int lt, int p, String tag, List<Region> regions) {
        int n = template.length();
        String insideTag = "inside the tag <" + tag + ">, not in a quoted attribute value";
        int pieceStart = lt;
        boolean httpEquiv = false;
        Region metaContent = null;
        while (p < n) {
            char c = template.charAt(p);
            if (isSpace(c) || c == '/') {
                p++;
                continue;
            }
            if (c == '>') {
                p++;
                break;
            }
            int nameStart = p;
            p++; // the first character belongs to the name, even a '='
            while (p < n && !isSpace(template.charAt(p)) && "=>/".indexOf(template.charAt(p)) < 0) {
                p++;
            }
            String name = template.substring(nameStart, p).toLowerCase(Locale.ROOT);
            httpEquiv |= name.equals("http-equiv");
            int q = p;
            while (q < n && isSpace(template.charAt(q))) {
                q++;
            }
            if (q >= n || template.charAt(q) != '=') {
                continue;
            }
            q++;
            while (q < n && isSpace(template.charAt(q))) {
                q++;
            }
            if (q >= n || (template.charAt(q) != '"' && template.charAt(q) != '\'')) {
                // An unquoted value: part of the unsafe rest of the tag.
                while (q < n && !isSpace(template.charAt(q)) && template.charAt(q) != '>') {
                    q++;
                }
                p = q;
                continue;
            }
            int valueStart = q + 1;
            int close = template.indexOf(template.charAt(q), valueStart);
            int valueEnd = close < 0 ? n : close;
            regions.add(new Region(pieceStart, valueStart, insideTag));
            if (isUnsafe(tag, name)) {
                regions.add(new Region(valueStart, valueEnd, "in the " + name + " attribute of <" + tag + ">"));
            } else if (tag.equals("meta") && name.equals("content")) {
                // <meta http-equiv="refresh" content="0;url=...">: known only once the whole tag is read.
                metaContent = new Region(valueStart, valueEnd, "in the content attribute of <meta http-equiv>");
            }
            pieceStart = valueEnd;
            p = close < 0 ? n : close + 1;
        }
        regions.add(new Region(pieceStart, p, insideTag));
        if (httpEquiv && metaContent != null) {
            regions.add(metaContent);
        }
        return p;
    }

    /**
     * Where a browser ends the comment whose text starts at {@code from}: after {@code -->} or
     * {@code --!>}, or at once after {@code <!-->} and {@code <!--->} (an empty comment, not the
     * start of a longer one).
     */
    private static int commentEnd(String template, int from) {
        if (template.startsWith(">", from)) {
            return from + 1;
        }
        if (template.startsWith("->", from)) {
            return from + 2;
        }
        for (int dashes = template.indexOf("--", from); dashes >= 0; dashes = template.indexOf("--", dashes + 1)) {
            if (template.startsWith("-->", dashes)) {
                return dashes + 3;
            }
            if (template.startsWith("--!>", dashes)) {
                return dashes + 4;
            }
        }
        return template.length();
    }

    private static boolean isUnsafe(String tag, String attribute) {
        return attribute.startsWith("on") || UNSAFE_ATTRIBUTES.contains(attribute)
                || ANIMATION_ELEMENTS.contains(tag) && ANIMATION_VALUES.contains(attribute);
    }

    private static int lineOf(String template, int position) {
        int line = 1;
        for (int i = 0; i < position; i++) {
            if (template.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
