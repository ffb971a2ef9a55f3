package org.maintenancevalve.install;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** A copy of a file beside it, named {@code <name>.bak-<yyyyMMdd-HHmmss>}, taken before it is changed. */
final class Backup {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Backup() {
    }

    /**
     * Copies {@code file} (content, permissions, times) to a name that did not exist yet.
     *
     * @return the backup
     */
    static Path write(Path file, Clock clock) throws IOException {
        String stem = file.getFileName() + ".bak-" + LocalDateTime.now(clock).format(TIME);
        for (int n = 1; ; n++) {
            Path backup = file.resolveSibling(n == 1 ? stem : stem + "-" + n);
            if (Files.exists(backup)) {
                continue;
            }
            try {
                return Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
            } catch (FileAlreadyExistsException e) {
                // taken meanwhile: try the next name
            }
        }
    }
}
