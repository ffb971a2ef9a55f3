package org.maintenancevalve.install;

import org.maintenancevalve.cli.Refused;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** File reading and I/O errors in words an admin can act on. */
final class Io {

    private Io() {
    }

    static byte[] read(Path file) throws Refused {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Refused("cannot read " + file + " (" + describe(e) + ")", e);
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) e).getFile();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file: " + ((NoSuchFileException) e).getFile();
        }
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            return (f.getReason() == null ? e.getClass().getSimpleName() : f.getReason()) + ": " + f.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
