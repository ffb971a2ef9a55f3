package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a file, or refuses with the reason in words an admin can act on. */
final class ReadFile {

    private ReadFile() {
    }

    static byte[] orRefuse(Path file) throws Refused {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Refused("cannot read " + file + " (" + IoErrors.describe(e) + ")", e);
        }
    }
}
