package org.maintenancevalve.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies a {@link FlagChange} to the flag file: reads the present window, keeps what the change
 * does not name (fields this version does not know too), checks that the valve would read the
 * result as meant, and only then writes it atomically. Nothing is written when anything is wrong,
 * nor over anything that does not read as a flag file ({@link FlagFileTarget}).
 */
public final class FlagUpdate {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private FlagUpdate() {
    }

    /**
     * @param flagFile         the flag file
     * @param change           what to change
     * @param clock            the present time
     * @param accepted         the valve's own check of the access entries (addresses, secret); throws
     *                         {@link IllegalArgumentException} naming what the valve would ignore
     * @return what was there before and what is there now
     * @throws FlagChangeRefused when the valve would not accept the result, or the present flag file
     *                           is unusable and the change does not start afresh, or what is under
     *                           the name does not read as a flag file ({@link FlagFileTarget}: a
     *                           link, another file), fresh or not; nothing was written
     * @throws IOException       when the file could not be written; nothing changed
     */
    public static Outcome apply(Path flagFile, FlagChange change, Clock clock, Consumer<FlagSettings> accepted)
            throws FlagChangeRefused, IOException {
        Instant now = clock.instant();
        FlagFileTarget target = FlagFileTarget.read(flagFile);
        Present present = Present.read(target, clock);
        FlagSettings previous = present.settings;
        boolean ended = previous != null && previous.problem() == null
                && MaintenanceState.evaluate(previous, null, now, MaintenanceState.OFF).phase() == MaintenanceState.Phase.OFF;
        boolean newWindow = change.fresh || previous == null || ended;
        if (!newWindow && previous.problem() != null) {
            throw new FlagChangeRefused(false, "the flag file " + flagFile + " cannot be used as it is ("
                    + previous.problem() + "), so there is nothing to change: the valve holds everyone out"
                    + " (full mode, default message) until it is fixed. Fix it by hand, or replace it whole"
                    + " (the command line's on --new)");
        }

        FlagSettings.Builder intended = newWindow ? FlagSettings.builder() : previous.toBuilder();
        ObjectNode json = newWindow || present.json == null ? MAPPER.createObjectNode() : present.json;
        if (newWindow) {
            String window = newWindowId();
            intended.window(window);
            json.put("window", window);
        }
        Mode mode = change.mode != null ? change.mode : newWindow ? Mode.FULL : previous.mode();
        intended.mode(mode);
        json.put("mode", mode.text());
        if (change.message != null) {
            boolean useDefault = change.message.trim().isEmpty();
            intended.message(useDefault ? null : change.message);
            if (useDefault) {
                json.remove("message");
            } else {
                json.put("message", change.message);
            }
        }
        if (change.startNow) {
            intended.from(null);
            json.remove("from");
        } else if (change.from != null) {
            Instant from = change.from.truncatedTo(ChronoUnit.SECONDS);
            intended.from(from);
            json.put("from", from.toString());
        }
        FlagSettings sofar = intended.build();
        if (change.noEnd) {
            intended.until(null).autoEnd(false);
            json.remove("until");
            json.remove("autoEnd");
        } else if (change.setsEnd()) {
            Instant until;
            if (change.until != null) {
                until = change.until;
            } else {
                Instant start = sofar.from() != null && sofar.from().isAfter(now) ? sofar.from() : now;
                until = start.plus(change.endAfter);
            }
            until = until.truncatedTo(ChronoUnit.SECONDS);
            if (!until.isAfter(now)) {
                throw new FlagChangeRefused(true, "the expected end " + until + " is not in the future");
            }
            intended.until(until);
            json.put("until", until.toString());
        }
        if (change.autoEnd != null) {
            intended.autoEnd(change.autoEnd);
            if (change.autoEnd) {
                json.put("autoEnd", true);
            } else {
                json.remove("autoEnd");
            }
        }
        if (change.allow != null) {
            intended.allow(change.allow);
            if (change.allow.isEmpty()) {
                json.remove("allow");
            } else {
                ArrayNode addresses = json.putArray("allow");
                for (String address : change.allow) {
                    addresses.add(address);
                }
            }
        }
        if (change.bypassSecret != null) {
            intended.bypassSecret(change.bypassSecret);
            json.put("bypassSecret", change.bypassSecret);
        }
        if (change.by != null) {
            intended.by(change.by);
            json.put("by", change.by);
        }

        FlagSettings wanted = intended.build();
        if (wanted.autoEnd() && wanted.until() == null) {
            throw new FlagChangeRefused(true, "an automatic end needs an expected end (until)");
        }
        if (wanted.autoEnd() && !wanted.until().isAfter(now)) {
            throw new FlagChangeRefused(true, "maintenance would end at once: its expected end " + wanted.until()
                    + " has passed and it ends by itself then (autoEnd); give a new end, or turn the automatic end off");
        }
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IOException("Cannot write the maintenance flag " + flagFile + ": " + e.getOriginalMessage(), e);
        }
        FlagSettings parsed = FlagFileParser.parse(bytes, clock);
        if (parsed.problem() != null) {
            throw new FlagChangeRefused(true, "the valve would not accept it: the result is " + parsed.problem());
        }
        if (!parsed.equals(wanted)) {
            throw new FlagChangeRefused(true, "the valve would read it differently: " + parsed + " instead of " + wanted);
        }
        try {
            accepted.accept(parsed);
        } catch (IllegalArgumentException e) {
            throw new FlagChangeRefused(true, "the valve would ignore part of it: " + e.getMessage());
        }
        FlagFileWriter.write(target.file(), json);
        return new Outcome(previous, ended, parsed, newWindow, keptParts(change, previous, newWindow));
    }

    /** The parts of the present window a change keeps without naming them, as field names. */
    private static List<String> keptParts(FlagChange change, FlagSettings previous, boolean newWindow) {
        List<String> kept = new ArrayList<>();
        if (newWindow) {
            return kept;
        }
        if (change.mode == null) {
            kept.add("mode");
        }
        if (change.message == null && previous.message() != null) {
            kept.add("message");
        }
        if (!change.startNow && change.from == null && previous.from() != null) {
            kept.add("from");
        }
        if (!change.noEnd && !change.setsEnd() && previous.until() != null) {
            kept.add("until");
        }
        if (!change.noEnd && change.autoEnd == null && previous.autoEnd()) {
            kept.add("autoEnd");
        }
        if (change.allow == null && !previous.allow().isEmpty()) {
            kept.add("allow");
        }
        if (change.bypassSecret == null && previous.bypassSecret() != null) {
            kept.add("bypassSecret");
        }
        return kept;
    }

    /** A new random id for a maintenance window: 96 bits, URL-safe. */
    static String newWindowId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What an update found and did. */
    public static final class Outcome {
        private final FlagSettings previous;
        private final boolean previousEnded;
        private final FlagSettings written;
        private final boolean newWindow;
        private final List<String> kept;

        Outcome(FlagSettings previous, boolean previousEnded, FlagSettings written, boolean newWindow, List<String> kept) {
            this.previous = previous;
            this.previousEnded = previousEnded;
            this.written = written;
            this.newWindow = newWindow;
            this.kept = Collections.unmodifiableList(kept);
        }

        /** The flag file's settings before, or {@code null} when there was none. */
        public FlagSettings previous() {
            return previous;
        }

        /** Whether there was a flag file whose window had already ended by itself (autoEnd). */
        public boolean previousEnded() {
            return previousEnded;
        }

        /** What the flag file says now, as the valve reads it. */
        public FlagSettings written() {
            return written;
        }

        /** Whether a new window started (new window id), rather than the present one being changed. */
        public boolean newWindow() {
            return newWindow;
        }

        /** Fields of the present window kept because the change did not name them. */
        public List<String> kept() {
            return kept;
        }

        /** Whether an automatic end was kept from the present window without being asked for again. */
        public boolean autoEndKept() {
            return kept.contains("autoEnd");
        }

        /**
         * The sentence to show when the change kept an automatic end, or {@code null}: extending a
         * window must never end it mid-backup by surprise.
         */
        public String autoEndNote() {
            if (!autoEndKept()) {
                return null;
            }
            return "It still ends by itself at " + written.until() + ": the automatic end (autoEnd) of the present"
                    + " window was kept.";
        }
    }

    /** The flag file as it is: its settings ({@code null} when absent) and, when usable, its JSON. */
    private static final class Present {
        final FlagSettings settings;
        final ObjectNode json;

        private Present(FlagSettings settings, ObjectNode json) {
            this.settings = settings;
            this.json = json;
        }

        /**
         * @throws FlagChangeRefused when what is there does not read as a flag file: it is not
         *                           replaced, {@code --new} or not
         */
        static Present read(FlagFileTarget target, Clock clock) throws FlagChangeRefused {
            if (target.absent()) {
                return new Present(null, null);
            }
            if (target.problem() != null) {
                throw new FlagChangeRefused(false, target.refusal("replaced"));
            }
            byte[] content = target.content();
            FlagSettings settings = FlagFileParser.parse(content, clock);
            if (settings.problem() != null) {
                return new Present(settings, null);
            }
            String text = new String(content, StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.trim().isEmpty()) {
                return new Present(settings, MAPPER.createObjectNode());
            }
            try {
                JsonNode node = MAPPER.readTree(text);
                return new Present(settings, (ObjectNode) node);
            } catch (IOException | RuntimeException e) {
                // The parser accepted it a moment ago: changed under us. Treat as unusable.
                return new Present(FlagSettings.failClosed("changed while it was read"), null);
            }
        }
    }
}
