package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file only root can change, so that root may act on what it says: the file is root's and
 * cannot be written by its group or by others, the directory of its name is
 * {@linkplain PrivateDirectory private} to root, and so is the directory of its target when the
 * name is a symbolic link (whoever can change either could make the name mean another file). What
 * another user can change is that user's word, not root's: root must not let it name a file for
 * root to change (the command line's {@code --catalina-base} reads the flag file's name from
 * {@code conf/server.xml}, often the Tomcat user's).
 */
public final class RootOnlyFile {

    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;

    private RootOnlyFile() {
    }

    /**
     * As root, refuses a file another user could change; for any other user (or where files have
     * no owners), does nothing.
     *
     * @return the file to read: as root, its real path (links resolved here, once, and checked), or
     *         {@code null} when there is no such file; for any other user, {@code file} as given
     * @throws UntrustedFileException naming what another user can change
     */
    public static Path requireWhenRoot(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (!ProcessUser.isRoot() || absolute.getParent() == null || !PrivateDirectory.isPosix(absolute)) {
            return file;
        }
        return require(absolute);
    }

    /**
     * The check itself, whoever runs it: anything a user other than root could change is refused.
     *
     * @param file an absolute path
     * @return the real path of the file, or {@code null} when there is none (a dangling link too:
     *         what it would reach is not read)
     */
    static Path require(Path file) throws IOException {
        Path directory = file.getParent().toRealPath();
        refuse(file, PrivateDirectory.problem(directory, 0));
        Path name = directory.resolve(file.getFileName().toString());
        if (Files.notExists(name, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path real = name;
        if (Files.isSymbolicLink(name)) {
            try {
                real = name.toRealPath();
            } catch (NoSuchFileException e) {
                return null;
            }
            refuse(file, PrivateDirectory.problem(real.getParent(), 0));
        }
        Map<String, Object> a = Files.readAttributes(real, "unix:uid,mode,owner,group", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) a.get("uid");
        int mode = (Integer) a.get("mode");
        String owner = a.get("owner").toString();
        if ((mode & TYPE_MASK) != REGULAR) {
            throw new UntrustedFileException(file, real, "is not a regular file", null);
        }
        if (uid != 0) {
            throw new UntrustedFileException(file, real, "is owned by " + owner, owner);
        }
        if ((mode & 0022) != 0) {
            String who = (mode & 0002) != 0 ? "everyone" : "its group " + a.get("group");
            throw new UntrustedFileException(file, real, "can be written by " + who, null);
        }
        return real;
    }

    private static void refuse(Path file, PrivateDirectory.Problem problem) throws UntrustedFileException {
        if (problem != null) {
            throw new UntrustedFileException(file, problem.directory, problem.why, problem.owner);
        }
    }
}
