package org.maintenancevalve.access;

/**
 * The static resources a Jira or Confluence login page loads, as a rule that holds for what the
 * application does with the request after the valve:
 * <ul>
 * <li>GET and HEAD only;</li>
 * <li>below one of the static folders ({@code /images/}, {@code /static-assets/},
 *     {@code /download/resources/}, {@code /download/batch/}, {@code /download/contextbatch/}) or
 *     {@code /favicon.ico};</li>
 * <li>the last segment ends in a static file extension ({@code .css}, {@code .js}, {@code .png}...),
 *     never one the application maps to code: Jira runs {@code *.jspa} and Confluence
 *     {@code *.action} in any folder, so {@code /images/x/Dashboard.jspa} is an action;</li>
 * <li>{@code /s/<anything>/_/<rest>}, the products' cache-busting form, only when {@code /<rest>}
 *     is itself such a static path and {@code /_/} occurs once: their UrlRewriteFilter forwards the
 *     request to {@code /<rest>} (a greedy match, so the last {@code /_/} decides), and a forward
 *     never passes the valve again.</li>
 * </ul>
 * Matched on the decoded path; the caller also requires the raw path to be the same
 * ({@link CanonicalPath}). Nothing here allocates.
 */
final class StaticResources {

    /** Folders the products serve static files from (each ends in "/"). */
    private static final String[] FOLDERS = {
        "/images/", "/static-assets/", "/download/resources/", "/download/batch/", "/download/contextbatch/"
    };

    /** Single static files at the root. */
    private static final String[] FILES = {"/favicon.ico"};

    /** The cache-busting prefix the products' rewrite rule forwards from. */
    private static final String FORWARD_PREFIX = "/s/";
    private static final String FORWARD_MARK = "/_/";

    /** Extensions of files a page loads that no servlet container or Atlassian product maps to code. */
    private static final String[] EXTENSIONS = {
        "css", "js", "map", "png", "gif", "jpg", "jpeg", "svg", "ico", "webp", "woff", "woff2", "ttf", "eot", "otf"
    };

    private StaticResources() {
    }

    /**
     * @param method the request's method, as sent
     * @param path   the decoded, normalised path relative to the context
     */
    static boolean admits(String method, String path) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        if (path.startsWith(FORWARD_PREFIX)) {
            // "/s/" + something + "/_/" + rest: the something is not empty, or the path has "//".
            int mark = path.indexOf(FORWARD_MARK, FORWARD_PREFIX.length());
            if (mark < 0 || path.indexOf(FORWARD_MARK, mark + 1) >= 0) {
                return false;
            }
            return isStaticFile(path, mark + FORWARD_MARK.length() - 1);
        }
        return isStaticFile(path, 0);
    }

    /** Whether the part of {@code path} from {@code from} (a "/") on is a static file. */
    private static boolean isStaticFile(String path, int from) {
        boolean inPlace = false;
        for (String file : FILES) {
            if (path.length() - from == file.length() && path.startsWith(file, from)) {
                inPlace = true;
                break;
            }
        }
        if (!inPlace) {
            for (String folder : FOLDERS) {
                if (path.startsWith(folder, from) && path.length() > from + folder.length()) {
                    inPlace = true;
                    break;
                }
            }
        }
        return inPlace && hasStaticExtension(path);
    }

    /** Whether the last segment ends in "." and one of {@link #EXTENSIONS}, exactly (lower case). */
    static boolean hasStaticExtension(String path) {
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return false;
        }
        int length = path.length() - dot - 1;
        for (String extension : EXTENSIONS) {
            if (extension.length() == length && path.startsWith(extension, dot + 1)) {
                return true;
            }
        }
        return false;
    }
}
