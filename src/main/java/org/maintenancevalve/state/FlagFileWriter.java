package org.maintenancevalve.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Changes the flag file the only safe way: the new content goes to a temporary file in the same
 * directory, is forced to disk, and is moved over the flag atomically. A reader (this JVM, another
 * node on the shared home) sees the old file or the new one, never half of one.
 */
public final class FlagFileWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Owner may read and write, the Tomcat group may read, nobody else: the file may hold a secret. */
    private static final Set<PosixFilePermission> PERMISSIONS = PosixFilePermissions.fromString("rw-r-----");

    private FlagFileWriter() {
    }

    /**
     * Reads the present flag file as a JSON object to edit, keeping fields this version does not
     * know. A missing, empty or unreadable file gives an empty object.
     */
    public static ObjectNode readForEdit(Path flagFile) {
        try {
            byte[] content = FlagFileReading.readBounded(flagFile, FlagFileParser.MAX_BYTES + 1);
            if (content.length <= FlagFileParser.MAX_BYTES) {
                JsonNode node = MAPPER.readTree(content);
                if (node != null && node.isObject()) {
                    return (ObjectNode) node;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Nothing usable to keep: start afresh.
        }
        return MAPPER.createObjectNode();
    }

    /** Writes {@code content} as the flag file, atomically. */
    public static void write(Path flagFile, ObjectNode content) throws IOException {
        write(flagFile, content, false);
    }

    /**
     * Writes {@code content} as the flag file, atomically.
     *
     * @param ownerOfDirectory give the file the owner and group of its directory (when run as
     *                         root by an admin, so that the Tomcat user who owns the directory can read it)
     */
    public static void write(Path flagFile, ObjectNode content, boolean ownerOfDirectory) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(content);
        Path target = flagFile.toAbsolutePath();
        Path directory = target.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IOException("Cannot write the maintenance flag " + target + ": directory "
                    + directory + " does not exist");
        }
        Path temp = null;
        try {
            temp = createTemp(directory, target.getFileName().toString());
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (ownerOfDirectory) {
                giveOwnerOf(directory, temp);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
            throw new IOException("Cannot write the maintenance flag " + target + ": " + FlagFileReading.describe(e), e);
        }
    }

    /**
     * Removes the flag file.
     *
     * @return whether there was one
     */
    public static boolean delete(Path flagFile) throws IOException {
        try {
            return Files.deleteIfExists(flagFile);
        } catch (IOException e) {
            throw new IOException("Cannot remove the maintenance flag " + flagFile + ": " + e.getMessage(), e);
        }
    }

    private static void giveOwnerOf(Path directory, Path file) throws IOException {
        PosixFileAttributeView from = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        PosixFileAttributeView to = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (from == null || to == null) {
            return;
        }
        PosixFileAttributes owner = from.readAttributes();
        PosixFileAttributes current = to.readAttributes();
        if (!current.owner().equals(owner.owner())) {
            to.setOwner(owner.owner());
        }
        if (!current.group().equals(owner.group())) {
            to.setGroup(owner.group());
        }
    }

    private static Path createTemp(Path directory, String name) throws IOException {
        String prefix = "." + name + ".";
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(directory, prefix, ".tmp", PosixFilePermissions.asFileAttribute(PERMISSIONS));
        }
        return Files.createTempFile(directory, prefix, ".tmp");
    }
}
