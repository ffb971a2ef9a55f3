package org.maintenancevalve.install;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replaces a file the way a production config file must be replaced: the new content goes to a
 * temporary file in the same directory, gets the old file's permissions, owner and group, is
 * forced to disk and moved over the old one atomically. Tomcat (or a crash) sees the old file or
 * the new one, never half of one. A symbolic link is followed: its target is replaced.
 * <p>
 * When the owner cannot be kept (not root, and not the owner), the file is rewritten in place
 * instead, which keeps owner and permissions but is not atomic.
 */
final class AtomicReplace implements FileReplacer {

    @Override
    public void replace(Path target, byte[] content) throws IOException {
        Path real = target.toRealPath();
        Path directory = real.getParent();
        Path temp = Files.createTempFile(directory, "." + real.getFileName() + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                out.write(content);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (!copyPosixAttributes(real, temp)) {
                Files.delete(temp);
                Files.write(real, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                return;
            }
            try {
                Files.move(temp, real, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, real, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** @return false when the owner or group could not be given to the new file */
    private static boolean copyPosixAttributes(Path from, Path to) throws IOException {
        PosixFileAttributeView fromView = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView toView = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (fromView == null || toView == null) {
            return true;
        }
        PosixFileAttributes old = fromView.readAttributes();
        PosixFileAttributes created = toView.readAttributes();
        try {
            if (!created.owner().equals(old.owner())) {
                toView.setOwner(old.owner());
            }
            if (!created.group().equals(old.group())) {
                toView.setGroup(old.group());
            }
        } catch (IOException e) {
            return false;
        }
        toView.setPermissions(old.permissions());
        return true;
    }
}
