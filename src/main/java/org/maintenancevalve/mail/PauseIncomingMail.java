package org.maintenancevalve.mail;

import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.util.Locale;

/**
 * The valve's {@code pauseIncomingMail} attribute: in which windows it pauses the products'
 * incoming mail (Jira's mail handlers, Confluence's mail archive) through
 * {@code atlassian.mail.fetchdisabled}.
 */
public enum PauseIncomingMail {
    /** The default: {@link #FULL_AND_READ_ONLY} with a product's preset ({@code jira}, {@code confluence}), {@link #OFF} without. */
    AUTO("auto"),
    /** Never: the valve leaves the property alone. */
    OFF("off"),
    /** In full windows only: a read-only window lets mail in, as it lets reads in. */
    FULL("full"),
    /** In every window in force, full and read-only. */
    FULL_AND_READ_ONLY("full-and-read-only");

    private final String text;

    PauseIncomingMail(String text) {
        this.text = text;
    }

    /** The value as written in server.xml and shown in JMX. */
    public String text() {
        return text;
    }

    /**
     * @param value the attribute's value; empty or {@code null} for the default ({@link #AUTO})
     * @throws IllegalArgumentException with the reason for the admin
     */
    public static PauseIncomingMail parse(String value) {
        String trimmed = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
            return AUTO;
        }
        for (PauseIncomingMail candidate : values()) {
            if (candidate.text.equals(trimmed)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("must be auto, off, full or full-and-read-only");
    }

    /**
     * What this value means for a valve with that preset: never {@link #AUTO}.
     *
     * @param productPreset whether the valve has a product's preset (not {@code none})
     */
    public PauseIncomingMail resolve(boolean productPreset) {
        if (this != AUTO) {
            return this;
        }
        return productPreset ? FULL_AND_READ_ONLY : OFF;
    }

    /** Whether a window in {@code state} pauses mail, for a {@link #resolve resolved} value. */
    public boolean pausesIn(MaintenanceState state) {
        if (!state.isActive()) {
            return false;
        }
        switch (this) {
            case FULL_AND_READ_ONLY:
                return true;
            case FULL:
                return state.settings().mode() == Mode.FULL;
            default:
                return false;
        }
    }
}
