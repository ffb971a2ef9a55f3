package org.maintenancevalve.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of this build: {@code version.properties} beside this class, filled in by Maven's
 * resource filtering, so it is the same in the shaded jar and in {@code target/classes}.
 */
public final class Version {

    /** What is shown when the resource is missing or was not filtered (a build outside Maven). */
    static final String UNKNOWN = "unknown";

    private static final String CURRENT = read(Version.class.getResourceAsStream("version.properties"));

    private Version() {
    }

    /** The version, e.g. {@code 0.1.0}, or {@code unknown}; never null. */
    public static String current() {
        return CURRENT;
    }

    /** The {@code version} property of the stream (closed here); {@code unknown} when absent or unfiltered. */
    static String read(InputStream in) {
        if (in == null) {
            return UNKNOWN;
        }
        Properties properties = new Properties();
        try (InputStream stream = in) {
            properties.load(stream);
        } catch (IOException | IllegalArgumentException e) {
            return UNKNOWN;
        }
        String version = properties.getProperty("version", "").trim();
        return version.isEmpty() || version.contains("${") ? UNKNOWN : version;
    }
}
