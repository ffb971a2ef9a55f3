package org.maintenancevalve.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file only root may touch ({@code 0600}, owned by root, in a {@code 0700} directory of root's)
 * that a racer points its links at: whatever root is tricked into doing through a link shows in
 * its owner, group, permissions or content.
 */
public final class Victim {

    private static final byte[] CONTENT = "root only: the racer must never change this\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;

    private Victim(Path file) {
        this.file = file;
    }

    public static Victim create() throws IOException {
        Path dir = Files.createTempDirectory("mv-victim-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("victim");
        Files.write(file, CONTENT);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Victim victim = new Victim(file);
        victim.assertUnchanged("at the start");
        return victim;
    }

    public Path path() {
        return file;
    }

    /** What changed, or {@code null} when owner, group, permissions and content are as made. */
    public String change() throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        String state = "uid " + a.get("uid") + ", gid " + a.get("gid") + ", mode " + Integer.toOctalString((Integer) a.get("mode") & 07777);
        byte[] content = Files.readAllBytes(file);
        if (!state.equals("uid 0, gid 0, mode 600") || !Arrays.equals(CONTENT, content)) {
            return state + ", content " + new String(content, 0, Math.min(content.length, 200), StandardCharsets.UTF_8);
        }
        return null;
    }

    public void assertUnchanged(String when) throws IOException {
        String change = change();
        assertEquals(null, change, "the victim " + file + " changed " + when);
    }

    /** Puts the victim back as it was (after a calibration run that was meant to hurt it). */
    public void restore() throws IOException {
        Files.write(file, CONTENT);
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("root"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertTrue(change() == null);
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.getParent());
    }
}
