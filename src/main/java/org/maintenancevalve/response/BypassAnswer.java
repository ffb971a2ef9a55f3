package org.maintenancevalve.response;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.access.BypassLink;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.state.AuditLine;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a bypass link with the right secret gets: the bypass cookie and a {@code 303} to the same
 * path without the secret (so it leaves the address bar, the history and the next Referer), not
 * cacheable. The cookie is {@code HttpOnly}, {@code SameSite=Lax}, bound to the context's path,
 * and {@code Secure} whenever Tomcat knows the request came over TLS.
 */
public final class BypassAnswer {

    private static final Log log = LogFactory.getLog(BypassAnswer.class);

    /** Whether the hint about a bypass cookie without Secure behind a TLS proxy was logged. */
    private final AtomicBoolean insecureCookieWarned = new AtomicBoolean();

    /**
     * Writes the answer to a bypass link whose secret matched.
     *
     * @param cookieValue the cookie issued for this context ({@link BypassSecret#issue})
     * @param contextPath the context's path, {@code ""} for the root context
     */
    public void writeTo(Request request, Response response, String cookieValue, String contextPath) {
        StringBuilder cookie = new StringBuilder(BypassLink.NAME).append('=').append(cookieValue)
                .append("; Path=").append(BypassLink.cookiePath(contextPath))
                .append("; Max-Age=").append(BypassSecret.VALIDITY_SECONDS)
                .append("; HttpOnly; SameSite=Lax");
        // isSecure() is what Tomcat knows: the connector's own TLS, its secure attribute, or
        // RemoteIpValve's protocolHeader for a TLS-terminating proxy it trusts.
        if (request.isSecure()) {
            cookie.append("; Secure");
        } else if ("https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"))
                && insecureCookieWarned.compareAndSet(false, true)) {
            log.warn("MaintenanceValve issued a bypass cookie without Secure: Tomcat sees plain HTTP, though"
                    + " the request says X-Forwarded-Proto: https. Behind a TLS-terminating proxy, let a"
                    + " RemoteIpValve that trusts the proxy run before this valve (it reads X-Forwarded-Proto),"
                    + " or set secure=\"true\" scheme=\"https\" on the connector the proxy uses"
                    + " (logged once)");
        }
        response.setStatus(303);
        response.setHeader("Location", BypassLink.locationWithout(request.getDecodedRequestURI(), request.getQueryString()));
        response.addHeader("Set-Cookie", cookie.toString());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setContentLength(0);
        log.info("MaintenanceValve issued a bypass cookie to " + AuditLine.quote(String.valueOf(request.getRemoteAddr())));
    }
}
