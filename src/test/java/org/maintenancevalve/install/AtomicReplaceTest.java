package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicReplaceTest {

    @TempDir
    Path tmp;

    @Test
    void keepsPermissionsAndLeavesNoTemporaryFile() throws Exception {
        Path file = Files.write(tmp.resolve("server.xml"), Fixtures.bytes("old"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        new AtomicReplace().replace(file, Fixtures.bytes("new"));
        assertArrayEquals(Fixtures.bytes("new"), Files.readAllBytes(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> files = Files.list(tmp)) {
            List<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            assertEquals(List.of("server.xml"), names);
        }
    }

    @Test
    void keepsOwnerAndGroupWhenRunAsRoot() throws Exception {
        Path file = Files.write(tmp.resolve("server.xml"), Fixtures.bytes("old"));
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        UserPrincipalLookupService lookup = file.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal nobody;
        GroupPrincipal nogroup;
        try {
            nobody = lookup.lookupPrincipalByName("65534");
            nogroup = lookup.lookupPrincipalByGroupName("65534");
            view.setOwner(nobody);
            view.setGroup(nogroup);
        } catch (java.io.IOException notRoot) {
            org.junit.jupiter.api.Assumptions.abort("cannot give the file away (not root): " + notRoot);
            return;
        }
        new AtomicReplace().replace(file, Fixtures.bytes("new"));
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals(nobody, after.owner());
        assertEquals(nogroup, after.group());
        assertArrayEquals(Fixtures.bytes("new"), Files.readAllBytes(file));
    }

    @Test
    void replacesTheTargetOfASymbolicLinkAndKeepsTheLink() throws Exception {
        Path real = Files.write(Files.createDirectories(tmp.resolve("etc")).resolve("server.xml"), Fixtures.bytes("old"));
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Path link = Files.createSymbolicLink(conf.resolve("server.xml"), real);
        new AtomicReplace().replace(link, Fixtures.bytes("new"));
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(Fixtures.bytes("new"), Files.readAllBytes(real));
    }
}
