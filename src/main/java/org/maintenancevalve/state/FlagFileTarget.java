package org.maintenancevalve.state;

import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * What is under the flag file's name, as something to remove or replace. Only a regular file that
 * reads as a flag file ({@link FlagFileParser#notAFlagFile}) may be: anything else is refused,
 * whoever asks ({@code on}, {@code off}, {@code run}, JMX) and {@code on --new} too, because a path
 * that names another file, by a typo or by whoever could change {@code server.xml}, must not cost
 * that file its content.
 * <p>
 * It is looked at without following a link ({@code lstat}) and read through one descriptor opened
 * with {@code O_NOFOLLOW}; the decision is made on the bytes read there. The name is taken in the
 * real path of the flag's directory, resolved once here, and the writers use {@link #file()}, so
 * what they change is in the directory that was read. That the name still holds the file read is
 * checked by its file key (device and inode) after the read and before a removal: in a directory
 * only root can change (the only place root writes, see
 * {@link org.maintenancevalve.files.PrivateDirectory}) nobody else can swap it in between;
 * elsewhere only the users who can change that directory can, and they risk only what they could
 * change anyway.
 */
final class FlagFileTarget {

    private final Path given;
    private final Path file;
    private final byte[] content;
    private final Object fileKey;
    private final String problem;

    private FlagFileTarget(Path given, Path file, byte[] content, Object fileKey, String problem) {
        this.given = given;
        this.file = file;
        this.content = content;
        this.fileKey = fileKey;
        this.problem = problem;
    }

    /**
     * Looks at what is under {@code flagFile}'s name and reads it if it is a regular file.
     *
     * @throws IOException when the name changed while it was read (nothing may be decided on it)
     */
    static FlagFileTarget read(Path flagFile) throws IOException {
        Path absolute = flagFile.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new IOException(flagFile + " does not name a file in a directory");
        }
        Path directory;
        try {
            directory = parent.toRealPath();
        } catch (NoSuchFileException e) {
            return new FlagFileTarget(flagFile, absolute, null, null, null); // a writer says so
        }
        Path file = directory.resolve(absolute.getFileName().toString());
        BasicFileAttributes before;
        try {
            before = lstat(file);
        } catch (NoSuchFileException e) {
            return new FlagFileTarget(flagFile, file, null, null, null);
        }
        if (before.isSymbolicLink()) {
            return notAFlagFile(flagFile, file, before, "is a symbolic link" + linkTarget(file)
                    + ", which the tools never follow");
        }
        if (before.isDirectory()) {
            return notAFlagFile(flagFile, file, before, "is a directory");
        }
        if (!before.isRegularFile()) {
            return notAFlagFile(flagFile, file, before, "is not a regular file (a FIFO, a socket or a device)");
        }
        byte[] content;
        try {
            content = FlagFileLook.readBounded(file, FlagFileParser.MAX_BYTES + 1, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return notAFlagFile(flagFile, file, before, "cannot be read (" + IoErrors.reason(e) + ")");
        }
        FlagFileTarget target = new FlagFileTarget(flagFile, file, content, before.fileKey(),
                FlagFileParser.notAFlagFile(content));
        target.requireUnchanged();
        return target;
    }

    private static String linkTarget(Path link) {
        try {
            return " (to " + AuditLine.quote(Files.readSymbolicLink(link).toString()) + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static FlagFileTarget notAFlagFile(Path given, Path file, BasicFileAttributes seen, String problem) {
        return new FlagFileTarget(given, file, new byte[0], seen.fileKey(), problem);
    }

    /** Whether there is nothing under the name (or no directory). */
    boolean absent() {
        return content == null;
    }

    /** The name in the real path of the flag's directory: the one to write or remove. */
    Path file() {
        return file;
    }

    /** The bytes read, at most {@link FlagFileParser#MAX_BYTES}{@code + 1}; empty when it could not be read. */
    byte[] content() {
        return content;
    }

    /** Why it may not be removed or replaced; {@code null} when it reads as a flag file (or is absent). */
    String problem() {
        return problem;
    }

    /**
     * The refusal, with what the admin can do.
     *
     * @param done {@code removed} or {@code replaced}
     */
    String refusal(String done) {
        String name = shellWord(given.toString());
        return given + " is not " + done + ": it " + problem + ", so it does not read as a maintenance flag file"
                + " and may be another file. Nothing was changed. Look at it (ls -l " + name + "); if it is the flag"
                + " file, remove it yourself (" + (problem.equals("is a directory") ? "rmdir " : "rm ") + name + ")"
                + ("replaced".equals(done) ? " and try again." : ".");
    }

    /** Refuses when the name no longer holds the regular file that was read. */
    void requireUnchanged() throws IOException {
        BasicFileAttributes now;
        try {
            now = lstat(file);
        } catch (NoSuchFileException e) {
            now = null;
        }
        if (now == null || !now.isRegularFile() || !Objects.equals(now.fileKey(), fileKey)) {
            throw new IOException(given + " was changed by someone else while it was looked at; nothing was changed."
                    + " Try again");
        }
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** The path as one word a POSIX shell reads back as written. */
    static String shellWord(String text) {
        if (!text.isEmpty() && text.matches("[A-Za-z0-9_./@%+=:,-]+")) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
