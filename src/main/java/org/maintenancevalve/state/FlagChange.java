package org.maintenancevalve.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a writer asks to change in the flag file: the command line's {@code on} and the JMX
 * {@code enable} operations build one and hand it to {@link FlagUpdate#apply}, so "turn on" has
 * one meaning. What is given changes; what is not given stays as the present window has it; a
 * {@link Builder#fresh() fresh} change (or no window, or one that has ended) starts a new window
 * from scratch.
 */
public final class FlagChange {

    final boolean fresh;
    final Mode mode;
    final String message;
    final Instant from;
    final boolean startNow;
    final Instant until;
    final Duration endAfter;
    final boolean noEnd;
    final Boolean autoEnd;
    final List<String> allow;
    final String bypassSecret;
    final String by;

    private FlagChange(Builder b) {
        this.fresh = b.fresh;
        this.mode = b.mode;
        this.message = b.message;
        this.from = b.from;
        this.startNow = b.startNow;
        this.until = b.until;
        this.endAfter = b.endAfter;
        this.noEnd = b.noEnd;
        this.autoEnd = b.autoEnd;
        this.allow = b.allow;
        this.bypassSecret = b.bypassSecret;
        this.by = b.by;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the change names a new end (an instant or a duration), rather than keeping or removing it. */
    boolean setsEnd() {
        return until != null || endAfter != null;
    }

    /** Builds a {@link FlagChange}; every part left out keeps what the present window says. */
    public static final class Builder {
        private boolean fresh;
        private Mode mode;
        private String message;
        private Instant from;
        private boolean startNow;
        private Instant until;
        private Duration endAfter;
        private boolean noEnd;
        private Boolean autoEnd;
        private List<String> allow;
        private String bypassSecret;
        private String by;

        private Builder() {
        }

        /** Drop everything of the present window (its secret and unknown fields too): a new window. */
        public Builder fresh() {
            this.fresh = true;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The message users see; blank for the default text. */
        public Builder message(String message) {
            this.message = Objects.requireNonNull(message, "message");
            return this;
        }

        /** A scheduled start. */
        public Builder from(Instant from) {
            this.from = Objects.requireNonNull(from, "from");
            this.startNow = false;
            return this;
        }

        /** No scheduled start: in force now (a start still ahead is brought forward). */
        public Builder startNow() {
            this.from = null;
            this.startNow = true;
            return this;
        }

        /** The expected end. */
        public Builder until(Instant until) {
            this.until = Objects.requireNonNull(until, "until");
            this.endAfter = null;
            this.noEnd = false;
            return this;
        }

        /** The expected end, this long after the start (after now when the start has passed). */
        public Builder endAfter(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a duration must be positive, not " + duration);
            }
            this.endAfter = duration;
            this.until = null;
            this.noEnd = false;
            return this;
        }

        /** No announced end (and so no automatic end either). */
        public Builder noEnd() {
            this.noEnd = true;
            this.until = null;
            this.endAfter = null;
            return this;
        }

        /** Whether maintenance ends by itself at the expected end. */
        public Builder autoEnd(boolean autoEnd) {
            this.autoEnd = autoEnd;
            return this;
        }

        /** The addresses let in for this window, replacing the present list; empty for none. */
        public Builder allow(List<String> allow) {
            List<String> trimmed = new ArrayList<>();
            for (String entry : allow) {
                if (!entry.trim().isEmpty()) {
                    trimmed.add(entry.trim());
                }
            }
            this.allow = Collections.unmodifiableList(trimmed);
            return this;
        }

        /** A new bypass secret (the present one is kept when none is given). */
        public Builder bypassSecret(String bypassSecret) {
            this.bypassSecret = Objects.requireNonNull(bypassSecret, "bypassSecret");
            return this;
        }

        /** Who makes the change ({@code user@host}, {@code JMX}). */
        public Builder by(String by) {
            this.by = by;
            return this;
        }

        public FlagChange build() {
            return new FlagChange(this);
        }
    }
}
