package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Root was asked to write into a directory that another user can change: refused, because that
 * user could swap a symbolic link in under a name root writes and make root change another file.
 */
public final class UnsafeDirectoryException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final String directory;
    private final String owner;

    /**
     * @param action what root was asked to do to {@code target}: {@code write} or {@code remove}
     */
    UnsafeDirectoryException(String action, String target, Path directory, String why, String owner) {
        super(problem(action, target, directory, why) + " " + advice(null, directory.toString(), owner));
        this.problem = problem(action, target, directory, why);
        this.directory = directory.toString();
        this.owner = owner;
    }

    private static String problem(String action, String target, Path directory, String why) {
        return "Refusing to " + action + " " + target + " as root: " + directory + " " + why + ", and whoever can "
                + "change it could swap a symbolic link in under a name root " + action + "s there and make root "
                + ("write".equals(action) ? "change" : action) + " another file.";
    }

    private static String advice(String command, String directory, String owner) {
        if (owner != null) {
            return command == null
                    ? "Write it as " + owner + " instead, or use a directory only root can change."
                    : "Run it as " + owner + " instead: sudo -u " + owner + " " + command;
        }
        return "Make " + directory + " writable by root only (chmod go-w " + directory + ")"
                + (command == null ? "." : ", or run " + command + " as the user who should own the file.");
    }

    /** What is wrong, in one sentence, without advice. */
    public String problem() {
        return problem;
    }

    /**
     * What the admin can do instead.
     *
     * @param command the command to run as the directory's owner, e.g. {@code java -jar maintenance-valve.jar on ...}
     */
    public String advice(String command) {
        return advice(command, directory, owner);
    }

    /** The directory (the file's own or one above it) that others can change. */
    public String directory() {
        return directory;
    }

    /** Its owner when that is not root; {@code null} when others may write a directory root owns. */
    public String owner() {
        return owner;
    }
}
