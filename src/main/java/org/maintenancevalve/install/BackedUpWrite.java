package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Changes server.xml the one way install and uninstall do: a backup beside it first, then the replace. */
final class BackedUpWrite {

    private BackedUpWrite() {
    }

    /** Refuses unless the file and its directory (for the backup and the atomic replace) are writable. */
    static void requireWritable(Path file, String verb) throws Refused {
        if (!Files.isWritable(file) || !Files.isWritable(file.getParent())) {
            throw new Refused("cannot write " + file + " and its backup (permission denied); nothing was changed. "
                    + "Run " + verb + " as the user who owns the installation, or as root");
        }
    }

    /**
     * Backs {@code file} up, then replaces its content. On failure the file is as it was and the
     * backup is gone again.
     *
     * @return the backup
     */
    static Path write(Path file, byte[] content, FileReplacer replacer, Clock clock) throws Refused {
        Path backup;
        try {
            backup = Backup.write(file, clock);
        } catch (IOException e) {
            throw new Refused("cannot back up " + file + " (" + IoErrors.describe(e) + "); nothing was changed", e);
        }
        try {
            replacer.replace(file, content);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(backup);
            } catch (IOException ignored) {
                // a spare copy of an unchanged file; the failure below matters more
            }
            throw new Refused("cannot write " + file + " (" + IoErrors.describe(e) + "); nothing was changed", e);
        }
        return backup;
    }
}
