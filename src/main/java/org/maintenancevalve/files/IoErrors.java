package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** I/O errors in words an admin can act on: the one place that turns an exception into text. */
public final class IoErrors {

    private IoErrors() {
    }

    /** The reason and the file it is about: {@code permission denied: /opt/jira/conf/server.xml}. */
    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException && ((AccessDeniedException) e).getReason() == null) {
            return "permission denied: " + ((AccessDeniedException) e).getFile();
        }
        if (e instanceof NoSuchFileException && ((NoSuchFileException) e).getReason() == null) {
            return "no such file: " + ((NoSuchFileException) e).getFile();
        }
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            return (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason()) + ": " + f.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The operating system's reason alone ({@code Permission denied}), for a message that names
     * the file already; the exception's own message when there is no such reason.
     */
    public static String reason(Exception e) {
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
