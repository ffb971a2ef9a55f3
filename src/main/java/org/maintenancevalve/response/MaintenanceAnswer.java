package org.maintenancevalve.response;

import org.apache.catalina.connector.Response;
import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a blocked client gets while one maintenance state is in force: {@code 503}, a
 * {@code Retry-After}, {@code Cache-Control: no-store}, and the HTML page or the JSON body.
 * Bodies are rendered once, when the state changes; only {@code Retry-After} is computed per
 * request.
 */
public final class MaintenanceAnswer {

    public static final int STATUS = 503;
    private static final String HTML_TYPE = "text/html;charset=UTF-8";
    private static final String JSON_TYPE = "application/json;charset=UTF-8";

    private final String html;
    private final int htmlLength;
    private final JsonBody json;
    private final int jsonFixedLength;
    private final long untilMillis;
    private final int defaultRetryAfterSeconds;

    private MaintenanceAnswer(String html, JsonBody json, Instant until, int defaultRetryAfterSeconds) {
        this.html = html;
        this.htmlLength = html.getBytes(StandardCharsets.UTF_8).length;
        this.json = json;
        this.jsonFixedLength = (json.head() + json.tail()).getBytes(StandardCharsets.UTF_8).length;
        this.untilMillis = until == null ? Long.MIN_VALUE : until.toEpochMilli();
        this.defaultRetryAfterSeconds = defaultRetryAfterSeconds;
    }

    /**
     * Renders the answer for an active state.
     *
     * @param state                    the state in force (its settings give mode, message, until)
     * @param defaultRetryAfterSeconds the {@code Retry-After} when no end is announced or it has passed
     */
    public static MaintenanceAnswer render(MaintenanceState state, int defaultRetryAfterSeconds) {
        Mode mode = state.settings().mode();
        String message = state.settings().message();
        Instant until = state.settings().until();
        return new MaintenanceAnswer(
                HtmlPage.render(mode, message, state.since(), until),
                JsonBody.render(mode, message, state.since(), until),
                until, defaultRetryAfterSeconds);
    }

    /**
     * The answer used when anything goes wrong while rendering: full maintenance, default texts.
     */
    public static MaintenanceAnswer fallback(int defaultRetryAfterSeconds) {
        return new MaintenanceAnswer(
                HtmlPage.render(Mode.FULL, null, null, null),
                JsonBody.render(Mode.FULL, null, null, null),
                null, defaultRetryAfterSeconds);
    }

    /** Seconds until the announced end (at least 1), or the default when there is none or it passed. */
    public long retryAfterSeconds(long nowMillis) {
        if (untilMillis > nowMillis) {
            long millis = untilMillis - nowMillis;
            return Math.max(1, (millis + 999) / 1000);
        }
        return defaultRetryAfterSeconds;
    }

    /** The rendered page. */
    public String html() {
        return html;
    }

    /** The rendered JSON in its two parts. */
    public JsonBody json() {
        return json;
    }

    /**
     * Writes the answer. Uses {@code setStatus} and the writer, never {@code sendError}, so no
     * error page replaces the body.
     *
     * @param asJson   whether to send the JSON body (else the HTML page)
     * @param headOnly whether to send the headers only (a {@code HEAD} request)
     */
    public void writeTo(Response response, boolean asJson, boolean headOnly, long nowMillis) throws IOException {
        String retryAfter = Long.toString(retryAfterSeconds(nowMillis));
        response.setStatus(STATUS);
        response.setHeader("Retry-After", retryAfter);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Vary", "Accept, X-Requested-With");
        response.setCharacterEncoding("UTF-8");
        if (asJson) {
            response.setContentType(JSON_TYPE);
            response.setContentLength(jsonFixedLength + retryAfter.length());
            if (!headOnly) {
                PrintWriter writer = response.getWriter();
                writer.write(json.head());
                writer.write(retryAfter);
                writer.write(json.tail());
                writer.flush();
            }
        } else {
            response.setContentType(HTML_TYPE);
            response.setContentLength(htmlLength);
            if (!headOnly) {
                PrintWriter writer = response.getWriter();
                writer.write(html);
                writer.flush();
            }
        }
    }
}
