package org.maintenancevalve.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Refused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How root runs a command again as another user: the command, its environment, and what is refused first. */
class AsUserTest {

    private static final Accounts.Account JIRA = new Accounts.Account("jira", 2001, 2001,
            "/var/atlassian/application-data/jira", "/bin/bash");
    private static final Set<Integer> JIRA_GROUPS = Collections.singleton(2001);
    private static final AsUser.Tools UTIL_LINUX = new AsUser.Tools(Paths.get("/usr/bin/setsid"),
            Paths.get("/usr/bin/setpriv"), Paths.get("/usr/sbin/runuser"));

    @TempDir
    Path tmp;

    private Path java;
    private Path jar;
    private final List<String> args = Arrays.asList("on", "--catalina-base", "/opt/atlassian/jira", "--for", "1h");

    @BeforeEach
    void files() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        java = Files.createFile(tmp.resolve("java"));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.createFile(tmp.resolve("maintenance-valve-1.0.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private AsUser prepare(AsUser.Tools tools) throws Refused {
        return AsUser.prepare(JIRA, JIRA_GROUPS, args, new HashMap<>(), java, jar, tools);
    }

    private Refused refused(Path jarToRun, AsUser.Tools tools) {
        return assertThrows(Refused.class, () -> AsUser.prepare(JIRA, JIRA_GROUPS, args, new HashMap<>(), java, jarToRun, tools));
    }

    @Test
    void throughSetprivInASessionOfItsOwnWithTheSameJavaAndJarAndNobodyMayAttach() throws Refused {
        AsUser asUser = prepare(UTIL_LINUX);
        assertEquals(Arrays.asList("/usr/bin/setsid", "--wait", "/usr/bin/setpriv", "--reuid=2001", "--regid=2001",
                "--init-groups", "--", java.toString(), "-XX:+DisableAttachMechanism", "-jar", jar.toString(),
                "on", "--catalina-base", "/opt/atlassian/jira", "--for", "1h"), asUser.command());
        assertTrue(asUser.how().startsWith("setpriv, with this java and jar, in a session of its own"), asUser.how());
    }

    @Test
    void throughRunuserWhereThereIsNoSetpriv() throws Refused {
        AsUser asUser = prepare(new AsUser.Tools(Paths.get("/usr/bin/setsid"), null, Paths.get("/sbin/runuser")));
        assertEquals(Arrays.asList("/usr/bin/setsid", "--wait", "/sbin/runuser", "-u", "jira", "--", java.toString(),
                "-XX:+DisableAttachMechanism", "-jar", jar.toString(), "on", "--catalina-base", "/opt/atlassian/jira",
                "--for", "1h"), asUser.command());
        assertTrue(asUser.how().startsWith("runuser"), asUser.how());
    }

    @Test
    void withoutTheToolsItSaysHowToRunItByHand() {
        Refused e = refused(jar, new AsUser.Tools(Paths.get("/usr/bin/setsid"), null, null));
        assertTrue(e.getMessage().contains("util-linux's setpriv and runuser cannot be found"), e.getMessage());
        assertTrue(e.getMessage().contains("Run it as jira yourself: setpriv --reuid=2001 --regid=2001 --init-groups "
                + java + " -jar " + jar + " on ..."), e.getMessage());
        e = refused(jar, new AsUser.Tools(null, Paths.get("/usr/bin/setpriv"), null));
        assertTrue(e.getMessage().contains("util-linux's setsid cannot be found"), e.getMessage());
    }

    @Test
    void notStartedFromTheJarThereIsNothingToRunAgain() {
        Refused e = refused(null, UTIL_LINUX);
        assertTrue(e.getMessage().contains("it was not started from the maintenance-valve jar"), e.getMessage());
    }

    @Test
    void aJarTheUserCannotReadIsSaidBeforeAnythingStarts() throws IOException {
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-------"));
        Refused e = refused(jar, UTIL_LINUX);
        assertTrue(e.getMessage().contains("this would run as jira (uid 2001, gid 2001), who cannot read the jar " + jar
                + " (the file's permissions do not let it read it): put the jar where jira can read it"), e.getMessage());

        Path root = Files.createDirectories(tmp.resolve("root-only"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Path hidden = Files.copy(java, root.resolve("maintenance-valve.jar"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rw-r--r--"));
        e = refused(hidden, UTIL_LINUX);
        assertTrue(e.getMessage().contains("(it cannot enter " + root + ")"), e.getMessage());
    }

    @Test
    void aJavaTheUserCannotRunIsSaidToo() throws IOException {
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr--r--"));
        Refused e = refused(jar, UTIL_LINUX);
        assertTrue(e.getMessage().contains("who cannot run " + java + " (the file's permissions do not let it run it)"),
                e.getMessage());
    }

    @Test
    void theBitsThatApplyAreTheOwnersThenTheGroupsThenEveryonesAsTheKernelPicks() throws IOException {
        Path file = Files.createFile(tmp.resolve("f"));
        int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int group = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        Set<Integer> inGroup = new HashSet<>(Arrays.asList(group, 4242));
        Set<Integer> outside = Collections.singleton(4242);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---r--r--"));
        assertTrue(AsUser.unreadable(file, owner, inGroup, false) != null, "the owner's bits say no, whatever the others say");
        assertNull(AsUser.unreadable(file, 4242, inGroup, false));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
        assertTrue(AsUser.unreadable(file, 4242, inGroup, false) != null, "the group's bits say no");
        assertNull(AsUser.unreadable(file, 4242, outside, false), "others may");
        assertTrue(AsUser.unreadable(tmp.resolve("missing"), 4242, outside, false).contains("no such file"));
    }

    @Test
    void theEnvironmentIsTheListAndTheUsersOwnNothingElseOfRoots() throws Refused {
        Map<String, String> env = new HashMap<>();
        for (String name : AsUser.PASSED) {
            env.put(name, "value of " + name);
        }
        env.put("AWS_SECRET_ACCESS_KEY", "root's secret");
        env.put("ATL_JDBC_PASSWORD", "the database's");
        env.put("JAVA_TOOL_OPTIONS", "-javaagent:/root/agent.jar");
        env.put("JDK_JAVA_OPTIONS", "-Dx=y");
        env.put("CLASSPATH", "/root");
        env.put("HOME", "/root");
        env.put("SUDO_USER", "admin");
        Map<String, String> passed = AsUser.prepare(JIRA, JIRA_GROUPS, args, env, java, jar, UTIL_LINUX).environment();
        Map<String, String> expected = new HashMap<>();
        for (String name : AsUser.PASSED) {
            expected.put(name, "value of " + name);
        }
        expected.put("HOME", "/var/atlassian/application-data/jira");
        expected.put("USER", "jira");
        expected.put("LOGNAME", "jira");
        expected.put("SHELL", "/bin/bash");
        assertEquals(expected, passed);
        assertTrue(AsUser.PASSED.containsAll(Arrays.asList("MAINTENANCE_FLAG", "CATALINA_HOME", "CATALINA_BASE",
                "CATALINA_PID", "JAVA_HOME", "MAINTENANCE_JMX_USER", "MAINTENANCE_JMX_PASSWORD", "PATH", "LANG", "TZ")),
                "what the commands read");
    }

    @Test
    void aPasswordFileIsReadByRootAndHandedOverInTheEnvironmentNeverOnTheCommandLine() throws Exception {
        Path password = tmp.resolve("jmx-password");
        Files.writeString(password, "s3cret-of-the-port\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> environment = new HashMap<>();
        List<String> kept = AsUser.handOverPasswordFile(Arrays.asList("status", "--jmx", "10.0.0.1:9010",
                "--jmx-user", "maintenance", "--jmx-password-file", password.toString()), environment);
        assertEquals(Arrays.asList("status", "--jmx", "10.0.0.1:9010", "--jmx-user", "maintenance"), kept);
        assertEquals("s3cret-of-the-port", environment.get("MAINTENANCE_JMX_PASSWORD"));

        Map<String, String> withEquals = new HashMap<>();
        assertEquals(Arrays.asList("off"), AsUser.handOverPasswordFile(
                Arrays.asList("off", "--jmx-password-file=" + password), withEquals));
        assertEquals("s3cret-of-the-port", withEquals.get("MAINTENANCE_JMX_PASSWORD"));

        // run's command is not ours to change.
        List<String> run = Arrays.asList("run", "--", "/usr/local/bin/backup", "--jmx-password-file", "x");
        Map<String, String> none = new HashMap<>();
        assertEquals(run, AsUser.handOverPasswordFile(run, none));
        assertNull(none.get("MAINTENANCE_JMX_PASSWORD"));

        AsUser asUser = AsUser.prepare(JIRA, JIRA_GROUPS, Arrays.asList("status", "--jmx-user", "maintenance",
                "--jmx-password-file", password.toString()), new HashMap<>(), java, jar, UTIL_LINUX);
        assertTrue(asUser.command().stream().noneMatch(arg -> arg.contains("s3cret") || arg.contains("jmx-password")),
                asUser.command().toString());
        assertEquals("s3cret-of-the-port", asUser.environment().get("MAINTENANCE_JMX_PASSWORD"));
    }

    @Test
    void aPasswordFileOthersCanReadIsRefusedBeforeAnythingRuns() throws Exception {
        Path password = tmp.resolve("jmx-password");
        Files.writeString(password, "s3cret\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r--r--"));
        Refused refused = assertThrows(Refused.class, () -> AsUser.handOverPasswordFile(
                Arrays.asList("on", "--jmx-password-file", password.toString()), new HashMap<>()));
        assertTrue(refused.getMessage().startsWith("--jmx-password-file \""), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("Nothing was changed."), refused.getMessage());
    }
}
