package org.maintenancevalve.state;

/** What maintenance blocks while it is in force. */
public enum Mode {
    /** Every request that no rule admits gets the maintenance answer. */
    FULL("full"),
    /** Reading requests (GET, HEAD, OPTIONS) pass for everyone; changes are refused. */
    READ_ONLY("read-only");

    private final String text;

    Mode(String text) {
        this.text = text;
    }

    /** The name used in the flag file, in JMX and in the JSON answer. */
    public String text() {
        return text;
    }

    /** @return the mode with that flag-file name, or {@code null} if there is none. */
    public static Mode fromText(String text) {
        for (Mode mode : values()) {
            if (mode.text.equals(text)) {
                return mode;
            }
        }
        return null;
    }
}
