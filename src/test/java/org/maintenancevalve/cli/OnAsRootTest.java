package org.maintenancevalve.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.ExitCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code on} run by root: where it writes, what the file gets, and what it says where it will not write. */
class OnAsRootTest {

    @TempDir
    Path tmp;

    private String out;
    private String err;

    @BeforeEach
    void rootOnly() {
        assumeTrue("root".equals(System.getProperty("user.name")), "run as root (CI does): the rule applies to root only");
    }

    private int on(Path flag) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"on", "--no-wait", "--flag", flag.toString(), "--message", "XML backup"},
                new PrintStream(outBytes, true), new PrintStream(errBytes, true), Collections.emptyMap());
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void inADirectoryOnlyRootCanChangeTheFlagGetsTheDirectorysGroupSoTomcatCanReadIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("jira"));
        GroupPrincipal tomcatGroup = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("65534");
        Files.getFileAttributeView(dir, PosixFileAttributeView.class).setGroup(tomcatGroup);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        Path flag = dir.resolve("maintenance.flag");
        assertEquals(ExitCode.OK, on(flag), err);
        PosixFileAttributes a = Files.readAttributes(flag, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals("root", a.owner().getName());
        assertEquals(tomcatGroup, a.group());
        assertEquals("rw-r-----", PosixFilePermissions.toString(a.permissions()));
    }

    @Test
    void inADirectoryTheTomcatUserOwnsItRefusesAndSaysHowToRunIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("shared-home"));
        Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
        Path flag = dir.resolve("maintenance.flag");
        assertEquals(ExitCode.REFUSED, on(flag), out);
        assertTrue(err.contains("Refusing to write " + flag + " as root: " + dir + " is owned by nobody, and whoever can "
                + "change it could swap a symbolic link in under a name root writes there and make root change another file. "
                + "Run it as nobody instead: sudo -u nobody java -jar maintenance-valve.jar on ..."), err);
        assertFalse(Files.exists(flag, LinkOption.NOFOLLOW_LINKS));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "nothing written");
        }
    }
}
