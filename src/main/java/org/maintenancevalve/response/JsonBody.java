package org.maintenancevalve.response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The JSON answer, in the shape Jira REST clients already parse:
 * {@code {"errorMessages":["..."],"errors":{},"maintenance":{...,"retryAfterSeconds":N}}}. In
 * read-only mode the first message says that the change was not saved and until when the site is
 * read-only; the admin's message, if any, follows.
 * Rendered once, in two parts around the one number that changes per request.
 */
public final class JsonBody {

    /** Also escapes {@code < > &}, so the body stays inert if anything ever sniffs it as HTML. */
    private static final ObjectMapper MAPPER = HtmlSafeJson.mapper();

    /** Both parts, encoded once (UTF-8): a request costs a copy of bytes, not an encoding. */
    private final byte[] head;
    private final byte[] tail;

    private JsonBody(String head, String tail) {
        this.head = head.getBytes(StandardCharsets.UTF_8);
        this.tail = tail.getBytes(StandardCharsets.UTF_8);
    }

    public static JsonBody render(Mode mode, String message, Instant since, Instant until) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode errorMessages = root.putArray("errorMessages");
        if (mode == Mode.READ_ONLY) {
            // What was refused comes first: clients that show one message show that one.
            errorMessages.add(DefaultMessages.readOnlyRefusal(until));
            if (message != null) {
                errorMessages.add(message);
            }
        } else {
            errorMessages.add(message != null ? message : DefaultMessages.defaultMessage(mode));
        }
        root.putObject("errors");
        ObjectNode maintenance = root.putObject("maintenance");
        maintenance.put("mode", mode.text());
        maintenance.put("since", since == null ? null : since.toString());
        maintenance.put("until", until == null ? null : until.toString());
        String text;
        try {
            text = MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render the maintenance JSON", e);
        }
        // "maintenance" is the last object of the root, so the text ends with its two closing braces.
        String open = text.substring(0, text.length() - 2);
        return new JsonBody(open + ",\"retryAfterSeconds\":", "}}");
    }

    /** The length in UTF-8 bytes with {@code retryAfter} (ASCII digits) as the number. */
    public int length(String retryAfter) {
        return head.length + retryAfter.length() + tail.length;
    }

    /** Writes the body in UTF-8 with {@code retryAfter} (ASCII digits) as the number. */
    public void writeTo(OutputStream out, String retryAfter) throws IOException {
        out.write(head);
        PageBody.writeAscii(out, retryAfter);
        out.write(tail);
    }

    /** The whole body with one retry-after value; for tests and logs, not the request path. */
    public String withRetryAfter(long seconds) {
        return new String(head, StandardCharsets.UTF_8) + seconds + new String(tail, StandardCharsets.UTF_8);
    }
}
