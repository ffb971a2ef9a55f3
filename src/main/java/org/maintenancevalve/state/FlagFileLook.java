package org.maintenancevalve.state;

import org.maintenancevalve.files.FileStamp;
import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Arrays;

/**
 * One look at the flag file: whether it is there, the attributes that tell a change
 * (modified time, size, file key), and what it says. Reading is bounded and never follows the
 * file into trouble: a directory, a FIFO or a dangling link is reported, not opened.
 */
public final class FlagFileLook {

    /** What the look found. */
    enum Outcome {
        /** No flag file, in a directory that exists: maintenance is off. */
        ABSENT,
        /** A regular file: {@link #settings()} says what it means (fail-closed if unusable). */
        PRESENT,
        /** Nothing trustworthy could be seen (missing directory, link loop, a directory...). */
        UNUSABLE
    }

    private final Outcome outcome;
    private final FileStamp stamp;
    private final String problem;

    private FlagFileLook(Outcome outcome, FileStamp stamp, String problem) {
        this.outcome = outcome;
        this.stamp = stamp;
        this.problem = problem;
    }

    Outcome outcome() {
        return outcome;
    }

    /** Attributes of a present file; {@code null} otherwise. */
    FileStamp stamp() {
        return stamp;
    }

    /** Why the flag file is unusable; {@code null} unless {@link Outcome#UNUSABLE}. */
    String problem() {
        return problem;
    }

    /** Looks at the file's attributes only: no content is read. */
    static FlagFileLook look(Path flagFile) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(flagFile, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(flagFile)) {
                return unusable("is a symbolic link to a file that does not exist");
            }
            Path parent = flagFile.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                return unusable("its directory " + parent + " does not exist or cannot be reached");
            }
            return new FlagFileLook(Outcome.ABSENT, null, null);
        } catch (FileSystemException e) {
            String reason = e.getReason();
            return unusable("cannot be examined" + (reason == null ? "" : ": " + reason));
        } catch (IOException | RuntimeException e) {
            return unusable("cannot be examined: " + e);
        }
        if (attributes.isDirectory()) {
            return unusable("is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            return unusable("is not a regular file");
        }
        FileStamp stamp = FileStamp.of(attributes);
        return new FlagFileLook(Outcome.PRESENT, stamp, null);
    }

    private static FlagFileLook unusable(String problem) {
        return new FlagFileLook(Outcome.UNUSABLE, null, problem);
    }

    /**
     * Reads at most {@link FlagFileParser#MAX_BYTES}{@code + 1} bytes and parses them.
     * An unreadable file still means maintenance: the result is fail-closed.
     */
    static FlagSettings readSettings(Path flagFile, Clock clock) {
        byte[] content;
        try {
            content = readBounded(flagFile, FlagFileParser.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return FlagSettings.failClosed("cannot be read: " + IoErrors.reason(e));
        }
        return FlagFileParser.parse(content, clock);
    }

    /**
     * The file's first {@code limit} bytes (all of it when it is shorter), never more: a huge or
     * endless file costs no more than {@code limit}. Read this way so a caller can tell "longer
     * than allowed" by asking for one byte more than it allows.
     *
     * @param options how to open it, e.g. {@link java.nio.file.LinkOption#NOFOLLOW_LINKS}
     */
    public static byte[] readBounded(Path file, int limit, OpenOption... options) throws IOException {
        byte[] buffer = new byte[Math.min(limit, 8192)];
        int length = 0;
        try (InputStream in = Files.newInputStream(file, options)) {
            while (length < limit) {
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        }
        return Arrays.copyOf(buffer, length);
    }
}
