package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The one way this project replaces a file (the flag, server.xml, the jar in {@code lib/}): the
 * new content goes to a temporary file in the same directory, is forced to disk and moved over
 * the old name atomically, so a reader sees the old file or the new one, never half of one.
 * <p>
 * It may run as root in a directory another user can write (the Tomcat user's), so it never
 * follows a link and never reopens a file by name where someone else can change the name:
 * <ol>
 * <li>As root, it writes only into a {@linkplain PrivateDirectory private directory}: one that
 * only root can change, up to {@code /}. Elsewhere it refuses ({@link UnsafeDirectoryException}).
 * In a private directory nobody else can rename, delete or create a name, so each step below
 * sees what the step before left. The directory's links are resolved once, before the check, and
 * only that resolved path is used. Why refuse rather than write carefully there: the callers also
 * read the old file by name (the flag's fields to keep, the server.xml to edit), and the owner
 * and group root must give can only be given by name.</li>
 * <li>The temporary file is created once, {@code O_CREAT|O_EXCL|O_NOFOLLOW} with its permissions
 * given to {@code open}: an existing name, a link included, makes it fail (then another random
 * name is tried) and is never followed. The content is written and forced on that one channel.</li>
 * <li>Owner, group and permissions that creation could not give (the Tomcat group of a flag
 * written by root, the owner and mode of the server.xml it replaces, a umask that took the
 * group's read away) are set without following links ({@code lchown}; for {@code chmod} the
 * JDK opens the name with {@code O_NOFOLLOW} and calls {@code fchmod}), and only in a private
 * directory: elsewhere a hard link or a FIFO swapped in under the name would still be reached by
 * it. Java has no {@code fchown} on a channel, hence this rule. Outside a private directory (only
 * a user other than root gets there) the file keeps what creation gave it, or the write is
 * refused when the policy needs more.</li>
 * <li>Before the move, {@code lstat} must show a regular file with the file key (device and
 * inode) seen right after creation and the size written. The {@code rename} that follows
 * replaces the target name itself, a link at it included; it does not follow it.</li>
 * </ol>
 * What is left between check and use: outside a private directory, its owner can swap the
 * temporary name after the last check; the move then puts their own file under the target name,
 * in their own directory, which they could do anyway. No step in between opens, changes or
 * reads anything by that name. On any failure the temporary name is removed ({@code unlink}
 * removes a name; it never follows it).
 */
public final class AtomicFileWriter {

    /** Who owns the new file and what it permits. */
    public enum Policy {
        /**
         * A new private file, {@code rw-r-----} (owner and group only: it may hold a secret),
         * the writer's. Written by root, its group is the directory's, so the Tomcat group of a
         * root-owned directory can read it.
         */
        PRIVATE_FILE,
        /**
         * The owner, group and permissions of the file it replaces (for a file that does not
         * exist yet, {@code rw-r--r--}, the writer's). A symbolic link or other non-regular file
         * at the name is refused: resolve it first if it is meant.
         */
        KEEP_REPLACED
    }

    /** A point between two steps, where tests act as an attacker would. */
    interface Pause {
        void at(String step, Path temp) throws IOException;
    }

    /** The temporary name for a target name. */
    interface TempNames {
        String next(String targetName);
    }

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final int CREATE_ATTEMPTS = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    static final TempNames RANDOM_NAMES =
            target -> "." + target + "." + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp";

    static final Pause NO_PAUSE = (step, temp) -> { };

    private static final AtomicFileWriter PROCESS = new AtomicFileWriter(ProcessUser.effectiveUid(),
            ProcessUser.isRoot(), RANDOM_NAMES, NO_PAUSE);

    private final int uid;
    private final boolean root;
    private final TempNames names;
    private final Pause pause;

    AtomicFileWriter(int uid, boolean root, TempNames names, Pause pause) {
        this.uid = uid;
        this.root = root;
        this.names = names;
        this.pause = pause;
    }

    /** Replaces (or creates) {@code target} with {@code content}, atomically, as described above. */
    public static void write(Path target, byte[] content, Policy policy) throws IOException {
        PROCESS.replace(target, content, policy);
    }

    /**
     * Does everything but the move: the new content waits under a temporary name beside
     * {@code target} until {@link Staged#commit()}; {@link Staged#close()} removes it if not
     * committed. For a change in several files that must fail before any of them changes.
     */
    public static Staged stage(Path target, byte[] content, Policy policy) throws IOException {
        return PROCESS.prepare(target, content, policy);
    }

    void replace(Path target, byte[] content, Policy policy) throws IOException {
        try (Staged staged = prepare(target, content, policy)) {
            staged.commit();
        }
    }

    Staged prepare(Path target, byte[] content, Policy policy) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new IOException(target + " does not name a file in a directory");
        }
        Path directory;
        try {
            directory = parent.toRealPath();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(parent.toString(), null, "directory does not exist");
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotDirectoryException(directory.toString());
        }
        Path file = directory.resolve(absolute.getFileName().toString());
        boolean posix = PrivateDirectory.isPosix(directory);
        boolean privateDirectory = false;
        if (posix) {
            PrivateDirectory.Problem problem = PrivateDirectory.problem(directory, uid);
            if (problem != null && root) {
                throw problem.refusal(file.toString());
            }
            privateDirectory = problem == null;
        }
        Wanted wanted = posix ? wanted(file, directory, policy) : null;

        Path temp = null;
        FileChannel channel = null;
        try {
            for (int attempt = 1; channel == null; attempt++) {
                temp = directory.resolve(names.next(file.getFileName().toString()));
                try {
                    channel = create(temp, wanted);
                } catch (FileAlreadyExistsException e) {
                    temp = null;
                    if (attempt == CREATE_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            Object fileKey = lstat(temp).fileKey();
            pause.at("created", temp);
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
            channel.close();
            pause.at("written", temp);
            if (posix) {
                settle(temp, fileKey, file, wanted, policy, privateDirectory);
                pause.at("settled", temp);
            }
            Staged staged = new Staged(temp, file, fileKey, content.length);
            staged.check();
            return staged;
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(channel);
            deleteQuietly(temp);
            throw e;
        }
    }

    private static FileChannel create(Path temp, Wanted wanted) throws IOException {
        Set<OpenOption> options = new HashSet<>(Arrays.<OpenOption>asList(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        FileAttribute<?>[] attributes = wanted == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(wanted.permissions)};
        return FileChannel.open(temp, options, attributes);
    }

    /** What the new file must be, by the policy; read before anything is created. */
    private Wanted wanted(Path file, Path directory, Policy policy) throws IOException {
        if (policy == Policy.PRIVATE_FILE) {
            GroupPrincipal group = root
                    ? Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).group()
                    : null;
            return new Wanted(PRIVATE, null, group);
        }
        PosixFileAttributes replaced;
        try {
            replaced = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new Wanted(READABLE, null, null);
        }
        if (!replaced.isRegularFile()) {
            throw new IOException(file + " is " + (replaced.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                    + "; it is not replaced");
        }
        return new Wanted(replaced.permissions(), replaced.owner(), replaced.group());
    }

    /** Gives the temporary file what creation could not; see the class comment for where and why. */
    private static void settle(Path temp, Object fileKey, Path file, Wanted wanted, Policy policy,
                               boolean privateDirectory) throws IOException {
        PosixFileAttributes now = Files.readAttributes(temp, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        requireUnchanged(temp, now, fileKey);
        boolean owner = wanted.owner != null && !wanted.owner.equals(now.owner());
        boolean group = wanted.group != null && !wanted.group.equals(now.group());
        boolean permissions = !wanted.permissions.equals(now.permissions());
        if (!owner && !group && !permissions) {
            return;
        }
        if (!privateDirectory) {
            if (policy == Policy.PRIVATE_FILE) {
                return; // as created: the writer's, its umask applied
            }
            throw new IOException("cannot give the new " + file + " " + wanted
                    + " like the file it replaces: others can change " + file.getParent()
                    + ", where that cannot be done safely. Run it as the file's owner or as root");
        }
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            if (owner) {
                view.setOwner(wanted.owner);
            }
            if (group) {
                view.setGroup(wanted.group);
            }
        } catch (FileSystemException e) {
            throw new IOException("cannot give the new " + file + " " + wanted + " like the file it replaces ("
                    + IoErrors.reason(e) + "). Run it as " + (wanted.owner == null ? "root" : wanted.owner.getName())
                    + " or as root", e);
        }
        if (permissions) {
            view.setPermissions(wanted.permissions);
        }
        PosixFileAttributes settled = Files.readAttributes(temp, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        requireUnchanged(temp, settled, fileKey);
        if ((wanted.owner != null && !wanted.owner.equals(settled.owner()))
                || (wanted.group != null && !wanted.group.equals(settled.group()))
                || !wanted.permissions.equals(settled.permissions())) {
            throw new IOException("cannot give the new " + file + " " + wanted + ": it has owner "
                    + settled.owner().getName() + ", group " + settled.group().getName() + ", "
                    + PosixFilePermissions.toString(settled.permissions()));
        }
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static void requireUnchanged(Path temp, BasicFileAttributes now, Object fileKey) throws IOException {
        if (!now.isRegularFile() || !Objects.equals(now.fileKey(), fileKey)) {
            throw new IOException(temp + " was replaced by someone else while it was written; nothing was changed");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the failure being reported matters more
            }
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a hidden .tmp name; the failure being reported matters more
            }
        }
    }

    /** The new content under its temporary name, checked, waiting for the move. */
    public static final class Staged implements AutoCloseable {
        private final Path temp;
        private final Path target;
        private final Object fileKey;
        private final long size;
        private boolean moved;

        private Staged(Path temp, Path target, Object fileKey, long size) {
            this.temp = temp;
            this.target = target;
            this.fileKey = fileKey;
            this.size = size;
        }

        /** The file this will replace (its directory's links resolved). */
        public Path target() {
            return target;
        }

        private void check() throws IOException {
            BasicFileAttributes now = lstat(temp);
            requireUnchanged(temp, now, fileKey);
            if (now.size() != size) {
                throw new IOException(temp + " was changed by someone else while it was written; nothing was changed");
            }
        }

        /** Checks the temporary file once more and moves it over the target, atomically. */
        public void commit() throws IOException {
            if (moved) {
                throw new IllegalStateException("already moved to " + target);
            }
            check();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        }

        /** Removes the temporary file unless it was moved. */
        @Override
        public void close() {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /** Owner (null: the writer), group (null: as created) and permissions the new file must have. */
    private static final class Wanted {
        final Set<PosixFilePermission> permissions;
        final UserPrincipal owner;
        final GroupPrincipal group;

        Wanted(Set<PosixFilePermission> permissions, UserPrincipal owner, GroupPrincipal group) {
            this.permissions = permissions;
            this.owner = owner;
            this.group = group;
        }

        @Override
        public String toString() {
            return (owner == null ? "" : "owner " + owner.getName() + ", ")
                    + (group == null ? "" : "group " + group.getName() + ", ")
                    + "permissions " + PosixFilePermissions.toString(permissions);
        }
    }
}
