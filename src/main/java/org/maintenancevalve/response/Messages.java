package org.maintenancevalve.response;

import org.maintenancevalve.state.Mode;

/** The texts shown when the admin gave no message. */
public final class Messages {

    private Messages() {
    }

    public static String defaultMessage(Mode mode) {
        return mode == Mode.READ_ONLY
                ? "This site is read-only during maintenance: you can browse, but changes are paused."
                : "This site is down for planned maintenance. Please try again later.";
    }
}
