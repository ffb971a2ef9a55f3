package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Who this process acts as on the file system: its effective user id. */
public final class ProcessUser {

    public static final int UNKNOWN = -1;

    private static final int EFFECTIVE_UID = readEffectiveUid();

    private ProcessUser() {
    }

    /** The effective user id, or {@link #UNKNOWN} where the system does not say. */
    public static int effectiveUid() {
        return EFFECTIVE_UID;
    }

    /** Root by either account: the effective id, or the name of the real one. */
    public static boolean isRoot() {
        return EFFECTIVE_UID == 0 || "root".equals(System.getProperty("user.name"));
    }

    /**
     * {@code Uid:} in Linux's /proc/self/status lists the real, effective, saved and file-system
     * ids. Elsewhere (macOS), the owner of a file this process creates in its temporary directory.
     */
    private static int readEffectiveUid() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        try {
            Path probe = Files.createTempFile("maintenance-valve-uid", ".tmp");
            try {
                return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }
}
