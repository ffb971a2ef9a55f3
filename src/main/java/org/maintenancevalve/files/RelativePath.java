package org.maintenancevalve.files;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A path written in a configuration, relative to a base directory unless absolute: how the valve
 * reads its {@code flagFile} and {@code template} ({@code catalina.base} is the base), and how
 * the installer and the command line find the same files.
 */
public final class RelativePath {

    private RelativePath() {
    }

    /**
     * @return the absolute, normalised path {@code path} means, {@code base} being the directory
     *         a relative one starts from
     * @throws java.nio.file.InvalidPathException when {@code path} is not a path at all
     */
    public static Path resolve(String path, Path base) {
        Path file = Paths.get(path.trim());
        return (file.isAbsolute() ? file : base.resolve(file)).toAbsolutePath().normalize();
    }
}
