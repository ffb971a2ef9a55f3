package org.maintenancevalve.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.cli.Main;
import org.maintenancevalve.command.Refused;
import org.w3c.dom.Element;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** install and uninstall on Tomcat-shaped directories, through the command line. */
class InstallCommandTest {

    @TempDir
    Path tmp;

    private Path jira;
    private Path jar;
    private byte[] original;

    @BeforeEach
    void layOutAJiraInstall() throws IOException {
        original = Fixtures.resource("jira-server.xml");
        jira = Fixtures.tomcat(tmp.resolve("jira"), "9.0.117", original);
        Files.createDirectories(jira.resolve("atlassian-jira/WEB-INF"));
        jar = Fixtures.valveJar(tmp.resolve("dist/maintenance-valve-0.2.0.jar"), "build 0.2.0");
    }

    /** One run of {@code java -jar maintenance-valve.jar <args>}. */
    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    static Run run(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] strings = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int code = Main.run(strings, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(code, new String(out.toByteArray(), StandardCharsets.UTF_8), new String(err.toByteArray(), StandardCharsets.UTF_8));
    }

    private Path serverXml() {
        return jira.resolve("conf/server.xml");
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Collections.emptyList();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            files.forEach(found::add);
        }
        Collections.sort(found);
        return found;
    }

    private List<Path> backups() throws IOException {
        return list(jira.resolve("conf"), "server.xml.bak-*");
    }

    private List<String> libNames() throws IOException {
        return list(jira.resolve("lib"), "*").stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    }

    private Element installedValve() throws IOException {
        List<Element> valves = Fixtures.maintenanceValves(Fixtures.parse(Files.readAllBytes(serverXml())));
        assertEquals(1, valves.size());
        return valves.get(0);
    }

    private void assertUntouched() throws IOException {
        assertArrayEquals(original, Files.readAllBytes(serverXml()), "server.xml untouched");
        assertEquals(Collections.emptyList(), backups(), "no backup");
        assertEquals(Collections.singletonList("catalina.jar"), libNames(), "nothing in lib/");
    }

    // ------------------------------------------------------------ the round trip

    @Test
    void installInstallAgainUninstall() throws IOException {
        Run first = run("install", jira, "--jar", jar);
        assertEquals(0, first.code, first.toString());
        assertEquals("jira", installedValve().getAttribute("preset"));
        assertTrue(first.out.contains("Tomcat 9.0.117, Jira"), first.out);
        List<Path> backups = backups();
        assertEquals(1, backups.size());
        assertArrayEquals(original, Files.readAllBytes(backups.get(0)), "the backup is the original");
        assertTrue(first.out.contains("Backed up " + serverXml() + " to " + backups.get(0)), first.out);
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
        Path flag = jira.resolve("maintenance.flag");
        assertTrue(first.out.contains("Restart Tomcat once, so that it loads the valve as installed now"), first.out);
        assertTrue(first.out.contains("touch " + flag + "\n"), first.out);
        assertTrue(first.out.contains("rm " + flag + "\n"), first.out);

        byte[] installed = Files.readAllBytes(serverXml());
        Run second = run("install", jira, "--jar", jar);
        assertEquals(0, second.code, second.toString());
        assertTrue(second.out.contains("already there, unchanged"), second.out);
        assertTrue(second.out.contains("Nothing changed: if Tomcat was restarted since"), second.out);
        assertFalse(second.out.contains("so that it loads the valve as installed now"), second.out);
        assertArrayEquals(installed, Files.readAllBytes(serverXml()));
        assertEquals(backups, backups(), "no second backup when nothing changes");

        Run third = run("install", jira, "--jar", jar, "--admin-users", "admin", "--poll-interval", "500");
        assertEquals(0, third.code, third.toString());
        assertEquals("admin", installedValve().getAttribute("adminUsers"));
        assertEquals("500", installedValve().getAttribute("pollInterval"));
        assertTrue(third.out.contains("every 500 ms"), third.out);
        assertEquals(2, backups().size());

        Run removed = run("uninstall", jira);
        assertEquals(0, removed.code, removed.toString());
        assertArrayEquals(original, Files.readAllBytes(serverXml()), "byte-identical to before install");
        assertEquals(Collections.singletonList("catalina.jar"), libNames());
        assertTrue(backups().containsAll(backups), "install's backup is kept");
        assertTrue(removed.out.contains("restart Tomcat once"), removed.out);
        assertFalse(removed.out.contains("exists"), "no flag file, no warning: " + removed.out);

        Run again = run("uninstall", jira);
        assertEquals(0, again.code, again.toString());
        assertTrue(again.out.contains("Nothing to remove"), again.out);
    }

    @Test
    void uninstallSaysSoWhenTheFlagFileExists() throws IOException {
        Path flag = tmp.resolve("shared/maintenance.flag");
        Files.createDirectories(flag.getParent());
        assertEquals(0, run("install", jira, "--jar", jar, "--flag", flag).code);
        assertEquals(flag.toString(), installedValve().getAttribute("flagFile"));
        Files.write(flag, new byte[0]);
        Run removed = run("uninstall", jira);
        assertEquals(0, removed.code, removed.toString());
        assertTrue(removed.out.contains("The flag file " + flag + " exists: after the restart nothing will hold users out any more"),
                removed.out);
    }

    @Test
    void installNotesAFlagFileThatExistsAndAFlagDirectoryThatDoesNot() throws IOException {
        Files.write(jira.resolve("maintenance.flag"), new byte[0]);
        Run run = run("install", jira, "--jar", jar);
        assertTrue(run.out.contains("the flag file exists now"), run.out);
        Path missing = tmp.resolve("no/such/dir/maintenance.flag");
        Run other = run("install", jira, "--jar", jar, "--flag", missing);
        assertEquals(0, other.code, other.toString());
        assertTrue(other.out.contains(missing.getParent() + " does not exist yet"), other.out);
    }

    @Test
    void anOlderValveJarIsReplacedWhateverItsName() throws IOException {
        Fixtures.valveJar(jira.resolve("lib/maintenance-valve-0.1.0.jar"), "build 0.1.0");
        Fixtures.valveJar(jira.resolve("lib/renamed-by-someone.jar"), "build 0.0.9");
        Fixtures.zip(jira.resolve("lib/unrelated.jar"), "com/example/Other.class", new byte[] {1});
        Run run = run("install", jira, "--jar", jar);
        assertEquals(0, run.code, run.toString());
        assertEquals(List.of("catalina.jar", "maintenance-valve-0.2.0.jar", "unrelated.jar"), libNames());
        assertTrue(run.out.contains("removed the other valve jar maintenance-valve-0.1.0.jar"), run.out);

        Run uninstall = run("uninstall", jira);
        assertEquals(0, uninstall.code, uninstall.toString());
        assertEquals(List.of("catalina.jar", "unrelated.jar"), libNames());
    }

    @Test
    void aRebuiltJarOfTheSameNameIsCopiedAgain() throws IOException {
        assertEquals(0, run("install", jira, "--jar", jar).code);
        Fixtures.valveJar(jar, "build 0.2.0, rebuilt");
        Run run = run("install", jira, "--jar", jar);
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("copied maintenance-valve-0.2.0.jar"), run.out);
        assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
        assertEquals(1, backups().size(), "server.xml did not change");
    }

    @Test
    void dryRunPrintsTheDiffAndChangesNothing() throws IOException {
        Run run = run("install", jira, "--jar", jar, "--dry-run");
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("\n+                <Valve className=\"org.maintenancevalve.MaintenanceValve\" preset=\"jira\"/>\n"), run.out);
        assertTrue(run.out.contains("\n             <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"true\" autoDeploy=\"true\">\n"),
                "context lines: " + run.out);
        assertTrue(run.out.contains("- copy " + jar.toAbsolutePath()), run.out);
        assertUntouched();

        assertEquals(0, run("install", jira, "--jar", jar).code);
        byte[] installed = Files.readAllBytes(serverXml());
        Run uninstall = run("uninstall", jira, "--dry-run");
        assertEquals(0, uninstall.code, uninstall.toString());
        assertTrue(uninstall.out.contains("\n-                <Valve className="), uninstall.out);
        assertTrue(uninstall.out.contains("- remove " + jira.resolve("lib/maintenance-valve-0.2.0.jar")), uninstall.out);
        assertArrayEquals(installed, Files.readAllBytes(serverXml()));
    }

    /** Jira's and Confluence's own scripts, which set up their environment before Tomcat's. */
    private static String productRestart(Path dir, String name) {
        return dir.resolve("bin/stop-" + name + ".sh") + " && " + dir.resolve("bin/start-" + name + ".sh")
                + "   (or your service manager)";
    }

    @Test
    void theNextStepsNameThisInstallsRestartAndFlagFile() throws IOException {
        Files.write(jira.resolve("bin/stop-jira.sh"), new byte[0]);
        Files.write(jira.resolve("bin/start-jira.sh"), new byte[0]);
        Path flag = jira.resolve("maintenance.flag");
        String flagSteps = "  2. Then maintenance follows the flag file " + flag + ":\n"
                + "       on:                 touch " + flag + "\n"
                + "       off:                rm " + flag + "\n"
                + "       on, with a message: echo '{\"message\":\"Back at 15:00\"}' > " + flag + "\n"
                + "     The valve looks at it every 1000 ms; the user Tomcat runs as must be\n"
                + "     able to read it.\n"
                + "  Before the restart, check what it will load: java -jar <maintenance-valve.jar> check " + jira + "\n"
                + "  To undo: install/uninstall.sh " + jira + "\n";

        Run first = run("install", jira, "--jar", jar);
        assertEquals(0, first.code, first.toString());
        assertTrue(first.out.startsWith("Maintenance Valve install into " + jira + "\n  Tomcat 9.0.117, Jira\n  preset: jira\n"),
                first.out);
        assertTrue(first.out.endsWith("\n" + serverXml() + ": added the Valve (with a comment) as the first child of <Host name=\"localhost\">\n"
                + jira.resolve("lib") + ": copied maintenance-valve-0.2.0.jar\n"
                + "\nNext steps:\n"
                + "  1. Restart Tomcat once, so that it loads the valve as installed now:\n"
                + "       " + productRestart(jira, "jira") + "\n"
                + flagSteps), first.out);

        Run again = run("install", jira, "--jar", jar);
        assertEquals(0, again.code, again.toString());
        assertTrue(again.out.endsWith("\n" + serverXml() + ": the Valve in <Host name=\"localhost\"> is already there, unchanged\n"
                + jira.resolve("lib") + ": maintenance-valve-0.2.0.jar is already there\n"
                + "\nNext steps:\n"
                + "  1. Nothing changed: if Tomcat was restarted since this jar and these options were\n"
                + "     installed, it runs them already; otherwise restart it once:\n"
                + "       " + productRestart(jira, "jira") + "\n"
                + flagSteps), again.out);
    }

    @Test
    void confluenceIsRestartedWithItsOwnScriptsAndPlainTomcatWithTomcats() throws IOException {
        Path confluence = Fixtures.tomcat(tmp.resolve("confluence"), "10.1.59", Fixtures.resource("confluence-server.xml"));
        Files.createDirectories(confluence.resolve("confluence"));
        Files.write(confluence.resolve("bin/stop-confluence.sh"), new byte[0]);
        Files.write(confluence.resolve("bin/stop-jira.sh"), new byte[0]);
        Run run = run("install", confluence, "--jar", jar);
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("\n       " + productRestart(confluence, "confluence") + "\n"), run.out);

        Path tomcat = Fixtures.tomcat(tmp.resolve("tomcat"), "11.0.24", Fixtures.resource("tomcat-11.0.24-server.xml"));
        Files.write(tomcat.resolve("bin/stop-jira.sh"), new byte[0]);
        Files.write(tomcat.resolve("bin/stop-confluence.sh"), new byte[0]);
        Run plain = run("install", tomcat, "--jar", jar);
        assertEquals(0, plain.code, plain.toString());
        assertTrue(plain.out.contains("\n       " + tomcat.resolve("bin/shutdown.sh") + " && " + tomcat.resolve("bin/startup.sh")
                + "   (or your service manager)\n"), plain.out);

        Run removed = run("uninstall", confluence);
        assertEquals(0, removed.code, removed.toString());
        assertTrue(removed.out.endsWith("\nNext step: restart Tomcat once, so that it unloads the valve:\n  "
                + productRestart(confluence, "confluence") + "\n"), removed.out);
    }

    @Test
    void uninstallSaysWhatItDidAndKeepsEveryBackup() throws IOException {
        Files.write(jira.resolve("bin/stop-jira.sh"), new byte[0]);
        assertEquals(0, run("install", jira, "--jar", jar).code);
        assertEquals(0, run("install", jira, "--jar", jar, "--poll-interval", "500").code);
        List<Path> before = backups();
        assertEquals(2, before.size());
        Path flag = jira.resolve("maintenance.flag");
        Files.write(flag, new byte[0]);

        Run removed = run("uninstall", jira);
        assertEquals(0, removed.code, removed.toString());
        List<Path> after = backups();
        assertEquals(3, after.size());
        assertTrue(after.containsAll(before), after.toString());
        List<Path> made = new ArrayList<>(after);
        made.removeAll(before);
        assertEquals("Maintenance Valve uninstall from " + jira + "\n"
                + "Backed up " + serverXml() + " to " + made.get(0) + "\n"
                + serverXml() + ": removed the Valve and its comment from <Host name=\"localhost\">\n"
                + jira.resolve("lib") + ": removed maintenance-valve-0.2.0.jar\n"
                + "Kept the backups of server.xml:\n"
                + "  " + after.get(0) + "\n  " + after.get(1) + "\n  " + after.get(2) + "\n"
                + "\nThe flag file " + flag + " exists: after the restart nothing will hold users out any more.\n"
                + "Delete it when you no longer need it.\n"
                + "\nNext step: restart Tomcat once, so that it unloads the valve:\n"
                + "  " + productRestart(jira, "jira") + "\n", removed.out);

        Run again = run("uninstall", jira);
        assertEquals(0, again.code, again.toString());
        assertEquals("Maintenance Valve uninstall from " + jira + "\n"
                + "Nothing to remove: " + serverXml() + " has no Valve added by install, and " + jira.resolve("lib")
                + " has no maintenance-valve jar.\n"
                + "\nThe flag file " + flag + " exists: after the restart nothing will hold users out any more.\n"
                + "Delete it when you no longer need it.\n", again.out, "no restart needed when nothing changed");
    }

    @Test
    void uninstallOfALeftoverJarAloneRemovesItAndLeavesServerXml() throws IOException {
        Files.copy(jar, jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        Run removed = run("uninstall", jira);
        assertEquals(0, removed.code, removed.toString());
        assertArrayEquals(original, Files.readAllBytes(serverXml()));
        assertEquals(Collections.emptyList(), backups(), "server.xml did not change: no backup");
        assertEquals(Collections.singletonList("catalina.jar"), libNames());
        assertTrue(removed.out.startsWith("Maintenance Valve uninstall from " + jira + "\n"
                + serverXml() + ": no Valve added by install in it, nothing to remove\n"
                + jira.resolve("lib") + ": removed maintenance-valve-0.2.0.jar\n"
                + "\nNext step: restart Tomcat once"), removed.out);
    }

    @Test
    void uninstallWithoutCatalinaJarSuggestsTheBasesOwnScripts() throws IOException {
        assertEquals(0, run("install", jira, "--jar", jar).code);
        Files.delete(jira.resolve("lib/catalina.jar"));
        Run removed = run("uninstall", jira);
        assertEquals(0, removed.code, removed.toString());
        assertTrue(removed.out.endsWith("\n  " + jira.resolve("bin/shutdown.sh") + " && " + jira.resolve("bin/startup.sh")
                + "   (or your service manager)\n"), removed.out);
    }

    @Test
    void dryRunPlansSayWhatWouldBeKeptAndRemoved() throws IOException {
        Run fresh = run("install", jira, "--jar", jar, "--dry-run");
        assertEquals(0, fresh.code, fresh.toString());
        assertTrue(fresh.out.contains("\n\nDry run: nothing is changed. install would:\n"
                + "- back up " + serverXml() + " to server.xml.bak-<time>\n"
                + "- change " + serverXml() + " like this:\n"
                + "--- " + serverXml() + "\n+++ " + serverXml() + " (after install)\n@@ "), fresh.out);
        assertTrue(fresh.out.endsWith("\n- copy " + jar.toAbsolutePath() + " to " + jira.resolve("lib/maintenance-valve-0.2.0.jar") + "\n"),
                fresh.out);

        assertEquals(0, run("install", jira, "--jar", jar).code);
        Path old = Fixtures.valveJar(jira.resolve("lib/maintenance-valve-0.1.0.jar"), "build 0.1.0");
        Run same = run("install", jira, "--jar", jar, "--dry-run");
        assertEquals(0, same.code, same.toString());
        assertTrue(same.out.endsWith("\n\nDry run: nothing is changed. install would:\n"
                + "- leave " + serverXml() + " as it is: the Valve in <Host name=\"localhost\"> is already there, unchanged\n"
                + "- keep " + jira.resolve("lib/maintenance-valve-0.2.0.jar") + " (the same jar)\n"
                + "- remove the other valve jar " + old + "\n"), same.out);
        assertTrue(Files.exists(old), "a dry run removes nothing");

        Files.delete(old);
        byte[] installed = Files.readAllBytes(serverXml());
        Run uninstall = run("uninstall", jira, "--dry-run");
        assertEquals(0, uninstall.code, uninstall.toString());
        assertTrue(uninstall.out.startsWith("Maintenance Valve uninstall from " + jira + "\n"
                + "\nDry run: nothing is changed. uninstall would:\n"
                + "- back up " + serverXml() + " to server.xml.bak-<time>\n"
                + "- change " + serverXml() + " like this:\n"
                + "--- " + serverXml() + "\n+++ " + serverXml() + " (after uninstall)\n@@ "), uninstall.out);
        assertTrue(uninstall.out.endsWith("\n- remove " + jira.resolve("lib/maintenance-valve-0.2.0.jar") + "\n"), uninstall.out);
        assertArrayEquals(installed, Files.readAllBytes(serverXml()));
        assertTrue(Files.exists(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
    }

    /** As root, install and uninstall write only where only root can change things. */
    private static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the rule is for root");
        assumeTrue(Files.isDirectory(Path.of("/proc")), "needs Linux");
    }

    @Test
    void asRootAConfOrLibOthersCanWriteIsRefusedBeforeAnythingChanges() throws IOException {
        assumeRoot();
        Path conf = jira.resolve("conf");
        Path lib = jira.resolve("lib");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxrwxr-x"));
        Run install = run("install", jira, "--jar", jar);
        assertEquals(1, install.code, install.toString());
        assertTrue(install.err.contains("can be written by its group"), install.err);
        assertTrue(install.err.contains("Nothing was changed."), install.err);
        assertUntouched();

        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run jarOnly = run("install", jira, "--jar", jar);
        assertEquals(1, jarOnly.code, jarOnly.toString());
        assertTrue(jarOnly.err.contains("can be written by everyone"), jarOnly.err);
        assertUntouched();

        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(0, run("install", jira, "--jar", jar).code);
        byte[] installed = Files.readAllBytes(serverXml());
        List<Path> backups = backups();
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxrwxr-x"));
        Run uninstall = run("uninstall", jira);
        assertEquals(1, uninstall.code, uninstall.toString());
        assertTrue(uninstall.err.contains("can be written by its group"), uninstall.err);
        assertArrayEquals(installed, Files.readAllBytes(serverXml()));
        assertEquals(backups, backups());
        assertTrue(Files.exists(lib.resolve("maintenance-valve-0.2.0.jar")));

        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run jarStays = run("uninstall", jira);
        assertEquals(1, jarStays.code, jarStays.toString());
        assertTrue(jarStays.err.contains("can be written by everyone"), jarStays.err);
        assertArrayEquals(installed, Files.readAllBytes(serverXml()), "refused before server.xml was changed");
        assertEquals(backups, backups());
        assertTrue(Files.exists(lib.resolve("maintenance-valve-0.2.0.jar")));
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void installWithCheckEndsWithTheChecksReportAndExitCode() throws IOException {
        Path home = Fixtures.tomcat(tmp.resolve("home"), "9.0.117", Fixtures.resource("tomcat-9.0.117-server.xml"));
        Fixtures.valveJar(home.resolve("lib/maintenance-valve-0.1.0.jar"), "build 0.1.0");
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("conf"));
        Files.write(base.resolve("conf/server.xml"), original);
        Run run = run("install", base, "--jar", jar, "--catalina-home", home, "--check");
        assertEquals(1, run.code, "the check finds the old jar in the home's lib/: " + run);
        assertTrue(run.out.contains("  To undo: install/uninstall.sh " + base + "\n\nMaintenance Valve check of " + base + ":"), run.out);
        assertTrue(run.out.endsWith(", then run check again.\n"), run.out);
        assertTrue(Files.exists(base.resolve("lib/maintenance-valve-0.2.0.jar")), "installed all the same");
    }

    @Test
    void withoutJarInstallNeedsToRunFromTheJar() throws IOException {
        Run run = run("install", jira);
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains("not running from a maintenance-valve jar: name the jar to install with --jar"), run.err);
        assertUntouched();
    }

    @Test
    void aMissingTemplateIsRefusedWithAnExampleToStartFrom() throws IOException {
        Path missing = tmp.resolve("maintenance.html");
        Run run = run("install", jira, "--jar", jar, "--template", missing);
        assertEquals(2, run.code, run.toString());
        assertTrue(run.err.contains("--template " + missing + " does not exist; name an HTML file "
                + "(install/maintenance.html.example is one to start from)"), run.err);
        Files.write(missing, new byte[] {'<', 'p', '>', (byte) 0xE9});
        Run invalid = run("install", jira, "--jar", jar, "--template", missing);
        assertEquals(2, invalid.code, invalid.toString());
        assertTrue(invalid.err.contains("--template " + missing + " is not valid UTF-8"), invalid.err);
        assertFalse(invalid.err.contains("name an HTML file"), "it is one, just not a usable one: " + invalid.err);
        assertUntouched();
    }

    @Test
    void asRootAServerXmlLinkedIntoADirectoryOthersCanWriteIsRefused() throws IOException {
        assumeRoot();
        Path shared = tmp.resolve("shared");
        Files.createDirectories(shared);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.move(serverXml(), shared.resolve("server.xml"));
        Files.createSymbolicLink(serverXml(), shared.resolve("server.xml"));
        Run run = run("install", jira, "--jar", jar);
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains(shared + " can be written by its group"), run.err);
        assertArrayEquals(original, Files.readAllBytes(shared.resolve("server.xml")));
        assertTrue(Files.isSymbolicLink(serverXml()));
        assertEquals(Collections.singletonList("catalina.jar"), libNames());
    }

    @Test
    void aJiraWhoseWebappIsInTheHomeIsJiraForItsBase() throws IOException {
        Path home = Fixtures.tomcat(tmp.resolve("home"), "9.0.117", Fixtures.resource("tomcat-9.0.117-server.xml"));
        Files.createDirectories(home.resolve("atlassian-jira"));
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("conf"));
        Files.write(base.resolve("conf/server.xml"), Fixtures.resource("tomcat-9.0.117-server.xml"));
        Run run = run("install", base, "--jar", jar, "--catalina-home", home, "--dry-run");
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.startsWith("Maintenance Valve install into " + base + "\n  Tomcat 9.0.117, Jira (CATALINA_HOME " + home + ")\n"
                + "  preset: jira\n"), run.out);
    }

    @Test
    void backupsInTheSameSecondGetNamesOfTheirOwn() throws Exception {
        Installer installer = new Installer(new AtomicReplace(), Clock.fixed(Instant.parse("2026-05-14T10:15:30Z"), ZoneOffset.UTC),
                Collections.<String, String>emptyMap());
        for (String poll : new String[] {"500", "600", "700"}) {
            Installer.Request request = new Installer.Request();
            request.dir = jira;
            request.jar = jar;
            request.changes.put("pollInterval", poll);
            installer.install(request, new PrintStream(new ByteArrayOutputStream()));
        }
        Path conf = jira.resolve("conf");
        assertEquals(List.of(conf.resolve("server.xml.bak-20260514-101530"), conf.resolve("server.xml.bak-20260514-101530-2"),
                conf.resolve("server.xml.bak-20260514-101530-3")), backups());
        assertArrayEquals(original, Files.readAllBytes(backups().get(0)));
    }

    // ------------------------------------------------------------ what is detected

    @Test
    void confluenceGetsTheConfluencePreset() throws IOException {
        Path confluence = Fixtures.tomcat(tmp.resolve("confluence"), "10.1.59", Fixtures.resource("confluence-server.xml"));
        Files.createDirectories(confluence.resolve("confluence"));
        Run run = run("install", confluence, "--jar", jar);
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("Tomcat 10.1.59, Confluence"), run.out);
        String text = new String(Files.readAllBytes(confluence.resolve("conf/server.xml")), StandardCharsets.UTF_8);
        assertTrue(text.contains("<Valve className=\"org.maintenancevalve.MaintenanceValve\" preset=\"confluence\"/>"), text);
    }

    @Test
    void plainTomcatGetsNoPresetAndPresetOverrides() throws IOException {
        Path tomcat = Fixtures.tomcat(tmp.resolve("tomcat"), "11.0.24", Fixtures.resource("tomcat-11.0.24-server.xml"));
        Run run = run("install", tomcat, "--jar", jar);
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("preset: none"), run.out);
        String text = new String(Files.readAllBytes(tomcat.resolve("conf/server.xml")), StandardCharsets.UTF_8);
        assertTrue(text.contains("<Valve className=\"org.maintenancevalve.MaintenanceValve\"/>"), text);

        assertEquals(0, run("install", jira, "--jar", jar, "--preset", "none").code);
        assertFalse(installedValve().hasAttribute("preset"));
        assertEquals(0, run("install", jira, "--jar", jar, "--preset", "confluence").code);
        assertEquals("confluence", installedValve().getAttribute("preset"));
    }

    @Test
    void bothWebappsAskForAPreset() throws IOException {
        Files.createDirectories(jira.resolve("confluence"));
        Run run = run("install", jira, "--jar", jar);
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains("--preset"), run.err);
        assertUntouched();
        assertEquals(0, run("install", jira, "--jar", jar, "--preset", "jira").code);
    }

    @Test
    void aCatalinaBaseUsesTheHomesCatalinaJarAndGetsTheJarInItsOwnLib() throws Exception {
        Path home = Fixtures.tomcat(tmp.resolve("home"), "9.0.117", Fixtures.resource("tomcat-9.0.117-server.xml"));
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("conf"));
        Files.write(base.resolve("conf/server.xml"), original);

        Run without = run("install", base, "--jar", jar);
        if (System.getenv("CATALINA_HOME") == null) {
            assertEquals(1, without.code, without.toString());
            assertTrue(without.err.contains("--catalina-home"), without.err);
        }
        Run with = run("install", base, "--jar", jar, "--catalina-home", home);
        assertEquals(0, with.code, with.toString());
        assertTrue(Files.isRegularFile(base.resolve("lib/maintenance-valve-0.2.0.jar")));
        assertFalse(Files.exists(home.resolve("lib/maintenance-valve-0.2.0.jar")));
        assertTrue(with.out.contains("CATALINA_BASE=" + base + " " + home.resolve("bin/shutdown.sh")), with.out);

        // The same through $CATALINA_HOME, and the conf directory named instead of the base.
        Installer.Request request = new Installer.Request();
        request.dir = base.resolve("conf");
        request.jar = jar;
        request.changes.put("pollInterval", "250");
        new Installer(new AtomicReplace(), Clock.systemDefaultZone(), Collections.singletonMap("CATALINA_HOME", home.toString()))
                .install(request, new PrintStream(new ByteArrayOutputStream()));
        assertTrue(new String(Files.readAllBytes(base.resolve("conf/server.xml")), StandardCharsets.UTF_8).contains("pollInterval=\"250\""));
    }

    // ------------------------------------------------------------ refusals: exit 1, nothing changed

    @Test
    void tomcatOlderThan85IsRefused() throws IOException {
        for (String old : new String[] {"8.0.53", "7.0.109"}) {
            Fixtures.catalinaJar(jira.resolve("lib/catalina.jar"),
                    "server.info=Apache Tomcat/" + old + "\nserver.number=" + old + ".0\n");
            Run run = run("install", jira, "--jar", jar);
            assertEquals(1, run.code, run.toString());
            assertTrue(run.err.contains("refused: this is Tomcat " + old), run.err);
            assertTrue(run.err.contains("needs Tomcat 8.5 or later"), run.err);
            assertUntouched();
        }
    }

    @Test
    void aFileThatDoesNotParseIsRefusedAndLeftUntouched() throws IOException {
        original = new String(original, StandardCharsets.UTF_8).replace("</Host>", "</Hots>").getBytes(StandardCharsets.UTF_8);
        Files.write(serverXml(), original);
        Run run = run("install", jira, "--jar", jar);
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains("is not well-formed XML (line "), run.err);
        assertTrue(run.err.contains("left untouched"), run.err);
        assertUntouched();
        assertEquals(1, run("uninstall", jira).code);
        assertArrayEquals(original, Files.readAllBytes(serverXml()));
    }

    @Test
    void aValveAddedByHandIsRefusedByUninstallWhichKeepsTheJar() throws IOException {
        original = new String(original, StandardCharsets.UTF_8).replace("autoDeploy=\"true\">",
                "autoDeploy=\"true\">\n                <Valve className=\"org.maintenancevalve.MaintenanceValve\"/>").getBytes(StandardCharsets.UTF_8);
        Files.write(serverXml(), original);
        Files.copy(jar, jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        Run run = run("uninstall", jira);
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains("did not add (line 30)"), run.err);
        assertArrayEquals(original, Files.readAllBytes(serverXml()));
        assertTrue(Files.exists(jira.resolve("lib/maintenance-valve-0.2.0.jar")), "the jar stays while server.xml names the valve");
    }

    /**
     * A server.xml that cannot be written. The tests run as root, whom permissions do not stop,
     * so the failure comes through the writer seam, exactly where the OS would report it: after
     * every check passed and the jar was staged. The real permission check is in
     * {@link ReadOnlyInstallTest}.
     */
    @Test
    void whenServerXmlCannotBeWrittenNothingChanges() throws IOException {
        FileReplacer denied = (target, content) -> {
            throw new AccessDeniedException(target.toString());
        };
        Installer.Request request = new Installer.Request();
        request.dir = jira;
        request.jar = jar;
        Installer installer = new Installer(denied, Clock.fixed(Instant.parse("2026-05-14T10:15:30Z"), ZoneOffset.UTC),
                Collections.<String, String>emptyMap());
        Refused refused = assertThrows(Refused.class, () -> installer.install(request, new PrintStream(new ByteArrayOutputStream())));
        assertEquals("cannot write " + serverXml() + " (permission denied: " + serverXml() + "); nothing was changed",
                refused.getMessage());
        assertUntouched();

        assertEquals(0, run("install", jira, "--jar", jar).code);
        byte[] installed = Files.readAllBytes(serverXml());
        List<Path> backups = backups();
        Uninstaller uninstaller = new Uninstaller(denied, Clock.systemDefaultZone(), Collections.<String, String>emptyMap());
        assertThrows(Refused.class, () -> uninstaller.uninstall(jira, false, new PrintStream(new ByteArrayOutputStream())));
        assertArrayEquals(installed, Files.readAllBytes(serverXml()));
        assertEquals(backups, backups());
        assertTrue(Files.exists(jira.resolve("lib/maintenance-valve-0.2.0.jar")), "the jar stays with the Valve");
    }

    @Test
    void aJarWithoutTheValveIsRefused() throws IOException {
        Path other = tmp.resolve("other.jar");
        Fixtures.zip(other, "com/example/Other.class", new byte[] {1});
        Run run = run("install", jira, "--jar", other);
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains("is not a maintenance-valve jar"), run.err);
        assertUntouched();
    }

    @Test
    void aDirectoryWithoutServerXmlIsRefused() {
        Run missing = run("install", tmp.resolve("nowhere"), "--jar", jar);
        assertEquals(1, missing.code, missing.toString());
        assertTrue(missing.err.contains("does not exist"), missing.err);
        Run empty = run("install", tmp, "--jar", jar);
        assertEquals(1, empty.code, empty.toString());
        assertTrue(empty.err.contains("no conf/server.xml in " + tmp), empty.err);
    }

    // ------------------------------------------------------------ usage: exit 2

    @Test
    void badUsageIsExitCode2WithAOneLineMessage() throws IOException {
        Object[][] bad = {
                {"install"},
                {"install", jira, "other"},
                {"install", jira, "--bogus"},
                {"install", jira, "--poll-interval", "5"},
                {"install", jira, "--poll-interval", "soon"},
                {"install", jira, "--admin-port", "70000"},
                {"install", jira, "--preset", "bamboo"},
                {"install", jira, "--flag"},
                {"install", jira, "--dry-run=yes"},
                {"install", jira, "--preset", "jira", "--preset", "none"},
                {"uninstall"},
                {"uninstall", jira, "--jar", jar},
        };
        for (Object[] args : bad) {
            Run run = run(args);
            assertEquals(2, run.code, List.of(args) + ": " + run);
            assertEquals(1, run.err.split("\n").length, run.err);
            assertTrue(run.err.startsWith("maintenance-valve " + args[0] + ": "), run.err);
            assertTrue(run.err.contains("Try 'maintenance-valve " + args[0] + " --help'"), run.err);
            assertEquals("", run.out);
        }
        assertUntouched();
    }

    @Test
    void everyVerbAnswersHelp() {
        Run install = run("install", "--help");
        assertEquals(0, install.code);
        assertTrue(install.out.startsWith("Usage: install/install.sh <install-dir> [options]"), install.out);
        for (String option : new String[] {"--flag", "--allow", "--admin-port", "--admin-users", "--poll-interval", "--preset",
                "--template", "--dry-run", "--check"}) {
            assertTrue(install.out.contains("  " + option + " "), option);
        }
        Run uninstall = run("uninstall", jira, "--help");
        assertEquals(0, uninstall.code);
        assertTrue(uninstall.out.startsWith("Usage: install/uninstall.sh <install-dir>"), uninstall.out);
    }

    @Test
    void installAcceptsRepeatedAndCommaSeparatedLists() throws IOException {
        Run run = run("install", jira, "--jar", jar, "--allow", "10.0.0.0/8, 192.168.1.7", "--allow=::1",
                "--admin-users", "admin", "--admin-port", "8081");
        assertEquals(0, run.code, run.toString());
        Element valve = installedValve();
        assertEquals("10.0.0.0/8,192.168.1.7,::1", valve.getAttribute("allow"));
        assertEquals("admin", valve.getAttribute("adminUsers"));
        assertEquals("8081", valve.getAttribute("adminPort"));
        assertEquals(0, run("install", jira, "--jar", jar, "--allow", "").code);
        assertFalse(installedValve().hasAttribute("allow"));
        assertEquals("admin", installedValve().getAttribute("adminUsers"));
    }

    // ------------------------------------------------------------ the valve's own parsing, before anything is written

    @Test
    void aValueTheValveWouldRefuseIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("flags"));
        Path notUtf8 = tmp.resolve("latin1.html");
        Files.write(notUtf8, new byte[] {'<', 'p', '>', (byte) 0xE9, '<', '/', 'p', '>'});
        Path large = tmp.resolve("large.html");
        Files.write(large, new byte[256 * 1024 + 1]);
        Path unsafe = tmp.resolve("unsafe.html");
        Files.write(unsafe, "<a href=\"{{message}}\">x</a>".getBytes(StandardCharsets.UTF_8));
        Object[][] bad = {
                {"--allow", "localhost", "--allow localhost: \"localhost\" is not an IP address or CIDR block"},
                {"--allow", "300.1.1.1", "--allow 300.1.1.1: \"300.1.1.1\" is not an IP address or CIDR block"},
                {"--allow", "10.1.2.0/33", "--allow 10.1.2.0/33: \"10.1.2.0/33\" has a prefix length outside 0-32"},
                {"--allow", "10.0.0.1, jira.example.com", "\"jira.example.com\" is not an IP address or CIDR block"},
                {"--admin-port", "0", "--admin-port 0: \"0\" is not a port number (1-65535)"},
                {"--admin-port", "8081,http", "--admin-port 8081,http: \"http\" is not a port number (1-65535)"},
                {"--poll-interval", "5", "--poll-interval 5: must be a whole number from 10 to 3600000"},
                {"--poll-interval", "1s", "--poll-interval 1s: must be a whole number from 10 to 3600000"},
                {"--preset", "bamboo", "--preset bamboo: must be none, jira or confluence"},
                {"--template", tmp.resolve("missing.html"), "--template " + tmp.resolve("missing.html") + " does not exist"},
                {"--template", dir, "--template " + dir + " is not a regular file"},
                {"--template", notUtf8, "--template " + notUtf8 + " is not valid UTF-8"},
                {"--template", large, "--template " + large + " is larger than 256 KiB"},
                {"--template", unsafe, "--template " + unsafe + " has a placeholder where escaping cannot make it safe"
                        + " (line 1: {{message}} in the href attribute of <a>)"},
                {"--flag", dir, "--flag " + dir + " is a directory; name the flag file in it, e.g. " + dir.resolve("maintenance.flag")},
        };
        for (Object[] args : bad) {
            Run run = run("install", jira, "--jar", jar, args[0], args[1], "--check");
            assertEquals(2, run.code, List.of(args) + ": " + run);
            assertEquals(1, run.err.split("\n").length, run.err);
            assertTrue(run.err.startsWith("maintenance-valve install: "), run.err);
            assertTrue(run.err.contains(String.valueOf(args[2])), run.err);
            assertEquals("", run.out);
            assertUntouched();
        }
        Run refused = run("install", jira, "--jar", jar, "--allow", "localhost");
        assertTrue(refused.err.contains("(the valve would refuse it, and Tomcat would not start); nothing was changed"), refused.err);
    }

    @Test
    void anAttributeTheValveRefusesAlreadyInTheLineIsRefusedUnlessTheOptionMendsIt() throws IOException {
        assertEquals(0, run("install", jira, "--jar", jar).code);
        String text = new String(Files.readAllBytes(serverXml()), StandardCharsets.UTF_8)
                .replace("preset=\"jira\"/>", "preset=\"jira\" pollInterval=\"5\" retryAfter=\"0\"/>");
        Files.write(serverXml(), text.getBytes(StandardCharsets.UTF_8));
        byte[] edited = Files.readAllBytes(serverXml());
        List<Path> backups = backups();

        Run run = run("install", jira, "--jar", jar, "--admin-users", "admin");
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains("pollInterval=\"5\": must be a whole number from 10 to 3600000 (give a valid one with "
                + "--poll-interval); retryAfter=\"0\": must be a whole number from 1 to 604800 (correct it by hand)"), run.err);
        assertTrue(run.err.contains("The valve would refuse to start, and with it the whole Tomcat; nothing was changed"), run.err);
        assertArrayEquals(edited, Files.readAllBytes(serverXml()));
        assertEquals(backups, backups());

        Files.write(serverXml(), text.replace(" retryAfter=\"0\"", "").getBytes(StandardCharsets.UTF_8));
        Run mended = run("install", jira, "--jar", jar, "--poll-interval", "500");
        assertEquals(0, mended.code, mended.toString());
        assertEquals("500", installedValve().getAttribute("pollInterval"));
    }

    @Test
    void templatePresetAndPollIntervalAreWrittenAsTheValveReadsThem() throws IOException {
        Path template = tmp.resolve("pages/maintenance.html");
        Files.createDirectories(template.getParent());
        Files.write(template, "<p>{{message}}</p>".getBytes(StandardCharsets.UTF_8));
        Run run = run("install", jira, "--jar", jar, "--template", template, "--preset", "JIRA", "--poll-interval", " 0500");
        assertEquals(0, run.code, run.toString());
        Element valve = installedValve();
        assertEquals(template.toString(), valve.getAttribute("template"));
        assertEquals("jira", valve.getAttribute("preset"));
        assertEquals("500", valve.getAttribute("pollInterval"));
        assertEquals(0, run("install", jira, "--jar", jar, "--template", "").code);
        assertFalse(installedValve().hasAttribute("template"), "an empty value removes it");
    }

    @Test
    void installNotesAnAdminPortWithoutAConnector() throws IOException {
        Run run = run("install", jira, "--jar", jar, "--admin-port", "8080,8081");
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("Note: adminPort 8081 has no <Connector port=\"8081\"> in server.xml yet"), run.out);
        assertFalse(run.out.contains("adminPort 8080 has no"), run.out);
    }

    @Test
    void installNotesAnAjpAdminPort() throws IOException {
        Path serverXml = serverXml();
        String text = Fixtures.text(Files.readAllBytes(serverXml));
        Files.write(serverXml, Fixtures.bytes(text.replace("<Engine name=\"Catalina\"",
                "<Connector port=\"8009\" protocol=\"AJP/1.3\"/>\n        <Engine name=\"Catalina\"")));
        Run run = run("install", jira, "--jar", jar, "--admin-port", "8080,8009");
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.contains("Note: adminPort 8009 is an AJP connector: every request an AJP front end forwards"),
                run.out);
        assertTrue(run.out.contains("take it out of adminPort and give admins an HTTP connector of their own"), run.out);
        assertFalse(run.out.contains("adminPort 8080"), run.out);
    }
}
