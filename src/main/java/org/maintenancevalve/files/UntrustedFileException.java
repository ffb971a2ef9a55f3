package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Root was asked to act on what a file says, and a user other than root can change that file (or
 * a directory on the way to it): see {@link RootOnlyFile}.
 */
public final class UntrustedFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String changeable;
    private final String why;
    private final String owner;

    UntrustedFileException(Path file, Path changeable, String why, String owner) {
        super(file + (changeable.equals(file) ? "" : ": " + changeable) + " " + why);
        this.file = file.toString();
        this.changeable = changeable.toString();
        this.why = why;
        this.owner = owner;
    }

    /** The file root was to read. */
    public String file() {
        return file;
    }

    /** What another user can change: the file, its link's target, or a directory above either. */
    public String changeable() {
        return changeable;
    }

    /** Why, e.g. {@code is owned by jira}, {@code can be written by its group jira}. */
    public String why() {
        return why;
    }

    /** The owner to suggest running as, when that is not root; {@code null} otherwise. */
    public String owner() {
        return owner;
    }
}
