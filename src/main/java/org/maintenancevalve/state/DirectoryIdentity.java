package org.maintenancevalve.state;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * Which directory a path leads to right now (following links): its file key (device and inode)
 * and the file system it is on. When a shared home is unmounted, the path leads to the empty
 * mount-point directory left behind: another directory, on another file system. A symbolic link
 * swapped to another directory changes the inode.
 * <p>
 * One {@code stat} per look. Only when the file key or the modified time differs from the last
 * look's are the inode and the file system (Java reads {@code /proc/mounts} for it) looked up, so a
 * watcher that looks every second pays for that once per change, not once per look. The modified
 * time is part of that because device numbers are reused: a share unmounted and another mounted
 * between two looks may get the same device and root inode, never the same modified time.
 */
final class DirectoryIdentity {

    /** Lookups of a new directory that give up when it keeps changing under them. */
    private static final int MAX_TRIES = 3;

    /** Device and inode (Unix); {@code null} where file attributes carry no key (Windows). */
    private final Object fileKey;
    private final FileTime modified;
    private final Object inode;
    /** {@link FileStore#name()}: an NFS share's {@code server:/export}, a disk's device. */
    private final String storeName;
    private final String storeType;

    private DirectoryIdentity(Object fileKey, FileTime modified, Object inode, String storeName, String storeType) {
        this.fileKey = fileKey;
        this.modified = modified;
        this.inode = inode;
        this.storeName = storeName;
        this.storeType = storeType;
    }

    /**
     * Looks at {@code directory} now.
     *
     * @param known the identity seen last; returned as it is when file key and modified time are unchanged
     * @return the directory it leads to, or {@code null} when that cannot be told (missing, not a
     *         directory, cannot be examined, or changing while it was looked at)
     */
    static DirectoryIdentity of(Path directory, DirectoryIdentity known) {
        BasicFileAttributes attributes = attributes(directory);
        if (attributes == null) {
            return null;
        }
        Object key = attributes.fileKey();
        if (key == null) {
            return new DirectoryIdentity(null, null, null, null, null); // nothing to tell directories apart by
        }
        if (known != null && key.equals(known.fileKey) && attributes.lastModifiedTime().equals(known.modified)) {
            return known;
        }
        for (int i = 0; i < MAX_TRIES; i++) {
            Object inode;
            Object keyOfInode;
            try {
                Map<String, Object> unix = Files.readAttributes(directory, "unix:ino,fileKey");
                inode = unix.get("ino");
                keyOfInode = unix.get("fileKey");
            } catch (IOException | RuntimeException e) {
                inode = null;
                keyOfInode = key;
            }
            String name = null;
            String type = null;
            try {
                FileStore store = Files.getFileStore(directory);
                name = store.name();
                type = store.type();
            } catch (IOException | RuntimeException e) {
                // Unknown file system: compared by file key alone.
            }
            BasicFileAttributes after = attributes(directory);
            if (after == null || after.fileKey() == null) {
                return null;
            }
            if (key.equals(keyOfInode) && key.equals(after.fileKey())) {
                return new DirectoryIdentity(key, after.lastModifiedTime(), inode, name, type);
            }
            key = after.fileKey(); // it changed while looked at: once more
        }
        return null;
    }

    private static BasicFileAttributes attributes(Path directory) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class);
            return attributes.isDirectory() ? attributes : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the same file key (device and inode) was seen: the same directory, looked at twice. */
    boolean sameKeyAs(DirectoryIdentity other) {
        return other != null && (fileKey == null ? other.fileKey == null : fileKey.equals(other.fileKey));
    }

    /**
     * Whether this is the directory {@code other} was: the same inode on the same file system. The
     * device number is not compared when the file system is known: a share mounted again may get
     * another one. Where there are no file keys (Windows) nothing tells directories apart: the same.
     */
    boolean isSameDirectoryAs(DirectoryIdentity other) {
        if (fileKey == null || other.fileKey == null) {
            return true;
        }
        if (inode != null && storeName != null && storeType != null
                && other.inode != null && other.storeName != null && other.storeType != null) {
            return inode.equals(other.inode) && storeName.equals(other.storeName) && storeType.equals(other.storeType);
        }
        return fileKey.equals(other.fileKey);
    }

    /** For the log: {@code file system "server:/export" (nfs4), inode 2}; names quoted, they come from outside. */
    String describe() {
        StringBuilder text = new StringBuilder(80);
        if (storeName != null) {
            text.append("file system ").append(AuditLine.quote(storeName)).append(" (")
                    .append(AuditLine.quote(storeType)).append("), ");
        }
        text.append(inode != null ? "inode " + inode : "file key " + fileKey);
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
