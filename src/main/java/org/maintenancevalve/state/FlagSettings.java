package org.maintenancevalve.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What one flag file says. Every field is optional; an empty file gives {@link #DEFAULTS}.
 * A file that could not be read or understood gives {@link #failClosed(String)}: full maintenance
 * with the default message, and the problem kept for the log.
 */
public final class FlagSettings {

    /** An empty flag file: full maintenance, default message, no end announced. */
    public static final FlagSettings DEFAULTS = builder().build();

    private final Mode mode;
    private final String message;
    private final Instant from;
    private final Instant until;
    private final String by;
    private final boolean autoEnd;
    private final String bypassSecret;
    private final List<String> allow;
    private final String window;
    private final String problem;

    private FlagSettings(Builder b) {
        this.mode = b.mode;
        this.message = b.message;
        this.from = b.from;
        this.until = b.until;
        this.by = b.by;
        this.autoEnd = b.autoEnd;
        this.bypassSecret = b.bypassSecret;
        this.allow = Collections.unmodifiableList(b.allow);
        this.window = b.window;
        this.problem = b.problem;
    }

    /** Full maintenance with defaults, because the file exists but could not be used. */
    public static FlagSettings failClosed(String problem) {
        return builder().problem(Objects.requireNonNull(problem, "problem")).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings (without a {@link #problem()}), to change some of them. */
    public Builder toBuilder() {
        return builder().mode(mode).message(message).from(from).until(until).by(by).autoEnd(autoEnd)
                .bypassSecret(bypassSecret).allow(allow).window(window);
    }

    /**
     * A short digest of everything these settings say (the secret included, but not readable from
     * it): two readings of the same flag file content give the same fingerprint, whatever its
     * layout. The tools compare it with what a valve reports it has applied.
     */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder(256);
        field(canonical, mode.text());
        field(canonical, message);
        field(canonical, from == null ? null : from.toString());
        field(canonical, until == null ? null : until.toString());
        field(canonical, by);
        field(canonical, String.valueOf(autoEnd));
        field(canonical, bypassSecret);
        field(canonical, String.valueOf(allow.size()));
        for (String entry : allow) {
            field(canonical, entry);
        }
        field(canonical, window);
        field(canonical, problem);
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        StringBuilder hex = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
        }
        return hex.toString();
    }

    /** Length-prefixed, so that no two different field lists give the same text. */
    private static void field(StringBuilder canonical, String value) {
        if (value == null) {
            canonical.append("-;");
        } else {
            canonical.append(value.length()).append(':').append(value).append(';');
        }
    }

    public Mode mode() {
        return mode;
    }

    /** The admin's message, or {@code null} for the default text. */
    public String message() {
        return message;
    }

    /** When maintenance starts, or {@code null} for "now". */
    public Instant from() {
        return from;
    }

    /** The expected end, or {@code null} when none was announced. */
    public Instant until() {
        return until;
    }

    /** Who set maintenance (the CLI writes user@host), or {@code null}. */
    public String by() {
        return by;
    }

    /** Whether maintenance ends by itself at {@link #until()}. */
    public boolean autoEnd() {
        return autoEnd;
    }

    /** The bypass secret from the file, or {@code null}. */
    public String bypassSecret() {
        return bypassSecret;
    }

    /** Extra allowed addresses for this window, as written in the file. */
    public List<String> allow() {
        return allow;
    }

    /**
     * The id of this maintenance window, or {@code null} when the file names none (one made by hand).
     * The tools write a new random id when a window starts and keep it while it is changed, so that
     * what belongs to one window (a bypass cookie) is not valid in the next.
     */
    public String window() {
        return window;
    }

    /** Why the file could not be used, or {@code null} when it was fine. */
    public String problem() {
        return problem;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FlagSettings)) {
            return false;
        }
        FlagSettings that = (FlagSettings) o;
        return autoEnd == that.autoEnd && mode == that.mode && Objects.equals(message, that.message)
                && Objects.equals(from, that.from) && Objects.equals(until, that.until)
                && Objects.equals(by, that.by) && Objects.equals(bypassSecret, that.bypassSecret)
                && allow.equals(that.allow) && Objects.equals(window, that.window)
                && Objects.equals(problem, that.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, message, from, until, by, autoEnd, bypassSecret, allow, window, problem);
    }

    @Override
    public String toString() {
        // The secret stays out of logs and toString.
        return "FlagSettings{mode=" + mode.text() + ", message=" + message + ", from=" + from
                + ", until=" + until + ", by=" + by + ", autoEnd=" + autoEnd
                + ", bypassSecret=" + (bypassSecret == null ? "none" : "set") + ", allow=" + allow
                + ", window=" + window + ", problem=" + problem + "}";
    }

    /** Builds {@link FlagSettings}; unset fields keep their defaults. */
    public static final class Builder {
        private Mode mode = Mode.FULL;
        private String message;
        private Instant from;
        private Instant until;
        private String by;
        private boolean autoEnd;
        private String bypassSecret;
        private List<String> allow = Collections.emptyList();
        private String window;
        private String problem;

        private Builder() {
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public Builder by(String by) {
            this.by = by;
            return this;
        }

        public Builder autoEnd(boolean autoEnd) {
            this.autoEnd = autoEnd;
            return this;
        }

        public Builder bypassSecret(String bypassSecret) {
            this.bypassSecret = bypassSecret;
            return this;
        }

        public Builder allow(List<String> allow) {
            this.allow = Objects.requireNonNull(allow, "allow");
            return this;
        }

        public Builder window(String window) {
            this.window = window;
            return this;
        }

        Builder problem(String problem) {
            this.problem = problem;
            return this;
        }

        public FlagSettings build() {
            return new FlagSettings(this);
        }
    }
}
