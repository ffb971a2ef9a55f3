package org.maintenancevalve.access;

/**
 * What read-only mode lets through: requests that change nothing. A request is a read when
 * <ul>
 * <li>its method is GET, HEAD or OPTIONS and it carries no input beyond its URL: no body
 *     ({@code Content-Length} above 0, any {@code Transfer-Encoding}, an HTTP/2 stream left open)
 *     and no {@code Content-Type}; or it is one of the named reads ({@code METHOD /path}, the
 *     preset's and the admin's {@code readOnlyReads}, which may carry bodies), on a path whose raw
 *     form is the same ({@link CanonicalPath}). A body or a content type on a GET is input the
 *     query check never sees: Tomcat's {@code useBodyEncodingForURI} (Jira sets it) decodes the
 *     query in the content type's charset, multipart and form parsers read the body whatever the
 *     method, and an {@code atl_token} can hide in either. This holds with and without a preset:
 *     any application may act on a body;</li>
 * <li>it asks for no protocol upgrade ({@code Upgrade}, {@code Connection: upgrade},
 *     {@code HTTP2-Settings}): a WebSocket is a GET that opens a two-way channel, and Confluence's
 *     collaborative editor saves through one;</li>
 * <li>with an Atlassian preset: it carries no {@code atl_token} in its query ({@link XsrfToken}),
 *     and a GET, HEAD or OPTIONS carries no {@code X-Atlassian-Token} header (Atlassian's
 *     documented way for scripts to skip the token check on a change).</li>
 * </ul>
 */
final class ReadOnlyRule {

    /** The header with which Atlassian products let a client skip the XSRF token check. */
    static final String ATLASSIAN_TOKEN_HEADER = "X-Atlassian-Token";

    private final ReadRequests namedReads;
    private final boolean atlassian;

    /**
     * @param namedReads requests that read although their method is not GET, HEAD or OPTIONS
     * @param atlassian  whether the application is an Atlassian product (a preset is set)
     */
    ReadOnlyRule(ReadRequests namedReads, boolean atlassian) {
        this.namedReads = namedReads;
        this.atlassian = atlassian;
    }

    boolean admits(RequestFacts request) {
        String method = request.method();
        if (isSafe(method) && !carriesInput(request)) {
            if (atlassian && request.hasHeader(ATLASSIAN_TOKEN_HEADER)) {
                return false;
            }
        } else {
            String path = request.path();
            if (!namedReads.matches(method, path) || !CanonicalPath.agrees(request.rawPath(), path)) {
                return false;
            }
        }
        if (asksForUpgrade(request)) {
            return false;
        }
        return !atlassian || !XsrfToken.in(request.rawQuery());
    }

    /**
     * Whether the request carries input besides its URL and headers: a body, or a
     * {@code Content-Type} (with {@code useBodyEncodingForURI} it alone changes how the query is
     * decoded). A {@code Content-Length: 0} without a content type is no input.
     */
    static boolean carriesInput(RequestFacts request) {
        return request.carriesBody() || request.hasHeader("Content-Type");
    }

    /** Methods that change nothing by HTTP's definition (RFC 9110 safe methods, less TRACE). */
    static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }

    /**
     * Whether the request asks to switch protocols (WebSocket, h2c). Stricter than the servers: any
     * {@code Upgrade} or {@code HTTP2-Settings} header counts, and a {@code Connection} header that
     * merely contains "upgrade".
     */
    static boolean asksForUpgrade(RequestFacts request) {
        return request.hasHeader("Upgrade") || request.hasHeader("HTTP2-Settings")
                || request.headerContains("Connection", "upgrade");
    }
}
