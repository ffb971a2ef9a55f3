package org.maintenancevalve.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What root may take a file's word from: a file only root can change, in directories only root
 * can change, a link's target included.
 */
class RootOnlyFileTest {

    @TempDir
    Path tmp;

    private Path file(Path dir, String name) throws IOException {
        Path file = Files.write(Files.createDirectories(dir).resolve(name), "<Server/>".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    @Test
    void asRootAFileOfAnotherUserIsRefusedWithItsOwner() throws IOException {
        assumeRoot();
        Path file = file(tmp.resolve("conf"), "server.xml");
        Files.setOwner(file, nobody());
        String owner = "nobody";
        UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> RootOnlyFile.requireWhenRoot(file));
        assertEquals(file + " is owned by " + owner, e.getMessage());
        assertEquals(file.toString(), e.file());
        assertEquals(file.toString(), e.changeable());
        assertEquals("is owned by " + owner, e.why());
        assertEquals(owner, e.owner());
    }

    @Test
    void forAnyoneButRootNothingIsCheckedAndTheFileIsReadAsGiven() throws IOException {
        assumeTrue(ProcessUser.effectiveUid() != 0 && !ProcessUser.isRoot(), "the rule is root's");
        Path file = file(tmp.resolve("conf"), "server.xml");
        assertSame(file, RootOnlyFile.requireWhenRoot(file));
    }

    @Test
    void asRootARootOnlyFileIsReadThroughItsRealPath() throws IOException {
        assumeRoot();
        Path conf = Files.createDirectories(tmp.resolve("real/conf"));
        Path file = file(conf, "server.xml");
        assertEquals(file, RootOnlyFile.requireWhenRoot(file));
        Path linked = Files.createSymbolicLink(tmp.resolve("linked"), tmp.resolve("real"));
        assertEquals(file, RootOnlyFile.requireWhenRoot(linked.resolve("conf/server.xml")),
                "the links on the way resolved once: what is read is what was checked");
        Path link = Files.createSymbolicLink(conf.resolve("link.xml"), file);
        assertEquals(file, RootOnlyFile.requireWhenRoot(link));
    }

    @Test
    void asRootNoFileIsNothingToReadADanglingLinkNeither() throws IOException {
        assumeRoot();
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        assertNull(RootOnlyFile.requireWhenRoot(conf.resolve("catalina.properties")));
        Path dangling = Files.createSymbolicLink(conf.resolve("dangling"), tmp.resolve("nothing"));
        assertNull(RootOnlyFile.requireWhenRoot(dangling));
    }

    @Test
    void asRootAFileItsGroupOrEveryoneCanWriteIsRefused() throws IOException {
        assumeRoot();
        Path file = file(tmp.resolve("conf"), "server.xml");
        Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(nogroup());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        UntrustedFileException group = assertThrows(UntrustedFileException.class, () -> RootOnlyFile.requireWhenRoot(file));
        assertEquals("can be written by its group nogroup", group.why());
        assertNull(group.owner(), "root owns it: nobody to run as");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--rw-"));
        UntrustedFileException everyone = assertThrows(UntrustedFileException.class, () -> RootOnlyFile.requireWhenRoot(file));
        assertEquals("can be written by everyone", everyone.why());
    }

    @Test
    void asRootADirectoryOnTheWayThatAnotherUserCanChangeIsRefused() throws IOException {
        assumeRoot();
        Path base = Files.createDirectories(tmp.resolve("jira"));
        Path file = file(base.resolve("conf"), "server.xml"); // root's, in root's conf/, in nobody's base
        Files.setOwner(base, nobody());
        UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> RootOnlyFile.requireWhenRoot(file));
        assertEquals(file + ": " + base + " is owned by nobody", e.getMessage());
        assertEquals(base.toString(), e.changeable());
        assertEquals("nobody", e.owner());
    }

    @Test
    void asRootALinkIsRefusedWhenItsOwnDirectoryOrItsTargetsIsAnotherUsers() throws IOException {
        assumeRoot();
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        Path target = file(theirs, "server.xml");
        Files.setOwner(theirs, nobody());
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Path toTheirs = Files.createSymbolicLink(conf.resolve("server.xml"), target);
        UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> RootOnlyFile.requireWhenRoot(toTheirs));
        assertEquals(theirs.toString(), e.changeable(), "the target's directory");

        Path ours = file(tmp.resolve("ours"), "server.xml");
        Path link = Files.createSymbolicLink(theirs.resolve("link.xml"), ours);
        e = assertThrows(UntrustedFileException.class, () -> RootOnlyFile.requireWhenRoot(link));
        assertEquals(theirs.toString(), e.changeable(), "nobody could point the link elsewhere");
    }

    @Test
    void asRootSomethingElseThanARegularFileIsRefused() throws Exception {
        assumeRoot();
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Path fifo = conf.resolve("server.xml");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        UntrustedFileException e = assertThrows(UntrustedFileException.class, () -> RootOnlyFile.requireWhenRoot(fifo));
        assertEquals("is not a regular file", e.why());
    }

    private static void assumeRoot() {
        assumeTrue(ProcessUser.effectiveUid() == 0, "needs root to give files to another user (CI runs as root)");
    }

    private UserPrincipal nobody() throws IOException {
        return tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
    }

    private GroupPrincipal nogroup() throws IOException {
        return tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("65534");
    }
}
