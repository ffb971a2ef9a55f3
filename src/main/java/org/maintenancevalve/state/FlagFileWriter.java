package org.maintenancevalve.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.maintenancevalve.files.AtomicFileWriter;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.PrivateDirectory;
import org.maintenancevalve.files.UnsafeDirectoryException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Changes the flag file the only safe way, through {@link AtomicFileWriter}: a reader (this JVM,
 * another node on the shared home) sees the old file or the new one, never half of one.
 */
public final class FlagFileWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FlagFileWriter() {
    }

    /**
     * Reads the present flag file as a JSON object to edit, keeping fields this version does not
     * know. A missing, empty or unreadable file gives an empty object.
     */
    public static ObjectNode readForEdit(Path flagFile) {
        try {
            byte[] content = FlagFileLook.readBounded(flagFile, FlagFileParser.MAX_BYTES + 1);
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

    /**
     * Writes {@code content} as the flag file, atomically, {@code rw-r-----}: see
     * {@link AtomicFileWriter.Policy#PRIVATE_FILE} (run as root, it takes the directory's group,
     * and a directory another user can change is refused: check first with
     * {@link org.maintenancevalve.files.PrivateDirectory#requireWhenRoot} for a refusal with advice).
     */
    public static void write(Path flagFile, ObjectNode content) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(content);
        Path target = flagFile.toAbsolutePath();
        Path directory = target.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new IOException("Cannot write the maintenance flag " + target + ": directory "
                    + directory + " does not exist");
        }
        try {
            AtomicFileWriter.write(target, bytes, AtomicFileWriter.Policy.PRIVATE_FILE);
        } catch (UnsafeDirectoryException e) {
            throw new IOException(e.getMessage()); // JDK types only: JMX clients must be able to read it
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot write the maintenance flag " + target + ": " + IoErrors.reason(e), e);
        }
    }

    /**
     * Removes the flag file, if what is under its name reads as one ({@link FlagFileTarget}): a
     * symbolic link, a directory, or a file that does not read as a flag file is refused and left
     * as it is. Run as root, only in a directory only root can change
     * ({@link PrivateDirectory#requireWhenRootToRemove}), checked before anything is read. Only JDK
     * exception types leave it: JMX clients must be able to read them.
     *
     * @return whether there was one
     */
    public static boolean delete(Path flagFile) throws IOException {
        try {
            PrivateDirectory.requireWhenRootToRemove(flagFile);
        } catch (UnsafeDirectoryException e) {
            throw new IOException(e.getMessage());
        } catch (NoSuchFileException e) {
            return false; // no directory, so no flag file
        }
        FlagFileTarget target = FlagFileTarget.read(flagFile);
        if (target.absent()) {
            return false;
        }
        if (target.problem() != null) {
            throw new IOException(target.refusal("removed"));
        }
        try {
            target.requireUnchanged();
            Files.delete(target.file());
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new IOException("Cannot remove the maintenance flag " + flagFile + ": " + IoErrors.reason(e), e);
        }
    }
}
