package org.maintenancevalve.install;

import java.io.IOException;
import java.nio.file.Path;

/** Replaces a file's content. The seam through which install writes server.xml. */
interface FileReplacer {

    /** Replaces the content of the existing file {@code target}; on failure it is left as it was. */
    void replace(Path target, byte[] content) throws IOException;
}
