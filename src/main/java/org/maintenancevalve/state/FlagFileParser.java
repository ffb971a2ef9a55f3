package org.maintenancevalve.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the bytes of a flag file into {@link FlagSettings}. Never throws: whatever is wrong with
 * the file gives {@link FlagSettings#failClosed(String)}, because a flag that exists means the admin
 * wants maintenance.
 */
public final class FlagFileParser {

    /** Larger files are refused (and still mean full maintenance). */
    public static final int MAX_BYTES = 64 * 1024;

    /** An end announced further ahead than this is a typo (a year for a month), not a plan. */
    static final long MAX_ANNOUNCED_DAYS = 366;

    /** The fields of a flag file, as this version writes and reads them. */
    static final Set<String> FIELDS = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            "mode", "message", "from", "until", "autoEnd", "allow", "bypassSecret", "by", "window")));

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FlagFileParser() {
    }

    /**
     * @param content the whole file, or its first {@link #MAX_BYTES}{@code + 1} bytes
     * @param clock   the present time, for the furthest end that is still a plan
     * @return the settings; {@link FlagSettings#problem()} says what was wrong, if anything
     */
    public static FlagSettings parse(byte[] content, Clock clock) {
        if (content.length > MAX_BYTES) {
            return FlagSettings.failClosed("larger than " + MAX_BYTES + " bytes");
        }
        String text = text(content);
        if (text == null) {
            return FlagSettings.failClosed("not UTF-8 text");
        }
        if (text.trim().isEmpty()) {
            return FlagSettings.DEFAULTS;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the offending characters: escape them for the log.
            return FlagSettings.failClosed("not valid JSON: " + AuditLine.quote(e.getOriginalMessage()));
        } catch (RuntimeException e) {
            return FlagSettings.failClosed("not valid JSON: " + AuditLine.quote(e.toString()));
        }
        if (root == null || !root.isObject()) {
            return FlagSettings.failClosed("not a JSON object");
        }
        try {
            return fromJson(root, clock.instant());
        } catch (IllegalArgumentException e) {
            return FlagSettings.failClosed(e.getMessage());
        }
    }

    /**
     * Why {@code content} does not read as a flag file, or {@code null} when it does: the test a
     * file must pass before {@code off} removes it or {@code on} (JMX {@code enable}, {@code run})
     * replaces it, so that a path that names another file by mistake or by malice (a JSON
     * configuration, a key, a marker file of another program) is not destroyed.
     * <p>
     * A flag file is, within {@link #MAX_BYTES} and in UTF-8 (a BOM allowed):
     * <ul>
     * <li>empty, or blanks only (a {@code touch}ed flag); or</li>
     * <li>a JSON object whose fields are all flag fields ({@link #FIELDS}), whatever their values
     * (a field of the wrong type or an unknown mode makes a broken flag, which the valve reads as
     * full maintenance, and which the tools may still remove or replace whole); or</li>
     * <li>a JSON object with a {@code window} id (a non-empty string), whatever its other fields:
     * every window {@code on} and {@code enable} start carries one and keeps it, so a file with
     * one was written by these tools, and its other fields are a later version's, kept for it.</li>
     * </ul>
     * A JSON object with a field a flag file does not have and no window id is an arbitrary JSON
     * document as far as anyone can tell (a configuration that happens to have a {@code mode}, say):
     * "at least one known field" would take many of those for flag files, while a flag file
     * written by hand with a field of the admin's own is rare, and is removed by hand.
     */
    static String notAFlagFile(byte[] content) {
        if (content.length > MAX_BYTES) {
            return "is larger than " + MAX_BYTES + " bytes";
        }
        String text = text(content);
        if (text == null) {
            return "is not UTF-8 text";
        }
        if (text.trim().isEmpty()) {
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return "is not JSON";
        }
        if (root == null || !root.isObject()) {
            return "is JSON, but not an object";
        }
        List<String> others = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                others.add(name);
            }
        }
        JsonNode window = root.get("window");
        if (others.isEmpty() || (window != null && window.isTextual() && !window.textValue().isEmpty())) {
            return null;
        }
        StringBuilder named = new StringBuilder();
        for (int i = 0; i < others.size() && i < 3; i++) {
            named.append(i == 0 ? "" : ", ").append(AuditLine.quote(others.get(i)));
        }
        return "has " + (others.size() == 1 ? "a field" : "fields") + " a flag file does not have (" + named
                + (others.size() > 3 ? " and " + (others.size() - 3) + " more" : "")
                + ") and no window id (which every flag file the tools write has)";
    }

    private static FlagSettings fromJson(JsonNode root, Instant now) {
        FlagSettings.Builder b = FlagSettings.builder();
        String modeText = text(root, "mode");
        if (modeText != null) {
            Mode mode = Mode.fromText(modeText);
            if (mode == null) {
                throw new IllegalArgumentException(
                        "field \"mode\" must be \"full\" or \"read-only\", not " + AuditLine.quote(modeText));
            }
            b.mode(mode);
        }
        String message = text(root, "message");
        b.message(message == null || message.trim().isEmpty() ? null : message);
        b.from(instant(root, "from"));
        b.until(instant(root, "until"));
        b.by(text(root, "by"));
        b.bypassSecret(emptyToNull(text(root, "bypassSecret")));
        b.allow(textList(root, "allow"));
        b.window(emptyToNull(text(root, "window")));
        FlagSettings partial = b.build();
        if (partial.from() != null && partial.until() != null && !partial.from().isBefore(partial.until())) {
            throw new IllegalArgumentException("field \"from\" (" + partial.from() + ") is not before \"until\" ("
                    + partial.until() + ")");
        }
        if (partial.until() != null && partial.until().isAfter(now.plus(MAX_ANNOUNCED_DAYS, ChronoUnit.DAYS))) {
            throw new IllegalArgumentException("field \"until\" (" + partial.until() + ") is more than "
                    + MAX_ANNOUNCED_DAYS + " days ahead");
        }
        JsonNode autoEnd = root.get("autoEnd");
        if (autoEnd != null && !autoEnd.isNull()) {
            if (!autoEnd.isBoolean()) {
                throw new IllegalArgumentException("field \"autoEnd\" must be true or false");
            }
            b.autoEnd(autoEnd.booleanValue());
        }
        return b.build();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a string");
        }
        return node.textValue();
    }

    private static List<String> textList(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Collections.emptyList();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("field \"" + field + "\" must be an array of strings");
            }
            values.add(item.textValue());
        }
        return values;
    }

    private static Instant instant(JsonNode root, String field) {
        String value = text(root, field);
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        try {
            return parseInstant(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an ISO-8601 time such as "
                    + "2026-11-25T03:00:00Z, not " + AuditLine.quote(value));
        }
    }

    /**
     * Reads and parses a flag file (bounded), for tools that look once rather than watch.
     *
     * @return the settings, or {@code null} when there is no flag file
     */
    public static FlagSettings read(Path flagFile, Clock clock) {
        return FlagFileLook.readSettings(flagFile, clock);
    }

    /** Parses an ISO-8601 instant, with or without seconds, with {@code Z} or an offset. */
    public static Instant parseInstant(String value) {
        String trimmed = value.trim();
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.parse(trimmed);
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The content as UTF-8 text without a leading BOM (a Windows editor's, harmless), or {@code null} when it is not UTF-8. */
    private static String text(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
