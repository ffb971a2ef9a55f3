package org.maintenancevalve.response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.maintenancevalve.state.Mode;

import java.time.Instant;

/**
 * The JSON answer, in the shape Jira REST clients already parse:
 * {@code {"errorMessages":["..."],"errors":{},"maintenance":{...,"retryAfterSeconds":N}}}.
 * Rendered once, in two parts around the one number that changes per request.
 */
public final class JsonBody {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // Also escape < > & so the body stays inert if anything ever sniffs it as HTML.
        MAPPER.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    }

    private final String head;
    private final String tail;

    private JsonBody(String head, String tail) {
        this.head = head;
        this.tail = tail;
    }

    public static JsonBody render(Mode mode, String message, Instant since, Instant until) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putArray("errorMessages").add(message != null ? message : Messages.defaultMessage(mode));
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

    /** Everything before the retry-after number. */
    public String head() {
        return head;
    }

    /** Everything after the retry-after number. */
    public String tail() {
        return tail;
    }

    /** The whole body with one retry-after value; for tests and logs, not the request path. */
    public String withRetryAfter(long seconds) {
        return head + seconds + tail;
    }

    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = CharacterEscapes.standardAsciiEscapesForJSON();
            escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
