package org.maintenancevalve.files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Who besides root can change what a path names, on the real file system. The cases with another
 * owner give files to uid 65534 (nobody), so they need root (CI runs as root) and are skipped
 * otherwise; the cases on permission bits run for any user.
 */
class PathControlTest {

    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    private int myGroup;

    @BeforeEach
    void privateTemporaryDirectory() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        myGroup = (Integer) Files.getAttribute(tmp, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean root() {
        return ProcessUser.effectiveUid() == 0;
    }

    private static void giveToNobody(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setOwner(lookup.lookupPrincipalByName(String.valueOf(NOBODY)));
    }

    private static void mode(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    @Test
    void rootsOwnPathIsRootsAlone() throws IOException {
        assumeTrue(root(), "as another user, the temporary directory is that user's");
        Path dir = Files.createDirectories(tmp.resolve("a/b"));
        PathControl control = PathControl.of(dir);
        assertTrue(control.rootsAlone(), control.describe());
        assertTrue(control.exists());
        assertEquals("only root can change it", control.describe());
        assertFalse(control.includes(2001, Collections.singleton(2001)));
    }

    @Test
    void theOwnerOfTheDirectoryOrOfOneAboveIt() throws IOException {
        assumeTrue(root(), "needs root to give a directory to another user");
        Path above = Files.createDirectories(tmp.resolve("shared"));
        Path dir = Files.createDirectories(above.resolve("home"));
        giveToNobody(dir);
        PathControl control = PathControl.of(dir);
        assertEquals(Collections.singleton(NOBODY), control.owners());
        assertEquals("nobody owns " + dir, control.owns(NOBODY));
        assertEquals(dir, control.owned(NOBODY));
        assertTrue(control.includes(NOBODY, Collections.<Integer>emptySet()));
        assertFalse(control.includes(2001, Collections.singleton(2001)));

        giveToNobody(above);
        assertEquals("nobody owns " + above, PathControl.of(dir).owns(NOBODY), "the first one met on the way");
        Path file = Files.createFile(dir.resolve("server.xml"));
        assertEquals(Collections.singleton(NOBODY), PathControl.of(file).owners());
    }

    @Test
    void aLinkCountsWithItsDirectoryAndItsTarget() throws IOException {
        assumeTrue(root(), "needs root to give a directory to another user");
        Path rootOnly = Files.createDirectories(tmp.resolve("root-only/flags"));
        Path users = Files.createDirectories(tmp.resolve("users"));
        giveToNobody(users);
        Path link = Files.createSymbolicLink(users.resolve("flags"), rootOnly);
        PathControl control = PathControl.of(link);
        assertEquals(Collections.singleton(NOBODY), control.owners(),
                "the real directory is root's, but nobody can swap the link: " + control.describe());
        assertEquals(users, control.owned(NOBODY));

        // A link root owns, to a directory of another user, relative and through '..'.
        Path theirs = Files.createDirectories(users.resolve("real"));
        Path rootLink = Files.createSymbolicLink(tmp.resolve("root-only/to-theirs"), Path.of("../users/real"));
        assertTrue(Files.isDirectory(rootLink), "the link works: " + Files.readSymbolicLink(rootLink));
        assertEquals(Collections.singleton(NOBODY), PathControl.of(rootLink.resolve("maintenance.flag").getParent()).owners());
    }

    @Test
    void aGroupThatMayWriteTheDirectoryOrOneOnTheWay() throws IOException {
        Path above = Files.createDirectories(tmp.resolve("g"));
        Path dir = Files.createDirectories(above.resolve("shared-home"));
        mode(dir, "rwxrwxr-x");
        PathControl control = PathControl.of(dir);
        assertEquals(Collections.singleton(myGroup), control.groups(), control.describe());
        assertTrue(control.describe().contains("can write " + dir), control.describe());
        assertTrue(control.includes(4242, Collections.singleton(myGroup)));
        assertNull(control.everyone());

        mode(dir, "rwxr-xr-x");
        mode(above, "rwxrwx---");
        assertEquals(Collections.singleton(myGroup), PathControl.of(dir).groups(), "a directory above it counts");
    }

    @Test
    void aStickyDirectoryOnTheWayDoesNotCountButTheDirectoryItselfDoes() throws IOException {
        Path sticky = Files.createDirectories(tmp.resolve("tmp-like"));
        Files.setAttribute(sticky, "unix:mode", 01777, LinkOption.NOFOLLOW_LINKS);
        Path dir = Files.createDirectories(sticky.resolve("flags"));
        mode(dir, "rwxr-xr-x");
        PathControl below = PathControl.of(dir);
        assertNull(below.everyone(), below.describe());
        assertTrue(below.groups().isEmpty(), below.describe());

        PathControl itself = PathControl.of(sticky);
        assertEquals(sticky, itself.everyone(), "anyone may put the flag's name there first");
        assertTrue(itself.includes(4242, Collections.<Integer>emptySet()));
        assertTrue(itself.describe().contains("everyone can write " + sticky), itself.describe());
    }

    @Test
    void aFileOthersMayWrite() throws IOException {
        Path file = Files.createFile(tmp.resolve("catalina.properties"));
        mode(file, "rw-rw-rw-");
        PathControl control = PathControl.of(file);
        assertEquals(file, control.everyone());
        assertEquals(Collections.singleton(myGroup), control.groups());
    }

    @Test
    void aMissingPathKeepsWhatLeadsToIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("open"));
        mode(dir, "rwxrwxrwx");
        PathControl control = PathControl.of(dir.resolve("no/such/flag"));
        assertFalse(control.exists());
        assertEquals(dir, control.everyone());
    }

    @Test
    void aFileInTheWayOrALinkLoopIsAnError() throws IOException {
        Path file = Files.createFile(tmp.resolve("file"));
        assertThrows(java.nio.file.NotDirectoryException.class, () -> PathControl.of(file.resolve("x")));
        Path loop = tmp.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        FileSystemException e = assertThrows(FileSystemException.class, () -> PathControl.of(loop.resolve("x")));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    }

    @Test
    void factsGivenByHandSayTheSame() {
        Path dir = tmp.resolve("d");
        PathControl control = PathControl.builder().owner(0, "root", dir).owner(2001, "jira", dir).group(50, "staff", dir)
                .owner(2001, "jira", tmp).build();
        assertEquals(Collections.singleton(2001), control.owners(), "root is never an owner to act as");
        assertEquals("jira owns " + dir + "; its group staff can write " + dir, control.describe());
        assertTrue(control.includes(7, Collections.singleton(50)));
        assertFalse(control.rootsAlone());
        assertFalse(PathControl.builder().missing().build().exists());
    }
}
