package org.maintenancevalve.state;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What is in force at one moment: derived from the flag file's settings and the clock.
 * Immutable; the valve swaps a whole new one in when anything changes.
 */
public final class MaintenanceState {

    /** Where maintenance stands. */
    public enum Phase {
        /** No flag file: everybody passes. */
        OFF,
        /** A flag file with {@code from} in the future: nobody is blocked yet. */
        SCHEDULED,
        /** Maintenance is in force. */
        ACTIVE
    }

    /** No flag file. */
    public static final MaintenanceState OFF = new MaintenanceState(Phase.OFF, null, null, false);

    private final Phase phase;
    private final FlagSettings settings;
    private final Instant since;
    private final boolean overdue;

    private MaintenanceState(Phase phase, FlagSettings settings, Instant since, boolean overdue) {
        this.phase = phase;
        this.settings = settings;
        this.since = since;
        this.overdue = overdue;
    }

    /**
     * Derives the state for the present moment.
     *
     * @param settings     what the flag file says, or {@code null} when there is no flag file
     * @param fileModified when the flag file was last modified (used as the start when no {@code from})
     * @param now          the present moment
     * @param previous     the state in force until now, so an ongoing window keeps its start
     */
    public static MaintenanceState evaluate(FlagSettings settings, Instant fileModified, Instant now,
            MaintenanceState previous) {
        if (settings == null) {
            return OFF;
        }
        Instant from = settings.from();
        if (from != null && now.isBefore(from)) {
            return new MaintenanceState(Phase.SCHEDULED, settings, null, false);
        }
        Instant until = settings.until();
        if (settings.autoEnd() && until != null && !now.isBefore(until)) {
            return OFF;
        }
        Instant since;
        if (previous.phase == Phase.ACTIVE) {
            since = previous.since;
        } else {
            since = (fileModified == null ? now : fileModified).truncatedTo(ChronoUnit.SECONDS);
            if (from != null && from.isAfter(since)) {
                since = from;
            }
            if (since.isAfter(now)) {
                since = now;
            }
        }
        // Past the announced end and still on: the page says it takes longer than expected.
        boolean overdue = until != null && !now.isBefore(until);
        return new MaintenanceState(Phase.ACTIVE, settings, since, overdue);
    }

    public Phase phase() {
        return phase;
    }

    /** Whether requests are being gated now. */
    public boolean isActive() {
        return phase == Phase.ACTIVE;
    }

    /** The flag file's settings, or {@code null} when off. */
    public FlagSettings settings() {
        return settings;
    }

    /** When this maintenance window began, or {@code null} unless active. */
    public Instant since() {
        return since;
    }

    /** Whether the announced end has passed while maintenance is still on. */
    public boolean isOverdue() {
        return overdue;
    }

    /**
     * {@code off}, {@code scheduled}, {@code on} or {@code overdue}: where the window stands, as the
     * banner, {@code status.json}, JMX's {@code phase} and the {@code status} command say it.
     */
    public String phaseText() {
        switch (phase) {
            case OFF:
                return "off";
            case SCHEDULED:
                return "scheduled";
            default:
                return overdue ? "overdue" : "on";
        }
    }

    /** {@code off}, {@code scheduled}, {@code full} or {@code read-only}: as shown in JMX. */
    public String modeText() {
        switch (phase) {
            case OFF:
                return "off";
            case SCHEDULED:
                return "scheduled";
            default:
                return settings.mode().text();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MaintenanceState)) {
            return false;
        }
        MaintenanceState that = (MaintenanceState) o;
        return phase == that.phase && overdue == that.overdue && Objects.equals(settings, that.settings)
                && Objects.equals(since, that.since);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, settings, since, overdue);
    }

    @Override
    public String toString() {
        return "MaintenanceState{" + modeText() + (overdue ? " (overdue)" : "") + ", since=" + since + ", " + settings + "}";
    }
}
