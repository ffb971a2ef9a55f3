package org.maintenancevalve.install;

import org.maintenancevalve.files.AtomicFileWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Replaces a file the way a production config file must be replaced: through
 * {@link AtomicFileWriter} with the replaced file's owner, group and permissions, so Tomcat (or a
 * crash) sees the old file or the new one, never half of one. A symbolic link is resolved first:
 * its target is replaced and the link stays.
 */
final class AtomicReplace implements FileReplacer {

    @Override
    public void replace(Path target, byte[] content) throws IOException {
        AtomicFileWriter.write(target.toRealPath(), content, AtomicFileWriter.Policy.KEEP_REPLACED);
    }
}
