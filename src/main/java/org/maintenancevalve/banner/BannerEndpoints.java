package org.maintenancevalve.banner;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.maintenancevalve.state.MaintenanceState;

import java.io.IOException;

/**
 * The two answers under {@link BannerPath}: {@code status.json} (its document rendered once per
 * maintenance state, on first use) and {@code banner.js}. {@code GET} and {@code HEAD} only;
 * anything else gets {@code 405}. Nothing here reads a file, creates a session or calls the
 * application.
 */
public final class BannerEndpoints {

    private final BannerScript script = new BannerScript();
    /** The document of the state seen last; states are immutable and replaced on every change. */
    private volatile StatusDocument status = StatusDocument.render(MaintenanceState.OFF);

    /**
     * Answers {@code status.json}.
     *
     * @param state    the state in force
     * @param admitted whether this request's changes would pass the gate now
     */
    public void answerStatus(Request request, Response response, MaintenanceState state, boolean admitted,
            long nowMillis) throws IOException {
        if (!methodAllowed(request, response)) {
            return;
        }
        documentFor(state).writeTo(response, isHead(request), nowMillis, admitted);
    }

    /** Answers {@code banner.js}. */
    public void answerScript(Request request, Response response) throws IOException {
        if (!methodAllowed(request, response)) {
            return;
        }
        script.writeTo(request, response, isHead(request));
    }

    /** The rendered document of {@code state}: made once per state, by whichever request asks first. */
    StatusDocument documentFor(MaintenanceState state) {
        StatusDocument known = status;
        if (!known.isFor(state)) {
            known = StatusDocument.render(state);
            status = known;
        }
        return known;
    }

    private static boolean isHead(Request request) {
        return "HEAD".equals(request.getMethod());
    }

    private static boolean methodAllowed(Request request, Response response) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        response.setStatus(405);
        response.setHeader("Allow", "GET, HEAD");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(0);
        return false;
    }

    /** Status, content type (on Tomcat's coyote response, as the bytes are UTF-8 already) and nosniff. */
    static void startAnswer(Response response, int status, String contentType) throws IOException {
        response.setStatus(status);
        org.apache.coyote.Response coyote = response.getCoyoteResponse();
        coyote.setCharacterEncoding(null);
        coyote.setContentTypeNoCharset(contentType);
        response.setHeader("X-Content-Type-Options", "nosniff");
    }
}
