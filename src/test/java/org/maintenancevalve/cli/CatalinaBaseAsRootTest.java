package org.maintenancevalve.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maintenancevalve.command.ExitCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Root's {@code on}, {@code off}, {@code run} (and {@code status}, {@code wait-idle}) with
 * {@code --catalina-base} of a Tomcat the Tomcat user owns ({@code chown -R jira}): whoever can
 * change {@code server.xml} or {@code catalina.properties} could name a root-only file, so root
 * does not take the flag file's name from them, changes nothing, and says why and what to run
 * instead. Root's own {@code --flag} and {@code $MAINTENANCE_FLAG} stay allowed. The user is uid
 * 65534 ({@code nobody}); needs root (CI runs as root), skipped otherwise. No Tomcat: the commands
 * refuse before they would look for one.
 */
class CatalinaBaseAsRootTest extends CommandLineTest {

    private Path secrets;
    private Path victim;
    private Path config;
    private Path disabled;
    private Path base;

    @BeforeEach
    void rootOnly() throws IOException {
        assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
                "CatalinaBaseAsRootTest skipped: run as root (CI does); the rule is root's");
        secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwx------"));
        victim = Files.write(secrets.resolve("x"), "precious\n".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        config = Files.write(secrets.resolve("config.json"), "{\"db\":\"secret\",\"mode\":\"full\"}".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        // Empty: it reads as a flag file, so only the rule on server.xml keeps it (a marker file of
        // another program, such as /etc/cloud/cloud-init.disabled).
        disabled = Files.createFile(secrets.resolve("disabled"));
        Files.setPosixFilePermissions(disabled, PosixFilePermissions.fromString("rw-------"));
        base = Files.createDirectories(dir.resolve("jira"));
        Files.createDirectories(base.resolve("conf"));
        serverXml("flagFile=\"" + victim + "\"");
    }

    private void serverXml(String attributes) throws IOException {
        Files.writeString(base.resolve("conf/server.xml"), "<Server><Service><Engine defaultHost=\"localhost\">"
                + "<Host name=\"localhost\"><Valve className=\"org.maintenancevalve.MaintenanceValve\" " + attributes
                + "/></Host></Engine></Service></Server>");
    }

    /** {@code chown -R nobody base}, as a tarball install chowned to the Tomcat user. */
    private void giveBaseToNobody() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.toList()) {
                Files.setOwner(p, nobody());
            }
        }
    }

    /** What the victims are now: content, owner, group and permissions. */
    private List<String> victims() throws IOException {
        return List.of(describe(victim), describe(config), describe(disabled));
    }

    private static String describe(Path file) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return file + " " + a.owner().getName() + ":" + a.group().getName() + " "
                + PosixFilePermissions.toString(a.permissions()) + " " + Arrays.toString(Files.readAllBytes(file));
    }

    private Path marker() {
        return dir.resolve("command-ran");
    }

    private void assertEveryCommandRefusesAndChangesNothing(String changeable, String why, String advice)
            throws IOException {
        assertEveryCommandRefusesAndChangesNothing(base.resolve("conf/server.xml"), changeable, why, advice);
    }

    private void assertEveryCommandRefusesAndChangesNothing(Path naming, String changeable, String why, String advice)
            throws IOException {
        List<String> before = victims();
        String[][] commands = {
            {"off", "--no-wait"}, {"off"}, {"on", "--no-wait"}, {"on", "--new", "--no-wait"}, {"on", "--message", "x"},
            {"run", "--no-wait"}, {"run"}, {"status", "--no-jmx"}, {"wait-idle"},
        };
        for (String[] command : commands) {
            String verb = command[0];
            List<String> args = new java.util.ArrayList<>(Arrays.asList(command));
            args.addAll(List.of("--catalina-base", base.toString()));
            if (verb.equals("run")) {
                args.addAll(List.of("--", "/bin/sh", "-c", "touch \"$1\"", "sh", marker().toString()));
            }
            int code = run(args.toArray(new String[0]));
            String what = String.join(" ", command);
            assertEquals(verb.equals("run") ? 125 : ExitCode.REFUSED, code, what + ": " + out + err);
            assertTrue(err.contains("as root, the flag file named in " + naming), what + ": " + err);
            assertTrue(err.contains(" is not used: " + changeable + " " + why + ", so "), what + ": " + err);
            assertTrue(err.contains("Nothing was changed."), what + ": " + err);
            assertTrue(err.contains(advice.replace("VERB", verb)), what + ": " + err);
            assertTrue(err.contains("or name the flag file yourself: --flag FILE."), what + ": " + err);
            assertEquals("", out, what + " says nothing else");
            assertEquals(before, victims(), what + " changed a file it was not given");
            assertFalse(Files.exists(marker()), what + ": the command was not run");
        }
    }

    private String runAsNobody() {
        return "Run it as nobody: sudo -u nobody java -jar maintenance-valve.jar VERB --catalina-base " + base + " ...";
    }

    @Test
    void aServerXmlTheTomcatUserOwnsNamesNoFileForRoot() throws IOException {
        giveBaseToNobody();
        String conf = base.resolve("conf").toString();
        assertEveryCommandRefusesAndChangesNothing(conf, "is owned by nobody", runAsNobody());
        serverXml("flagFile=\"" + config + "\""); // the JSON file on would have rewritten
        giveBaseToNobody();
        assertEveryCommandRefusesAndChangesNothing(conf, "is owned by nobody", runAsNobody());
        serverXml("flagFile=\"" + disabled + "\""); // an empty file: a flag file by its content
        giveBaseToNobody();
        assertEveryCommandRefusesAndChangesNothing(conf, "is owned by nobody", runAsNobody());
    }

    @Test
    void theFileItselfOrItsConfDirectoryAloneIsEnoughToRefuse() throws IOException {
        Files.setOwner(base.resolve("conf/server.xml"), nobody());
        assertEveryCommandRefusesAndChangesNothing(base.resolve("conf/server.xml").toString(), "is owned by nobody",
                runAsNobody());
        Files.setOwner(base.resolve("conf/server.xml"), root());
        Files.setOwner(base.resolve("conf"), nobody());
        assertEveryCommandRefusesAndChangesNothing(base.resolve("conf").toString(), "is owned by nobody", runAsNobody());
    }

    @Test
    void aServerXmlItsGroupCanWriteIsRefusedWithTheChmodThatHelps() throws IOException {
        Path serverXml = base.resolve("conf/server.xml");
        Files.getFileAttributeView(serverXml, PosixFileAttributeView.class).setGroup(nogroup());
        Files.setPosixFilePermissions(serverXml, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEveryCommandRefusesAndChangesNothing(serverXml.toString(), "can be written by its group nogroup",
                "Run it as the user Tomcat runs as (sudo -u <tomcat-user> java -jar maintenance-valve.jar VERB"
                        + " --catalina-base " + base + " ...), or make " + serverXml + " writable by root only (chmod go-w "
                        + serverXml + ")");
    }

    @Test
    void aServerXmlLinkedToAFileTheTomcatUserCanChangeIsRefused() throws IOException {
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Path real = Files.move(base.resolve("conf/server.xml"), theirs.resolve("server.xml"));
        Files.createSymbolicLink(base.resolve("conf/server.xml"), real);
        Files.setOwner(theirs, nobody());
        assertEveryCommandRefusesAndChangesNothing(theirs.toString(), "is owned by nobody", runAsNobody());
    }

    @Test
    void aContextXmlTheTomcatUserOwnsNamesNoFileForRootEither() throws IOException {
        // The form install uses in Atlassian's images: the Valve in conf/context.xml, server.xml root's.
        Files.writeString(base.resolve("conf/server.xml"), "<Server><Service><Engine defaultHost=\"localhost\">"
                + "<Host name=\"localhost\"/></Engine></Service></Server>");
        Path contextXml = Files.writeString(base.resolve("conf/context.xml"), "<Context><Valve className=\""
                + "org.maintenancevalve.MaintenanceValve\" flagFile=\"" + victim + "\"/></Context>");
        Files.setOwner(contextXml, nobody());
        assertEveryCommandRefusesAndChangesNothing(contextXml, contextXml.toString(), "is owned by nobody", runAsNobody());
    }

    @Test
    void catalinaPropertiesCountsWhenTheFlagFileUsesAProperty() throws IOException {
        Path properties = Files.writeString(base.resolve("conf/catalina.properties"), "flag.dir=" + secrets + "\n");
        Files.setOwner(properties, nobody());
        serverXml("flagFile=\"${flag.dir}/x\"");
        assertEveryCommandRefusesAndChangesNothing(properties.toString(), "is owned by nobody", runAsNobody());
        assertTrue(err.contains("the flag file named in " + base.resolve("conf/server.xml") + " (with ${...} from "
                + properties + ") is not used"), err);

        // Without a ${...} the properties name nothing: root's own server.xml is root's word.
        Path flags = Files.createDirectories(dir.resolve("flags"));
        serverXml("flagFile=\"" + flags.resolve("maintenance.flag") + "\"");
        assertEquals(0, run("on", "--no-wait", "--catalina-base", base.toString()), err);
        assertEquals(0, run("off", "--no-wait", "--catalina-base", base.toString()), err);
        assertFalse(Files.exists(flags.resolve("maintenance.flag")));
    }

    @Test
    void rootsOwnFlagAndEnvironmentStayAllowedWhateverServerXmlSays() throws IOException {
        giveBaseToNobody();
        Path flags = Files.createDirectories(dir.resolve("flags"));
        Path flag = flags.resolve("maintenance.flag");
        assertEquals(0, run("on", "--no-wait", "--flag", flag.toString()), err);
        assertTrue(Files.exists(flag));
        env.put("MAINTENANCE_FLAG", flag.toString());
        assertEquals(0, run("on", "--no-wait", "--message", "from root's environment"), err);
        assertEquals(0, run("off", "--no-wait"), err);
        assertFalse(Files.exists(flag));
        assertEquals(0, run("run", "--no-wait", "--flag", flag.toString(), "--", "/bin/sh", "-c", "touch \"$1\"", "sh",
                marker().toString()), err);
        assertTrue(Files.exists(marker()));
        assertFalse(Files.exists(flag), "run's window ended");
    }

    @Test
    void aTomcatOnlyRootCanChangeIsUsedAsBefore() throws IOException {
        Path flags = Files.createDirectories(dir.resolve("flags"));
        serverXml("flagFile=\"" + flags.resolve("maintenance.flag") + "\"");
        assertEquals(0, run("on", "--no-wait", "--catalina-base", base.toString()), err);
        assertTrue(Files.exists(flags.resolve("maintenance.flag")));
        assertEquals(0, run("status", "--no-jmx", "--catalina-base", base.toString()), err);
        assertEquals(0, run("off", "--no-wait", "--catalina-base", base.toString()), err);
        assertFalse(Files.exists(flags.resolve("maintenance.flag")));
    }

    @Test
    void offAndRunKeepOnsDirectoryRuleAndSayHowToRunThem() throws IOException {
        Path theirs = Files.createDirectories(dir.resolve("shared-home"));
        Path flag = Files.createFile(theirs.resolve("maintenance.flag"));
        Files.setOwner(theirs, nobody());
        Files.setOwner(flag, nobody());

        assertEquals(ExitCode.REFUSED, run("off", "--no-wait", "--flag", flag.toString()), out);
        assertEquals("maintenance-valve off: refused: Refusing to remove " + flag + " as root: " + theirs + " is owned by"
                + " nobody, and whoever can change it could swap a symbolic link in under a name root removes there and"
                + " make root remove another file. Run it as nobody instead: sudo -u nobody java -jar"
                + " maintenance-valve.jar off ...\n", err);
        assertTrue(Files.exists(flag), "still there");

        assertEquals(125, run("run", "--no-wait", "--in-window", "--flag", flag.toString(), "--", "/bin/sh", "-c",
                "touch \"$1\"", "sh", marker().toString()), out);
        assertTrue(err.contains("the command was not started: Refusing to write " + flag + " as root: " + theirs
                + " is owned by nobody"), err);
        assertTrue(err.contains("sudo -u nobody java -jar maintenance-valve.jar run ..."), err);
        assertFalse(Files.exists(marker()));
        assertArrayEquals(new byte[0], Files.readAllBytes(flag));
        assertEquals("nobody", Files.getOwner(flag).getName(), "untouched");
    }

    private UserPrincipal nobody() throws IOException {
        return dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
    }

    private UserPrincipal root() throws IOException {
        return dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("0");
    }

    private GroupPrincipal nogroup() throws IOException {
        return dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("65534");
    }
}
