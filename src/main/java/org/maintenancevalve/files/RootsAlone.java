package org.maintenancevalve.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file that only root can change: the file (links resolved) is root's and writable by nobody
 * else, and the directory it is in, the directory of a link to it, and every directory above them
 * are private to root ({@link PrivateDirectory}). Root acts on what such a file says (a port to
 * connect to, a password to send); what another user can change could steer root instead.
 */
public final class RootsAlone {

    private static final int WRITABLE_BY_GROUP_OR_OTHERS = 0022;

    private RootsAlone() {
    }

    /** Whether this process runs as root (the rules of this package apply to root only). */
    public static boolean processIsRoot() {
        return ProcessUser.isRoot();
    }

    /**
     * Why a user other than root could change {@code file}, in words ({@code /opt/jira/bin is owned
     * by jira}), or {@code null} when only root can; {@code null} too where files have no POSIX
     * owner and mode (Windows).
     *
     * @throws IOException when the file or a directory above it cannot be looked at
     */
    public static String whoElseCanChange(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (!PrivateDirectory.isPosix(absolute)) {
            return null;
        }
        Path real = absolute.toRealPath();
        Map<String, Object> a = Files.readAttributes(real, "unix:uid,mode,owner,group", LinkOption.NOFOLLOW_LINKS);
        if ((Integer) a.get("uid") != 0) {
            return real + " is owned by " + a.get("owner");
        }
        int mode = (Integer) a.get("mode");
        if ((mode & WRITABLE_BY_GROUP_OR_OTHERS) != 0) {
            return real + " can be written by " + ((mode & 0002) != 0 ? "everyone" : "its group " + a.get("group"));
        }
        for (Path directory : new Path[] {real.getParent(), absolute.getParent().toRealPath()}) {
            PrivateDirectory.Problem problem = PrivateDirectory.problem(directory, 0);
            if (problem != null) {
                return problem.directory + " " + problem.why;
            }
        }
        return null;
    }
}
