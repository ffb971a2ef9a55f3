package org.maintenancevalve.banner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.catalina.connector.Response;
import org.maintenancevalve.response.HtmlSafeJson;
import org.maintenancevalve.response.ResponseStream;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code status.json} for one maintenance state: what the banner (or a monitor) needs, and nothing
 * secret (no bypass secret, no allow-list, no user names, not who set it):
 * <pre>{@code
 * {"phase":"scheduled","mode":"full","message":"...","from":"2026-11-25T22:00:00Z","until":"2026-11-25T23:30:00Z",
 *  "serverTime":1795643880000,"startsIn":120,"endsIn":5520,"admitted":true}
 * }</pre>
 * The part up to {@code until} is rendered once per state (Jackson, escaped); per request only
 * the numbers after it are written, as ASCII digits, without allocating.
 * <ul>
 * <li>{@code phase}: {@code off}, {@code scheduled}, {@code on}, {@code overdue};
 * {@code mode}: {@code full} or {@code read-only} ({@code null} when off);</li>
 * <li>{@code message}: the admin's message as written, or {@code null} (the banner then says its
 * own sentence only); {@code from}: the announced start, or when the window began;
 * {@code until}: the expected end (ISO-8601 or {@code null});</li>
 * <li>{@code serverTime}: the server's clock in milliseconds since the epoch; {@code startsIn}:
 * seconds until the start while scheduled, else {@code null}; {@code endsIn}: seconds until
 * {@code until} (negative once it has passed), {@code null} without one. The banner counts from
 * these, so a browser with a wrong clock still counts right;</li>
 * <li>{@code admitted}: whether this browser is inside: its changes would pass the gate now (off and
 * scheduled: {@code true}, nothing is held out). A boolean and nothing more: not by which way, so
 * a caller held out learns only what a blocked request of its own would tell it.</li>
 * </ul>
 */
public final class StatusDocument {

    static final String CONTENT_TYPE = "application/json;charset=UTF-8";

    private static final byte[] SERVER_TIME = ascii(",\"serverTime\":");
    private static final byte[] STARTS_IN = ascii(",\"startsIn\":");
    private static final byte[] ENDS_IN = ascii(",\"endsIn\":");
    private static final byte[] ADMITTED_TRUE = ascii(",\"admitted\":true}");
    private static final byte[] ADMITTED_FALSE = ascii(",\"admitted\":false}");
    private static final byte[] NULL = ascii("null");

    private final MaintenanceState state;
    private final byte[] head;
    private final boolean scheduled;
    private final long fromMillis;
    private final boolean hasUntil;
    private final long untilMillis;

    private StatusDocument(MaintenanceState state, byte[] head, boolean scheduled, Instant from, Instant until) {
        this.state = state;
        this.head = head;
        this.scheduled = scheduled && from != null;
        this.fromMillis = from == null ? 0 : from.toEpochMilli();
        this.hasUntil = until != null;
        this.untilMillis = until == null ? 0 : until.toEpochMilli();
    }

    /** Renders the document of a state (once per state: not on the request path). */
    public static StatusDocument render(MaintenanceState state) {
        FlagSettings settings = state.settings();
        boolean off = state.phase() == MaintenanceState.Phase.OFF || settings == null;
        boolean scheduled = state.phase() == MaintenanceState.Phase.SCHEDULED;
        Instant from = off ? null : scheduled ? settings.from() : state.since();
        Instant until = off ? null : settings.until();
        ObjectNode root = HtmlSafeJson.mapper().createObjectNode();
        root.put("phase", state.phaseText());
        root.put("mode", off ? null : settings.mode().text());
        root.put("message", off ? null : settings.message());
        root.put("from", from == null ? null : from.toString());
        root.put("until", until == null ? null : until.toString());
        String text;
        try {
            text = HtmlSafeJson.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render status.json", e);
        }
        // The per-request members follow "until": the closing brace is written after them.
        byte[] head = text.substring(0, text.length() - 1).getBytes(StandardCharsets.UTF_8);
        return new StatusDocument(state, head, scheduled, from, until);
    }

    /** Whether this is the document of that very state object. */
    public boolean isFor(MaintenanceState candidate) {
        return state == candidate;
    }

    /**
     * Writes {@code 200}, the headers and (unless {@code headOnly}) the body.
     *
     * @param admitted whether this request's changes would pass the gate now
     */
    public void writeTo(Response response, boolean headOnly, long nowMillis, boolean admitted) throws IOException {
        BannerEndpoints.startAnswer(response, 200, CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(length(nowMillis, admitted));
        if (!headOnly) {
            OutputStream out = ResponseStream.of(response);
            writeBody(out, nowMillis, admitted);
            out.flush();
        }
    }

    /** The body's length in bytes for one request. */
    int length(long nowMillis, boolean admitted) {
        return head.length + SERVER_TIME.length + decimalLength(nowMillis)
                + STARTS_IN.length + (scheduled ? decimalLength(ceilSeconds(fromMillis - nowMillis)) : NULL.length)
                + ENDS_IN.length + (hasUntil ? decimalLength(ceilSeconds(untilMillis - nowMillis)) : NULL.length)
                + (admitted ? ADMITTED_TRUE.length : ADMITTED_FALSE.length);
    }

    /** Writes the body for one request: the rendered head, then the numbers as ASCII digits. */
    void writeBody(OutputStream out, long nowMillis, boolean admitted) throws IOException {
        out.write(head);
        out.write(SERVER_TIME);
        writeDecimal(out, nowMillis);
        out.write(STARTS_IN);
        if (scheduled) {
            writeDecimal(out, ceilSeconds(fromMillis - nowMillis));
        } else {
            out.write(NULL);
        }
        out.write(ENDS_IN);
        if (hasUntil) {
            writeDecimal(out, ceilSeconds(untilMillis - nowMillis));
        } else {
            out.write(NULL);
        }
        out.write(admitted ? ADMITTED_TRUE : ADMITTED_FALSE);
    }

    /** Whole seconds, rounded up ({@code 0.2 s} to go is 1, {@code -0.2 s} is 0). */
    static long ceilSeconds(long millis) {
        return Math.floorDiv(millis + 999, 1000);
    }

    /** Characters of {@code value} in decimal, sign included. */
    static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int length = 1;
        long v = value;
        if (v < 0) {
            length++;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            length++;
        }
        return length;
    }

    /** Writes {@code value} in decimal ASCII, most significant digit first, without a String. */
    static void writeDecimal(OutputStream out, long value) throws IOException {
        if (value == Long.MIN_VALUE) {
            out.write(ascii(Long.toString(value)));
            return;
        }
        long v = value;
        if (v < 0) {
            out.write('-');
            v = -v;
        }
        long divisor = 1;
        while (v / divisor >= 10) {
            divisor *= 10;
        }
        while (divisor > 0) {
            out.write((int) ('0' + (v / divisor) % 10));
            divisor /= 10;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
