package org.maintenancevalve.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A secret (a password) read from a file rather than from the command line, where every local user
 * sees it ({@code ps}). Only a file that is the reader's alone is read: a regular file, not a link,
 * owned by this process's user, with no permission for its group or others (as the JDK asks of
 * {@code jmxremote.password}); as root, also one that only root can change ({@link RootsAlone}), so
 * that no other user can put another of root's files under that name and have root send its first
 * line away.
 */
public final class SecretFile {

    /** A password is one short line; more is not a password file. */
    static final int MAX_BYTES = 4096;

    private static final int ANY_GROUP_OR_OTHERS = 0077;

    private SecretFile() {
    }

    /** A file that is not the reader's alone; the message says why and what to do. */
    public static final class NotPrivate extends IOException {
        private static final long serialVersionUID = 1L;

        NotPrivate(String message) {
            super(message);
        }
    }

    /**
     * The first line of {@code file}, without its line end.
     *
     * @throws NotPrivate when the file is not the reader's alone, or holds no line
     * @throws IOException when it cannot be read
     */
    public static String firstLine(Path file) throws IOException {
        if (PrivateDirectory.isPosix(file.toAbsolutePath())) {
            requirePrivate(file);
        }
        byte[] bytes = new byte[MAX_BYTES + 1];
        int length = 0;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            for (int n; length < bytes.length && (n = in.read(bytes, length, bytes.length - length)) > 0; ) {
                length += n;
            }
        }
        if (length > MAX_BYTES) {
            throw new NotPrivate(file + " is longer than " + MAX_BYTES + " bytes: it should hold the password alone, on its first line");
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new NotPrivate(file + " is empty: put the password on its first line");
        }
        return line;
    }

    private static void requirePrivate(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, "unix:uid,mode,owner", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        if (Files.isSymbolicLink(file)) {
            throw new NotPrivate(file + " is a symbolic link: name the file itself");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotPrivate(file + " is not a regular file");
        }
        int uid = (Integer) a.get("uid");
        int me = ProcessUser.effectiveUid();
        if (me != ProcessUser.UNKNOWN && uid != me) {
            throw new NotPrivate(file + " belongs to " + a.get("owner") + ", not to the user running this: a password"
                    + " file must be the reader's alone (chown it, or keep your own copy with mode 600)");
        }
        if ((mode & ANY_GROUP_OR_OTHERS) != 0) {
            throw new NotPrivate(file + " can be read or changed by others (mode " + Integer.toOctalString(mode & 0777)
                    + "): make it yours alone: chmod 600 " + file);
        }
        if (ProcessUser.isRoot()) {
            String others = RootsAlone.whoElseCanChange(file);
            if (others != null) {
                throw new NotPrivate(file + ": " + others + ", who could put another of root's files under this name;"
                        + " keep it in a directory only root can change, e.g. /root");
            }
        }
    }
}
