package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.PrivateDirectory;
import org.maintenancevalve.files.UnsafeDirectoryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run as root, install and uninstall change only directories that only root can change (see
 * {@link PrivateDirectory}); they check that before they change anything, so a refusal leaves the
 * installation as it was.
 */
final class RootWrites {

    private RootWrites() {
    }

    /**
     * @param file a file install or uninstall will write or remove (links in its directory resolved)
     * @param verb {@code install} or {@code uninstall}, for the way out
     * @param base the installation, for the way out
     */
    static void requireSafe(Path file, String verb, Path base) throws Refused {
        Path directory = file.toAbsolutePath().getParent();
        try {
            PrivateDirectory.requireWhenRoot(file);
            if (Files.isSymbolicLink(file)) {
                PrivateDirectory.requireWhenRoot(file.toRealPath());
            }
        } catch (UnsafeDirectoryException e) {
            throw new Refused(e.problem() + " Nothing was changed. " + e.advice("install/" + verb + ".sh " + base + " ..."), e);
        } catch (IOException e) {
            throw new Refused("cannot look at " + directory + " (" + IoErrors.describe(e) + "); nothing was changed", e);
        }
    }
}
