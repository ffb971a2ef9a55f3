package org.maintenancevalve.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AtomicFileWriterTest {

    private static final byte[] OLD = bytes("old content");
    private static final byte[] NEW = bytes("new content, longer than the old");
    private static final byte[] SECRET = bytes("root only\n");

    @TempDir
    Path tmp;

    /** Where victims live, away from the directories whose listings the tests check. */
    @TempDir
    Path elsewhere;

    // ------------------------------------------------------------ the two policies

    @Test
    void aPrivateFileIsReadableByOwnerAndGroupOnlyAndNoTemporaryFileIsLeft() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("flags"));
        Path flag = dir.resolve("maintenance.flag");
        AtomicFileWriter.write(flag, NEW, AtomicFileWriter.Policy.PRIVATE_FILE);
        assertArrayEquals(NEW, Files.readAllBytes(flag));
        assertEquals("rw-r-----", permissions(flag));
        assertEquals(List.of("maintenance.flag"), names(dir));
    }

    @Test
    void aPrivateFileReplacesTheOldOneWhole() throws IOException {
        Path flag = Files.write(tmp.resolve("maintenance.flag"), bytes("a much longer old content than the new one"));
        AtomicFileWriter.write(flag, OLD, AtomicFileWriter.Policy.PRIVATE_FILE);
        assertArrayEquals(OLD, Files.readAllBytes(flag));
    }

    @Test
    void writtenByRootAPrivateFileGetsTheGroupOfItsDirectory() throws IOException {
        assumeRoot();
        Path dir = Files.createDirectories(tmp.resolve("flags"));
        Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(nogroup());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        Path flag = dir.resolve("maintenance.flag");
        AtomicFileWriter.write(flag, NEW, AtomicFileWriter.Policy.PRIVATE_FILE);
        PosixFileAttributes a = Files.readAttributes(flag, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals("root", a.owner().getName());
        assertEquals(nogroup(), a.group(), "the Tomcat group of a root-owned directory can read it");
        assertEquals("rw-r-----", permissions(flag));
    }

    @Test
    void keepReplacedKeepsPermissionsEvenThoseTheUmaskWouldTakeAway() throws IOException {
        Path file = Files.write(tmp.resolve("server.xml"), OLD);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        AtomicFileWriter.write(file, NEW, AtomicFileWriter.Policy.KEEP_REPLACED);
        assertArrayEquals(NEW, Files.readAllBytes(file));
        assertEquals("rw-rw-rw-", permissions(file));
        assertEquals(List.of("server.xml"), names(tmp));
    }

    @Test
    void keepReplacedKeepsOwnerAndGroupWhenRunAsRoot() throws IOException {
        assumeRoot();
        Path file = Files.write(tmp.resolve("server.xml"), OLD);
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        view.setOwner(nobody());
        view.setGroup(nogroup());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFileWriter.write(file, NEW, AtomicFileWriter.Policy.KEEP_REPLACED);
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(nobody(), after.owner());
        assertEquals(nogroup(), after.group());
        assertEquals("rw-r-----", PosixFilePermissions.toString(after.permissions()));
        assertArrayEquals(NEW, Files.readAllBytes(file));
    }

    @Test
    void keepReplacedMakesANewFileReadableByAll() throws IOException {
        Path jar = tmp.resolve("maintenance-valve.jar");
        AtomicFileWriter.write(jar, NEW, AtomicFileWriter.Policy.KEEP_REPLACED);
        assertEquals("rw-r--r--", permissions(jar));
    }

    // ------------------------------------------------------------ root's rule

    @Test
    void rootRefusesADirectoryOwnedByAnotherUserAndSaysWhoToRunAs() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("jira-home"));
        Path file = dir.resolve("maintenance.flag");
        String owner = Files.getOwner(dir).getName();
        int ownerUid = (Integer) Files.getAttribute(dir, "unix:uid");
        if (ownerUid == 0) {
            Files.setOwner(dir, nobody());
            owner = "nobody";
        }
        UnsafeDirectoryException e = assertThrows(UnsafeDirectoryException.class,
                () -> asRoot().replace(file, NEW, AtomicFileWriter.Policy.PRIVATE_FILE));
        assertEquals("Refusing to write " + file + " as root: " + dir + " is owned by " + owner + ", and whoever can change "
                + "it could swap a symbolic link in under a name root writes there and make root change another file.", e.problem());
        assertEquals("Run it as " + owner + " instead: sudo -u " + owner + " java -jar x.jar on ...", e.advice("java -jar x.jar on ..."));
        assertTrue(e.getMessage().endsWith("Write it as " + owner + " instead, or use a directory only root can change."), e.getMessage());
        assertEquals(List.of(), names(dir), "nothing created");
    }

    @Test
    void rootRefusesADirectoryItsGroupOrEveryoneCanWrite() throws IOException {
        assumeRoot();
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(nogroup());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxr-x"));
        UnsafeDirectoryException group = assertThrows(UnsafeDirectoryException.class,
                () -> AtomicFileWriter.write(dir.resolve("f"), NEW, AtomicFileWriter.Policy.PRIVATE_FILE));
        assertTrue(group.problem().contains(dir + " can be written by its group nogroup"), group.problem());
        assertEquals("Make " + dir + " writable by root only (chmod go-w " + dir + "), or run on as the user who should own the file.",
                group.advice("on"));

        Files.setAttribute(dir, "unix:mode", 01777); // like /tmp
        UnsafeDirectoryException everyone = assertThrows(UnsafeDirectoryException.class,
                () -> AtomicFileWriter.write(dir.resolve("f"), NEW, AtomicFileWriter.Policy.PRIVATE_FILE));
        assertTrue(everyone.problem().contains(dir + " can be written by everyone"),
                "sticky is not enough for the file's own directory: " + everyone.problem());
        assertEquals(List.of(), names(dir));
    }

    @Test
    void rootRefusesWhenADirectoryAboveBelongsToAnotherUser() throws IOException {
        assumeRoot();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path conf = Files.createDirectories(home.resolve("conf")); // root's, but inside nobody's
        Files.setOwner(home, nobody());
        UnsafeDirectoryException e = assertThrows(UnsafeDirectoryException.class,
                () -> AtomicFileWriter.write(conf.resolve("server.xml"), NEW, AtomicFileWriter.Policy.KEEP_REPLACED));
        assertTrue(e.problem().contains(": " + home + " is owned by nobody"), "nobody can rename conf/ away: " + e.problem());
        assertEquals(List.of(), names(conf));
        assertEquals(null, PrivateDirectory.problem(tmp.toRealPath(), 0), "a sticky /tmp above is fine");
    }

    @Test
    void requireWhenRootIsTheSameRuleForCallersThatCheckFirst() throws IOException {
        assumeRoot();
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        PrivateDirectory.requireWhenRoot(dir.resolve("f"));
        Files.setOwner(dir, nobody());
        UnsafeDirectoryException e = assertThrows(UnsafeDirectoryException.class,
                () -> PrivateDirectory.requireWhenRoot(dir.resolve("f")));
        assertEquals("nobody", e.owner());
        assertEquals(dir.toString(), e.directory());
    }

    @Test
    void anotherUserOutsideAPrivateDirectoryChangesNoAttributeByName() throws IOException {
        assumeRoot(); // to make the replaced file someone else's
        Path dir = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        AtomicFileWriter notRoot = new AtomicFileWriter(4242, false, AtomicFileWriter.RANDOM_NAMES, AtomicFileWriter.NO_PAUSE);

        Path flag = dir.resolve("maintenance.flag");
        notRoot.replace(flag, NEW, AtomicFileWriter.Policy.PRIVATE_FILE);
        assertArrayEquals(NEW, Files.readAllBytes(flag), "a private file needs nothing after creation");

        Path serverXml = Files.write(dir.resolve("server.xml"), OLD);
        Files.setOwner(serverXml, nobody());
        IOException e = assertThrows(IOException.class,
                () -> notRoot.replace(serverXml, NEW, AtomicFileWriter.Policy.KEEP_REPLACED));
        assertTrue(e.getMessage().contains("cannot give the new " + serverXml + " owner nobody"), e.getMessage());
        assertTrue(e.getMessage().contains("others can change " + dir), e.getMessage());
        assertArrayEquals(OLD, Files.readAllBytes(serverXml));
        assertEquals(List.of("maintenance.flag", "server.xml"), names(dir));
    }

    // ------------------------------------------------------------ links and swaps

    @Test
    void aLinkPlantedAtTheTemporaryNameIsNeitherFollowedNorRemoved() throws IOException {
        Victim victim = new Victim();
        Path dir = Files.createDirectories(tmp.resolve("flags"));
        Path planted = Files.createSymbolicLink(dir.resolve(".planted.tmp"), victim.file);
        Deque<String> names = new ArrayDeque<>(List.of(".planted.tmp", ".fresh.tmp"));
        AtomicFileWriter writer = new AtomicFileWriter(ProcessUser.effectiveUid(), ProcessUser.isRoot(),
                target -> names.removeFirst(), AtomicFileWriter.NO_PAUSE);
        writer.replace(dir.resolve("maintenance.flag"), NEW, AtomicFileWriter.Policy.PRIVATE_FILE);
        victim.assertUnchanged();
        assertArrayEquals(NEW, Files.readAllBytes(dir.resolve("maintenance.flag")));
        assertTrue(Files.isSymbolicLink(planted), "another's name is left alone");
        assertEquals(List.of(".planted.tmp", "maintenance.flag"), names(dir));
    }

    @Test
    void aLinkAtThePrivateFilesNameIsReplacedNotFollowed() throws IOException {
        Victim victim = new Victim();
        Path flag = Files.createSymbolicLink(tmp.resolve("maintenance.flag"), victim.file);
        AtomicFileWriter.write(flag, NEW, AtomicFileWriter.Policy.PRIVATE_FILE);
        victim.assertUnchanged();
        assertFalse(Files.isSymbolicLink(flag));
        assertArrayEquals(NEW, Files.readAllBytes(flag));
    }

    @Test
    void keepReplacedRefusesALinkAtTheName() throws IOException {
        Victim victim = new Victim();
        Path link = Files.createSymbolicLink(tmp.resolve("server.xml"), victim.file);
        IOException e = assertThrows(IOException.class,
                () -> AtomicFileWriter.write(link, NEW, AtomicFileWriter.Policy.KEEP_REPLACED));
        assertEquals(link + " is a symbolic link; it is not replaced", e.getMessage());
        victim.assertUnchanged();
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(List.of("server.xml"), names(tmp));
    }

    @Test
    void aLinkInTheDirectoryPathIsResolvedOnce() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        AtomicFileWriter.Staged staged = AtomicFileWriter.stage(link.resolve("f"), NEW, AtomicFileWriter.Policy.PRIVATE_FILE);
        try (staged) {
            assertEquals(real.toRealPath().resolve("f"), staged.target());
            staged.commit();
        }
        assertArrayEquals(NEW, Files.readAllBytes(real.resolve("f")));
    }

    /** What a racer does between two steps: the temporary name now leads to the victim. */
    @Test
    void aSwapAtAnyStepIsNoticedBeforeTheMoveAndCleanedUp() throws IOException {
        for (String step : List.of("created", "written", "settled")) {
            for (AtomicFileWriter.Policy policy : AtomicFileWriter.Policy.values()) {
                Victim victim = new Victim();
                Path dir = Files.createDirectories(tmp.resolve(step + "-" + policy));
                Path target = Files.write(dir.resolve("file"), OLD);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-rw-")); // "settled" changes something
                AtomicFileWriter writer = new AtomicFileWriter(ProcessUser.effectiveUid(), ProcessUser.isRoot(),
                        AtomicFileWriter.RANDOM_NAMES, (at, temp) -> {
                            if (at.equals(step)) {
                                Path link = Files.createSymbolicLink(temp.resolveSibling("link"), victim.file);
                                Files.move(link, temp, StandardCopyOption.ATOMIC_MOVE);
                            }
                        });
                IOException e = assertThrows(IOException.class, () -> writer.replace(target, NEW, policy), step);
                assertTrue(e.getMessage().contains("was replaced by someone else"), step + ": " + e.getMessage());
                victim.assertUnchanged();
                assertArrayEquals(OLD, Files.readAllBytes(target), step + " " + policy);
                assertEquals(List.of("file"), names(dir), "the swapped-in name is removed, nothing else: " + step);
            }
        }
    }

    @Test
    void aRegularFileSwappedInIsNoticedByItsFileKey() throws IOException {
        Path target = Files.write(tmp.resolve("file"), OLD);
        AtomicFileWriter writer = new AtomicFileWriter(ProcessUser.effectiveUid(), ProcessUser.isRoot(),
                AtomicFileWriter.RANDOM_NAMES, (at, temp) -> {
                    if (at.equals("written")) {
                        Path other = Files.write(temp.resolveSibling("other"), NEW); // same size, same content
                        Files.move(other, temp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                });
        IOException e = assertThrows(IOException.class, () -> writer.replace(target, NEW, AtomicFileWriter.Policy.PRIVATE_FILE));
        assertTrue(e.getMessage().contains("was replaced by someone else"), e.getMessage());
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of("file"), names(tmp));
    }

    // ------------------------------------------------------------ failures and staging

    @Test
    void aFailureLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = Files.write(tmp.resolve("file"), OLD);
        AtomicFileWriter writer = new AtomicFileWriter(ProcessUser.effectiveUid(), ProcessUser.isRoot(),
                AtomicFileWriter.RANDOM_NAMES, (at, temp) -> {
                    if (at.equals("written")) {
                        throw new IOException("No space left on device");
                    }
                });
        IOException e = assertThrows(IOException.class, () -> writer.replace(target, NEW, AtomicFileWriter.Policy.KEEP_REPLACED));
        assertEquals("No space left on device", e.getMessage());
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of("file"), names(tmp));
    }

    @Test
    void aStagedFileWaitsForCommitAndIsRemovedWhenClosedWithout() throws IOException {
        Path target = Files.write(tmp.resolve("maintenance-valve.jar"), OLD);
        try (AtomicFileWriter.Staged staged = AtomicFileWriter.stage(target, NEW, AtomicFileWriter.Policy.KEEP_REPLACED)) {
            assertArrayEquals(OLD, Files.readAllBytes(target), "not yet");
            List<String> during = names(tmp);
            assertEquals(2, during.size());
            assertTrue(during.get(0).startsWith(".maintenance-valve.jar.") && during.get(0).endsWith(".tmp"), during.toString());
        }
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of("maintenance-valve.jar"), names(tmp));

        try (AtomicFileWriter.Staged staged = AtomicFileWriter.stage(target, NEW, AtomicFileWriter.Policy.KEEP_REPLACED)) {
            staged.commit();
        }
        assertArrayEquals(NEW, Files.readAllBytes(target));
        assertEquals(List.of("maintenance-valve.jar"), names(tmp));
    }

    @Test
    void aStagedFileSwappedOrGrownBeforeTheCommitIsNotMoved() throws IOException {
        Path target = Files.write(tmp.resolve("server.xml"), OLD);
        Victim victim = new Victim();
        try (AtomicFileWriter.Staged staged = AtomicFileWriter.stage(target, NEW, AtomicFileWriter.Policy.KEEP_REPLACED)) {
            Path temp = tmp.resolve(names(tmp).get(0));
            Path link = Files.createSymbolicLink(tmp.resolve("link"), victim.file);
            Files.move(link, temp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            IOException e = assertThrows(IOException.class, staged::commit);
            assertTrue(e.getMessage().contains("was replaced by someone else"), e.getMessage());
        }
        victim.assertUnchanged();
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of("server.xml"), names(tmp));

        try (AtomicFileWriter.Staged staged = AtomicFileWriter.stage(target, NEW, AtomicFileWriter.Policy.KEEP_REPLACED)) {
            Path temp = tmp.resolve(names(tmp).get(0));
            Files.write(temp, bytes("<Valve className=\"evil\"/>"), java.nio.file.StandardOpenOption.APPEND);
            IOException e = assertThrows(IOException.class, staged::commit);
            assertTrue(e.getMessage().contains("was changed by someone else"), e.getMessage());
        }
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertEquals(List.of("server.xml"), names(tmp));
    }

    @Test
    void whenEveryTemporaryNameIsTakenTheWriteFailsAndLeavesThemAlone() throws IOException {
        Path taken = Files.write(tmp.resolve(".taken.tmp"), SECRET);
        Path target = Files.write(tmp.resolve("file"), OLD);
        AtomicFileWriter writer = new AtomicFileWriter(ProcessUser.effectiveUid(), ProcessUser.isRoot(),
                name -> ".taken.tmp", AtomicFileWriter.NO_PAUSE);
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> writer.replace(target, NEW, AtomicFileWriter.Policy.KEEP_REPLACED));
        assertArrayEquals(OLD, Files.readAllBytes(target));
        assertArrayEquals(SECRET, Files.readAllBytes(taken));
        assertEquals(List.of(".taken.tmp", "file"), names(tmp));
    }

    @Test
    void aMissingDirectoryIsNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AtomicFileWriter.write(
                tmp.resolve("missing").resolve("f"), NEW, AtomicFileWriter.Policy.PRIVATE_FILE));
        assertEquals("directory does not exist: " + tmp.resolve("missing"), IoErrors.describe(e));
        assertEquals("directory does not exist", IoErrors.reason(e));
    }

    // ------------------------------------------------------------ helpers

    /** A root-only file elsewhere, that links point to. */
    private final class Victim {
        final Path file;

        Victim() throws IOException {
            Path dir = Files.createTempDirectory(elsewhere, "victim");
            file = Files.write(dir.resolve("victim"), SECRET);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }

        void assertUnchanged() throws IOException {
            Map<String, Object> a = Files.readAttributes(file, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            assertEquals(ProcessUser.effectiveUid(), a.get("uid"));
            assertEquals(0600, (Integer) a.get("mode") & 07777);
            assertArrayEquals(SECRET, Files.readAllBytes(file));
        }
    }

    private static AtomicFileWriter asRoot() {
        return new AtomicFileWriter(0, true, AtomicFileWriter.RANDOM_NAMES, AtomicFileWriter.NO_PAUSE);
    }

    private static void assumeRoot() {
        assumeTrue(ProcessUser.effectiveUid() == 0, "needs root to give files to another user (CI runs as root)");
    }

    private static UserPrincipal nobody() throws IOException {
        return lookup().lookupPrincipalByName("65534");
    }

    private static GroupPrincipal nogroup() throws IOException {
        return lookup().lookupPrincipalByGroupName("65534");
    }

    private static UserPrincipalLookupService lookup() {
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService();
    }

    private static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
