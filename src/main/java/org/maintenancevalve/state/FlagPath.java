package org.maintenancevalve.state;

import org.maintenancevalve.files.RelativePath;

import java.nio.file.Path;

/**
 * Where the valve's {@code flagFile} attribute points: the one rule and the one default name, for
 * the valve and for the tools that must find the same file.
 */
public final class FlagPath {

    /** The flag file when the attribute is not given (or empty), relative to {@code catalina.base}. */
    public static final String DEFAULT_NAME = "maintenance.flag";

    private FlagPath() {
    }

    /**
     * @param flagFile     the attribute as written (properties already replaced), or empty/{@code null}
     * @param catalinaBase the directory a relative path is resolved against
     * @return the absolute, normalised path of the flag file
     * @throws java.nio.file.InvalidPathException when it is not a path
     */
    public static Path resolve(String flagFile, Path catalinaBase) {
        return RelativePath.resolve(flagFile == null || flagFile.trim().isEmpty() ? DEFAULT_NAME : flagFile, catalinaBase);
    }
}
