package org.maintenancevalve.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What an Atlassian product needs during maintenance: the health check and the login endpoints
 * (exact paths, each with the methods it needs), its static resources ({@link StaticResources}:
 * GET and HEAD of static files only), and, for read-only mode, the POSTs its pages send that only
 * read ({@link #reads()}).
 */
public enum Preset {
    /** Adds nothing. */
    NONE(Collections.<String>emptyList(), Collections.<String>emptyList()),
    /** Jira: {@code /status}, {@code /login.jsp}, REST and gadget login, static resources. */
    JIRA(Arrays.asList(
            "GET HEAD /status",
            "GET HEAD POST /login.jsp",
            "GET HEAD POST /rest/auth/1/session",
            "GET HEAD POST /rest/gadget/1.0/login"),
        Arrays.asList(
            // Jira REST API reference (Server/DC), "Search for issues using JQL (POST)": /rest/api/2/search.
            "POST /rest/api/2/search",
            // The same resource: "latest" names the current API version (Jira REST API reference, URI structure).
            "POST /rest/api/latest/search",
            // Issue navigator table: Atlassian's dc-app-performance-toolkit, jira/http_actions.py, search_jql (340).
            "POST /rest/issueNav/1/issueTable",
            // The navigator's stable-order table: the same search_jql (345).
            "POST /rest/issueNav/1/issueTable/stable",
            // The navigator's JQL query component: the same search_jql (350).
            "POST /secure/QueryComponent!Jql.jspa",
            // The navigator's "order by" options: the same search_jql (355).
            "POST /rest/orderbycomponent/latest/orderByOptions/primary",
            // An issue opened in the navigator's split view: the same search_jql (360).
            "POST /secure/AjaxIssueAction!default.jspa",
            // The web-resource loader that pages fetch their scripts through: the toolkit's jira/http_actions.py.
            "POST /rest/webResources/1.0/resources")),
    /** Confluence: {@code /status}, {@code /login.action}, {@code /dologin.action}, REST login, static resources. */
    CONFLUENCE(Arrays.asList(
            "GET HEAD /status",
            "GET HEAD POST /login.action",
            "GET HEAD POST /dologin.action",
            "GET HEAD POST /rest/auth/1/session"),
        Arrays.asList(
            // The web-resource loader every page uses (view, dashboard, blog): the toolkit's
            // app/locustio/confluence/http_actions.py, view_page (110). Confluence searches with GET.
            "POST /rest/webResources/1.0/resources"));

    private final List<String> endpointEntries;
    /** Exact paths and, at the same index, the methods each allows. */
    private final String[] endpointPaths;
    private final String[][] endpointMethods;
    private final ReadRequests reads;

    Preset(List<String> endpoints, List<String> reads) {
        this.endpointEntries = Collections.unmodifiableList(endpoints);
        this.endpointPaths = new String[endpoints.size()];
        this.endpointMethods = new String[endpoints.size()][];
        for (int i = 0; i < endpoints.size(); i++) {
            List<String> words = new ArrayList<>(Arrays.asList(endpoints.get(i).split(" ")));
            endpointPaths[i] = words.remove(words.size() - 1);
            endpointMethods[i] = words.toArray(new String[0]);
        }
        this.reads = ReadRequests.of(reads);
    }

    /**
     * Whether this preset lets the request through by its path: an endpoint with one of its
     * methods, or a static resource. The caller checks that the raw path agrees.
     *
     * @param path the decoded, normalised path relative to the context
     */
    public boolean admits(String method, String path) {
        if (this == NONE) {
            return false;
        }
        for (int i = 0; i < endpointPaths.length; i++) {
            if (endpointPaths[i].equals(path)) {
                for (String allowed : endpointMethods[i]) {
                    if (allowed.equals(method)) {
                        return true;
                    }
                }
                return false;
            }
        }
        return StaticResources.admits(method, path);
    }

    /** The exact endpoints as {@code "GET HEAD /status"}, for documentation and tests. */
    public List<String> endpoints() {
        return endpointEntries;
    }

    /** The requests this product's pages send that only read although they are not GETs. */
    public ReadRequests reads() {
        return reads;
    }

    /** @throws IllegalArgumentException for a name other than none, jira or confluence */
    public static Preset named(String name) {
        String trimmed = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Preset preset : values()) {
            if (preset.name().toLowerCase(Locale.ROOT).equals(trimmed)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("must be none, jira or confluence");
    }
}
