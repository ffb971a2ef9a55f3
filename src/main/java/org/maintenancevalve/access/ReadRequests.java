package org.maintenancevalve.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Requests that only read although their method is not GET, HEAD or OPTIONS, e.g. Jira's JQL
 * search {@code POST /rest/api/2/search}. Each entry is {@code METHOD /exact/path}: a method
 * token as sent (case matters, as in HTTP) and an exact, plain path relative to the context.
 * Read-only mode lets them through like GETs.
 */
public final class ReadRequests {

    /** None. */
    public static final ReadRequests NONE = new ReadRequests(Collections.<String>emptyList());

    /** "METHOD /path" as given, normalised to one space; for display and equality. */
    private final List<String> entries;
    /** Parallel arrays: looping over them on the request path allocates nothing. */
    private final String[] methods;
    private final String[] paths;

    private ReadRequests(List<String> entries) {
        this.entries = Collections.unmodifiableList(entries);
        this.methods = new String[entries.size()];
        this.paths = new String[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            int space = entry.indexOf(' ');
            methods[i] = entry.substring(0, space);
            paths[i] = entry.substring(space + 1);
        }
    }

    /**
     * @param entries entries such as {@code POST /rest/api/2/search}
     * @throws IllegalArgumentException naming the first entry that is not {@code METHOD /plain/path}
     */
    public static ReadRequests of(List<String> entries) {
        Set<String> parsed = new LinkedHashSet<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            String[] parts = trimmed.split("\\s+");
            if (parts.length != 2 || !isToken(parts[0])) {
                throw new IllegalArgumentException("\"" + trimmed
                        + "\" is not a method and a path separated by one space (e.g. POST /rest/api/2/search)");
            }
            String path = parts[1];
            if (!CanonicalPath.isPlain(path) || path.length() > 1 && path.endsWith("/")) {
                throw new IllegalArgumentException("\"" + trimmed + "\": \"" + path
                        + "\" is not an exact plain path (start with /, no % ; \\ // . .. and no trailing /)");
            }
            parsed.add(parts[0] + " " + path);
        }
        return parsed.isEmpty() ? NONE : new ReadRequests(new ArrayList<>(parsed));
    }

    /** These entries and another's. */
    public ReadRequests plus(ReadRequests other) {
        if (other.entries.isEmpty()) {
            return this;
        }
        if (entries.isEmpty()) {
            return other;
        }
        Set<String> merged = new LinkedHashSet<>(entries);
        merged.addAll(other.entries);
        return new ReadRequests(new ArrayList<>(merged));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** @param path the decoded, normalised path relative to the context */
    public boolean matches(String method, String path) {
        for (int i = 0; i < methods.length; i++) {
            if (methods[i].equals(method) && paths[i].equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** The entries, e.g. {@code [POST /rest/api/2/search]}. */
    public List<String> entries() {
        return entries;
    }

    /** RFC 9110 token characters; a method is one. */
    private static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    @Override
    public String toString() {
        return String.join(", ", entries);
    }
}
