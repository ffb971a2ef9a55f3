package org.maintenancevalve.access;

import java.util.List;

/**
 * What the rules may look at in a request. The valve adapts Tomcat's request to this, so the
 * rules can be tested without Tomcat; each method is called only when a rule needs it.
 */
public interface RequestFacts {

    /** The HTTP method, as sent. */
    String method();

    /** The decoded, normalised path relative to the context (always starts with {@code /}). */
    String path();

    /**
     * The port of the connector whose socket the request arrived on, as configured in server.xml
     * (the port it bound when configured as {@code 0}); {@code -1} when there is none. Never a port
     * the request names: not the {@code Host} header's, not the {@code server_port} an AJP front end
     * sends, not one a RemoteIpValve took from a header (all three set Tomcat's "local port").
     */
    int connectorPort();

    /** The client address as Tomcat reports it (rewritten by RemoteIpValve when configured). */
    String remoteAddr();

    /**
     * Whether the request carries a header by which a proxy names the client or shows it forwarded:
     * {@code Forwarded}, {@code X-Forwarded-For}, {@code X-Real-IP}, {@code Via},
     * {@code True-Client-IP}, {@code CF-Connecting-IP}, {@code X-Client-IP},
     * {@code X-Cluster-Client-IP} or {@code Fastly-Client-IP} (any case, any value).
     */
    boolean hasForwardingHeaders();

    /**
     * The values of every cookie with that name, in the order sent; empty (and no allocation) when
     * there is none. All of them, not the first: a cookie planted by someone else must not hide
     * a valid one.
     */
    List<String> cookies(String name);

    /** The context path of the web application the request is for ({@code ""} for the root one). */
    String contextPath();

    /**
     * The name of the {@link java.security.Principal} stored under {@code attribute} in the
     * request's existing session (never creating one), or {@code null}.
     */
    String sessionUser(String attribute);

    /**
     * The request URI as sent (not decoded, not normalised), without the context path; {@code null}
     * when it does not begin with the context path as written in the configuration.
     */
    String rawPath();

    /** The query string as sent (not decoded), or {@code null}. */
    String rawQuery();

    /**
     * Whether the request carries a body, or may: a {@code Content-Length} above 0 (or one that
     * cannot be read), any {@code Transfer-Encoding}, or an HTTP/2 stream the client did not end
     * with its headers. A {@code Content-Length} of 0 is no body.
     */
    boolean carriesBody();

    /** Whether the request carries a header of that name (any case), whatever its value. */
    boolean hasHeader(String name);

    /**
     * Whether a header of that name (any case; every one of them if there are several) contains
     * {@code lowerCaseText}, ignoring ASCII case.
     */
    boolean headerContains(String name, String lowerCaseText);
}
