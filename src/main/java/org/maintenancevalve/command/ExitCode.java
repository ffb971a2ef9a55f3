package org.maintenancevalve.command;

/** The exit codes every verb uses. */
public final class ExitCode {

    /** Done. */
    public static final int OK = 0;
    /** Refused, with the reason printed; nothing was changed. */
    public static final int REFUSED = 1;
    /** Bad usage: unknown option, missing argument. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
