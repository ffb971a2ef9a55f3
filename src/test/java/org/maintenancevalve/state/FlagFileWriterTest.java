package org.maintenancevalve.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        assertFalse(FlagFileWriter.delete(dir.resolve("missing").resolve("maintenance.flag")), "no directory, no flag");
        Files.createFile(flag);
        assertTrue(FlagFileWriter.delete(flag));
        assertFalse(Files.exists(flag));
    }

    @Test
    void deleteRemovesEveryFlagFileEvenABrokenOne() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        for (String content : new String[] {"", " \n", "\uFEFF{}", "{\"mode\":\"read-only\",\"message\":\"m\"}",
                "{\"mode\":\"maintenance\",\"until\":\"soon\"}", "{\"window\":\"w1\",\"future\":1}"}) {
            Files.write(flag, content.getBytes(StandardCharsets.UTF_8));
            assertTrue(FlagFileWriter.delete(flag), content);
            assertFalse(Files.exists(flag, LinkOption.NOFOLLOW_LINKS), content);
        }
    }

    @Test
    void deleteRefusesWhatDoesNotReadAsAFlagFileAndSaysWhatToDo() throws IOException {
        Path flag = dir.resolve("maintenance.flag");
        String[][] cases = {
            {"maintenance", "is not JSON"},
            {"{\"db\":\"secret\",\"mode\":\"full\"}", "has a field a flag file does not have (\"db\") and no window id"},
            {"42", "is JSON, but not an object"},
        };
        for (String[] c : cases) {
            Files.write(flag, c[0].getBytes(StandardCharsets.UTF_8));
            IOException refused = assertThrows(IOException.class, () -> FlagFileWriter.delete(flag), c[0]);
            assertEquals(IOException.class, refused.getClass(), "a JDK type: JMX clients read it");
            assertTrue(refused.getMessage().startsWith(flag + " is not removed: it " + c[1]), refused.getMessage());
            assertTrue(refused.getMessage().endsWith("Nothing was changed. Look at it (ls -l " + flag
                    + "); if it is the flag file, remove it yourself (rm " + flag + ")."), refused.getMessage());
            assertEquals(c[0], Files.readString(flag), "untouched");
        }
    }

    @Test
    void deleteNeverRemovesALinkNorWhatItPointsTo() throws IOException {
        Path victim = Files.write(dir.resolve("victim"), "{}".getBytes(StandardCharsets.UTF_8));
        Path flag = Files.createSymbolicLink(dir.resolve("maintenance.flag"), victim);
        IOException refused = assertThrows(IOException.class, () -> FlagFileWriter.delete(flag));
        assertTrue(refused.getMessage().startsWith(flag + " is not removed: it is a symbolic link (to \"" + victim
                + "\"), which the tools never follow"), refused.getMessage());
        assertTrue(Files.isSymbolicLink(flag));
        assertEquals("{}", Files.readString(victim));

        Files.delete(flag);
        Files.createSymbolicLink(flag, dir.resolve("nothing-there"));
        assertThrows(IOException.class, () -> FlagFileWriter.delete(flag), "a dangling link is no flag file either");
        assertTrue(Files.isSymbolicLink(flag));

        Files.delete(flag);
        Files.createDirectory(flag);
        refused = assertThrows(IOException.class, () -> FlagFileWriter.delete(flag));
        assertTrue(refused.getMessage().contains("it is a directory") && refused.getMessage().contains("(rmdir " + flag + ")"),
                refused.getMessage());
        assertTrue(Files.isDirectory(flag));
    }

    @Test
    void aPathThatAShellWouldSplitIsQuotedInTheAdvice() throws IOException {
        Path flag = dir.resolve("it's a flag");
        Files.write(flag, "x".getBytes(StandardCharsets.UTF_8));
        IOException refused = assertThrows(IOException.class, () -> FlagFileWriter.delete(flag));
        assertTrue(refused.getMessage().endsWith("(rm '" + dir + "/it'\\''s a flag')."), refused.getMessage());
    }

    @Test
    void asRootDeleteRefusesADirectoryAnotherUserCanChange() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(dir, "unix:uid")) == 0, "runs as root (as CI does)");
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
        Path flag = Files.createFile(theirs.resolve("maintenance.flag"));
        IOException refused = assertThrows(IOException.class, () -> FlagFileWriter.delete(flag));
        assertEquals(IOException.class, refused.getClass(), "a JDK type: JMX clients read it");
        assertTrue(refused.getMessage().startsWith("Refusing to remove " + flag + " as root: " + theirs + " is owned by "
                + "nobody, and whoever can change it could swap a symbolic link in under a name root removes there and "
                + "make root remove another file."), refused.getMessage());
        assertTrue(Files.exists(flag));
    }
}
