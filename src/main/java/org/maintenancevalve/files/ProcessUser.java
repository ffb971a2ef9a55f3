package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Who this process acts as on the file system: its effective user id. */
final class ProcessUser {

    static final int UNKNOWN = -1;

    private static final int EFFECTIVE_UID = readEffectiveUid();

    private ProcessUser() {
    }

    /** The effective user id, or {@link #UNKNOWN} where the system does not say (no Linux /proc). */
    static int effectiveUid() {
        return EFFECTIVE_UID;
    }

    static boolean isRoot() {
        return EFFECTIVE_UID == 0 || (EFFECTIVE_UID == UNKNOWN && "root".equals(System.getProperty("user.name")));
    }

    /** {@code Uid:} in /proc/self/status lists the real, effective, saved and file-system ids. */
    private static int readEffectiveUid() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return UNKNOWN;
    }
}
