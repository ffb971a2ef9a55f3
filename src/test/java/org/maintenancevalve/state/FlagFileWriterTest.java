package org.maintenancevalve.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagFileWriterTest {

    @TempDir
    Path dir;

    @Test
    void writesAtomicallyWithPrivatePermissionsAndLeavesNoTempFile() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        ObjectNode content = FlagFileWriter.readForEdit(flag);
        content.put("message", "Backup <running>");
        FlagFileWriter.write(flag, content);

        FlagSettings settings = FlagFileParser.parse(Files.readAllBytes(flag), Clock.systemUTC());
        assertEquals("Backup <running>", settings.message());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(flag)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the flag file is left");
        }
    }

    @Test
    void editingKeepsFieldsItDoesNotKnow() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        Files.write(flag, "{\"bypassSecret\":\"s\",\"future\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8));
        ObjectNode content = FlagFileWriter.readForEdit(flag);
        content.put("message", "m");
        FlagFileWriter.write(flag, content);
        String text = new String(Files.readAllBytes(flag), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"future\""));
        assertEquals("s", FlagFileParser.parse(Files.readAllBytes(flag), Clock.systemUTC()).bypassSecret());
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        Path flag = dir.resolve("missing").resolve("maintenance.flag");
        IOException e = assertThrows(IOException.class, () -> FlagFileWriter.write(flag, FlagFileWriter.readForEdit(flag)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void deleteSaysWhetherThereWasAFlag() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        assertFalse(FlagFileWriter.delete(flag));
        Files.createFile(flag);
        assertTrue(FlagFileWriter.delete(flag));
        assertFalse(Files.exists(flag));
    }
}
