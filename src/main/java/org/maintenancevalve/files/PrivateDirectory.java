package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.Map;

/**
 * A directory whose entries nobody but the writer and root can change: it, and every directory
 * above it, is owned by root or the writer and cannot be written by anyone else (a sticky
 * directory such as {@code /tmp} is fine above it: others cannot rename or delete what is not
 * theirs there). In such a directory a name, once checked, stays what it was, so a step by name
 * is as safe as a step on a descriptor.
 */
public final class PrivateDirectory {

    private static final int WRITABLE_BY_GROUP_OR_OTHERS = 0022;
    private static final int STICKY = 01000;
    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;

    static final String WRITE = "write";
    static final String REMOVE = "remove";

    private PrivateDirectory() {
    }

    /**
     * As root, refuses to write {@code file} unless its directory is private to root (see the
     * class comment); for any other user, does nothing. The writer checks this itself; callers
     * that change several files check first, so that a refusal changes nothing.
     *
     * @param file the file to write; the links in its directory are resolved first
     * @throws UnsafeDirectoryException naming the directory that others can change and its owner
     */
    public static void requireWhenRoot(Path file) throws IOException {
        requireWhenRoot(file, WRITE);
    }

    /**
     * As root, refuses to remove {@code file} unless its directory is private to root, as
     * {@link #requireWhenRoot(Path)} does for a write: a name root removes in a directory another
     * user can change (or in one reached through a link they can swap) may be another file.
     */
    public static void requireWhenRootToRemove(Path file) throws IOException {
        requireWhenRoot(file, REMOVE);
    }

    private static void requireWhenRoot(Path file, String action) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && ProcessUser.isRoot() && isPosix(parent)) {
            Problem problem = problem(parent.toRealPath(), 0);
            if (problem != null) {
                throw problem.refusal(action, file.toString());
            }
        }
    }

    static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    /**
     * Why {@code directory} is not private to {@code writerUid}, or {@code null} when it is.
     *
     * @param directory a real path (no links in it)
     */
    static Problem problem(Path directory, int writerUid) throws IOException {
        for (Path p = directory; p != null; p = p.getParent()) {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode,owner,group", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) a.get("uid");
            int mode = (Integer) a.get("mode");
            String owner = a.get("owner").toString();
            if ((mode & TYPE_MASK) != DIRECTORY) {
                return new Problem(p, "is not a directory", null);
            }
            if (uid != 0 && uid != writerUid) {
                return new Problem(p, "is owned by " + owner, owner);
            }
            boolean sticky = (mode & STICKY) != 0 && !p.equals(directory);
            if ((mode & WRITABLE_BY_GROUP_OR_OTHERS) != 0 && !sticky) {
                String who = (mode & 0002) != 0 ? "everyone" : "its group " + a.get("group");
                return new Problem(p, "can be written by " + who, uid == 0 ? null : owner);
            }
        }
        return null;
    }

    /** Which directory others can change, and why. */
    static final class Problem {
        final Path directory;
        final String why;
        /** The owner to suggest running as; null when that would be root. */
        final String owner;

        Problem(Path directory, String why, String owner) {
            this.directory = directory;
            this.why = why;
            this.owner = owner;
        }

        UnsafeDirectoryException refusal(String target) {
            return refusal(WRITE, target);
        }

        UnsafeDirectoryException refusal(String action, String target) {
            return new UnsafeDirectoryException(action, target, directory, why, owner);
        }
    }
}
