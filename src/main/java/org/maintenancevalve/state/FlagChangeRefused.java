package org.maintenancevalve.state;

/**
 * A {@link FlagChange} was not written, for the reason in the message; the flag file is untouched.
 */
public final class FlagChangeRefused extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean badValue;

    FlagChangeRefused(boolean badValue, String message) {
        super(message);
        this.badValue = badValue;
    }

    /**
     * Whether a value of the change is the reason (the valve would refuse or ignore it), rather
     * than the flag file as it stands (unusable, so there is nothing to change).
     */
    public boolean isBadValue() {
        return badValue;
    }
}
