package org.maintenancevalve.response;

import org.maintenancevalve.state.Mode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An admin's own page: HTML with placeholders, filled in once per state change.
 * <ul>
 * <li>{@code {{message}}}: the admin's message, or the default one in the template's language</li>
 * <li>{@code {{until}}}, {@code {{untilIso}}}: the announced end, for people (UTC) and as
 *     ISO-8601; empty when no end is announced</li>
 * <li>{@code {{since}}}, {@code {{sinceIso}}}: when the maintenance began, likewise</li>
 * <li>{@code {{retryAfter}}}: the {@code Retry-After} seconds of the very response (a slot of the
 *     {@link PageBody}, filled per request)</li>
 * <li>{@code {{mode}}}: {@code full} or {@code read-only}; {@code {{lang}}}: the language code</li>
 * </ul>
 * Every value is escaped for HTML, so a placeholder is safe in element content and in quoted
 * attribute values. Where escaping is not enough (an attribute holding a URL, a style or a script,
 * an unquoted value, a {@code <script>}) {@link PlaceholderSafety} refuses the template when it is
 * loaded. Spaces inside the braces are allowed; an unknown placeholder is left as written.
 */
public final class PageTemplate {

    /** Longest name between the braces that is looked at. */
    private static final int MAX_NAME = 32;

    /** The placeholders {@link #render} fills in. */
    private static final Set<String> NAMES = new HashSet<>(Arrays.asList(
            "message", "until", "untilIso", "since", "sinceIso", "mode", "lang", "retryAfter"));

    private PageTemplate() {
    }

    /**
     * Where {@link #render} will put a value: the start and end of each placeholder, found the
     * same way (the first {@code }}} after a {@code {{}, a known name between them).
     */
    static List<int[]> placeholders(String template) {
        List<int[]> found = new ArrayList<>();
        int position = 0;
        while (true) {
            int open = template.indexOf("{{", position);
            if (open < 0) {
                return found;
            }
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                return found;
            }
            if (close - open - 2 <= MAX_NAME && NAMES.contains(template.substring(open + 2, close).trim())) {
                found.add(new int[] {open, close + 2});
                position = close + 2;
            } else {
                position = open + 2;
            }
        }
    }

    /**
     * @param template the template's text
     * @param language the language its fixed texts are in (default message, date format)
     */
    public static PageBody render(String template, int language, Mode mode, String message, Instant since,
            Instant until) {
        PageSentences texts = PageSentences.of(language);
        PageBody.Builder out = new PageBody.Builder(template.length() + 512);
        int position = 0;
        while (true) {
            int open = template.indexOf("{{", position);
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                break;
            }
            if (close - open - 2 > MAX_NAME) {
                out.append(template.substring(position, open + 2));
                position = open + 2;
                continue;
            }
            String name = template.substring(open + 2, close).trim();
            String value;
            switch (name) {
                case "message":
                    value = texts.message(mode, message);
                    break;
                case "until":
                    value = texts.utc(until);
                    break;
                case "untilIso":
                    value = until == null ? "" : until.toString();
                    break;
                case "since":
                    value = texts.utc(since);
                    break;
                case "sinceIso":
                    value = since == null ? "" : since.toString();
                    break;
                case "mode":
                    value = mode.text();
                    break;
                case "lang":
                    value = texts.code();
                    break;
                case "retryAfter":
                    out.append(template.substring(position, open)).retryAfterSlot();
                    position = close + 2;
                    continue;
                default:
                    // Not ours: keep it, and look for the next placeholder right after its "{{".
                    out.append(template.substring(position, open + 2));
                    position = open + 2;
                    continue;
            }
            out.append(template.substring(position, open)).append(Html.escape(value));
            position = close + 2;
        }
        out.append(template.substring(position));
        return out.build();
    }
}
