package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;

/**
 * The attributes that change when a file does: its modification time, size and file key (the
 * inode, so a file replaced by a rename is a change even within the same second). A watcher reads
 * a file again when its stamp changed, and takes what it read only when the stamp did not change
 * while it read.
 */
public final class FileStamp {

    private final Instant modified;
    private final long size;
    private final Object fileKey;

    private FileStamp(Instant modified, long size, Object fileKey) {
        this.modified = modified;
        this.size = size;
        this.fileKey = fileKey;
    }

    public static FileStamp of(BasicFileAttributes attributes) {
        return new FileStamp(attributes.lastModifiedTime().toInstant(), attributes.size(), attributes.fileKey());
    }

    /** Looks at {@code file} now (following a link, as reading it does). */
    public static FileStamp of(Path file) throws IOException {
        return of(Files.readAttributes(file, BasicFileAttributes.class));
    }

    public Instant modified() {
        return modified;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FileStamp)) {
            return false;
        }
        FileStamp that = (FileStamp) o;
        return size == that.size && modified.equals(that.modified) && Objects.equals(fileKey, that.fileKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modified, size, fileKey);
    }
}
