package org.maintenancevalve.access;

import org.maintenancevalve.state.AuditLine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Paths that pass during maintenance. An entry ending in {@code /} is a prefix of whole segments
 * ({@code /s/} matches {@code /s/x.css}, not {@code /sx}); any other entry is an exact path.
 * Matched on the decoded, normalised path relative to the context, as Tomcat gives it, so
 * {@code ;params}, {@code %2e} and {@code /../} tricks have already been resolved; the policy
 * admits by path only when the raw path is that same text ({@link CanonicalPath}).
 */
public final class PathRule {

    /** Allows no path. */
    public static final PathRule NONE = new PathRule(Collections.<String>emptySet(), Collections.<String>emptyList());

    private final Set<String> exact;
    private final List<String> prefixes;
    /** The same, as an array: looping over it allocates no iterator on the request path. */
    private final String[] prefixArray;

    private PathRule(Set<String> exact, List<String> prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
        this.prefixArray = prefixes.toArray(new String[0]);
    }

    /**
     * @throws IllegalArgumentException naming an entry that is not an absolute, normalised path
     */
    public static PathRule of(List<String> entries) {
        Set<String> exact = new LinkedHashSet<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : entries) {
            String path = entry.trim();
            if (path.isEmpty()) {
                continue;
            }
            if (!path.startsWith("/") || path.contains("//") || path.contains("/./") || path.contains("/../")
                    || path.endsWith("/.") || path.endsWith("/..") || path.contains(";") || path.contains("%")
                    || path.contains("\\") || path.contains("?") || path.contains("#")) {
                throw new IllegalArgumentException(AuditLine.quote(entry.trim())
                        + " is not a plain absolute path (start with /, no ; % \\ ? # // . or ..)");
            }
            if (path.endsWith("/") && path.length() > 1) {
                prefixes.add(path);
            } else {
                exact.add(path);
            }
        }
        if (exact.isEmpty() && prefixes.isEmpty()) {
            return NONE;
        }
        return new PathRule(Collections.unmodifiableSet(exact), Collections.unmodifiableList(prefixes));
    }

    /** This rule plus another's entries. */
    public PathRule plus(PathRule other) {
        Set<String> mergedExact = new LinkedHashSet<>(exact);
        mergedExact.addAll(other.exact);
        List<String> mergedPrefixes = new ArrayList<>(prefixes);
        mergedPrefixes.addAll(other.prefixes);
        return new PathRule(Collections.unmodifiableSet(mergedExact), Collections.unmodifiableList(mergedPrefixes));
    }

    public boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    /** @param path the decoded, normalised path relative to the context */
    public boolean matches(String path) {
        if (path == null) {
            return false;
        }
        if (exact.contains(path)) {
            return true;
        }
        for (String prefix : prefixArray) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(exact);
        all.addAll(prefixes);
        return String.join(", ", all);
    }
}
