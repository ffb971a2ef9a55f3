package org.maintenancevalve.access;

/**
 * What the rules may look at in a request. The valve adapts Tomcat's request to this, so the
 * rules can be tested without Tomcat; each method is called only when a rule needs it.
 */
public interface RequestFacts {

    /** The HTTP method, as sent. */
    String method();

    /** The decoded, normalised path relative to the context (always starts with {@code /}). */
    String path();

    /** The local port the request arrived on (the connector's port). */
    int localPort();

    /** The client address as Tomcat reports it (rewritten by RemoteIpValve when configured). */
    String remoteAddr();

    /** Whether the request carries {@code Forwarded}, {@code X-Forwarded-For} or {@code X-Real-IP}. */
    boolean hasForwardingHeaders();

    /** The value of the first cookie with that name, or {@code null}. */
    String cookie(String name);

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

    /** Whether the request carries a header of that name (any case), whatever its value. */
    boolean hasHeader(String name);

    /**
     * Whether a header of that name (any case; every one of them if there are several) contains
     * {@code lowerCaseText}, ignoring ASCII case.
     */
    boolean headerContains(String name, String lowerCaseText);
}
