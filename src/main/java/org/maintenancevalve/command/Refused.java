package org.maintenancevalve.command;

/**
 * A verb will not do what was asked, for the reason in the message (one or a few lines an admin
 * can act on). Whatever the verb had changed is undone before this is thrown.
 */
public class Refused extends Exception {

    private static final long serialVersionUID = 1L;

    public Refused(String message) {
        super(message);
    }

    public Refused(String message, Throwable cause) {
        super(message, cause);
    }
}
