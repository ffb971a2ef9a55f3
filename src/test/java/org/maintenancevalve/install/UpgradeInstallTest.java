package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A newer release installed over an older one, as README's "Upgrading" says: install.sh of the
 * new release with no options. The jar is swapped; server.xml (the valve's options and the admin's
 * own edits) and the flag file stay as they were.
 */
class UpgradeInstallTest {

    @TempDir
    Path tmp;

    @Test
    void aNewerReleaseSwapsTheJarAndKeepsServerXmlAndTheFlag() throws IOException {
        Path jira = Fixtures.tomcat(tmp.resolve("jira"), "9.0.117", Fixtures.resource("jira-server.xml"));
        Files.createDirectories(jira.resolve("atlassian-jira/WEB-INF"));
        Path older = Fixtures.valveJar(tmp.resolve("release-0.1.0/maintenance-valve-0.1.0.jar"), "build 0.1.0");
        Path newer = Fixtures.valveJar(tmp.resolve("release-0.2.0/maintenance-valve-0.2.0.jar"), "build 0.2.0");
        Path flag = Files.createDirectories(tmp.resolve("shared")).resolve("maintenance.flag");
        Path serverXml = jira.resolve("conf/server.xml");

        InstallCommandTest.Run first = InstallCommandTest.run("install", jira, "--jar", older, "--flag", flag,
                "--admin-users", "admin", "--allow", "10.0.0.0/8");
        assertEquals(0, first.code, first.toString());
        // The admin's own change after the install, and maintenance on while the upgrade runs.
        String edited = new String(Files.readAllBytes(serverXml), StandardCharsets.UTF_8)
                .replace("connectionTimeout=\"20000\"", "connectionTimeout=\"30000\"");
        assertTrue(edited.contains("connectionTimeout=\"30000\""));
        Files.write(serverXml, edited.getBytes(StandardCharsets.UTF_8));
        byte[] flagContent = "{\"message\":\"Upgrading the maintenance valve\"}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(flag, flagContent);
        byte[] serverXmlBefore = Files.readAllBytes(serverXml);
        List<String> confBefore = names(jira.resolve("conf"));

        InstallCommandTest.Run upgrade = InstallCommandTest.run("install", jira, "--jar", newer);
        assertEquals(0, upgrade.code, upgrade.toString());
        assertEquals(Arrays.asList("catalina.jar", "maintenance-valve-0.2.0.jar"), names(jira.resolve("lib")));
        assertArrayEquals(Files.readAllBytes(newer), Files.readAllBytes(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
        assertTrue(upgrade.out.contains("removed the other valve jar maintenance-valve-0.1.0.jar"), upgrade.out);
        assertArrayEquals(serverXmlBefore, Files.readAllBytes(serverXml), "server.xml untouched");
        assertEquals(confBefore, names(jira.resolve("conf")), "no new backup: nothing in server.xml changed");
        assertArrayEquals(flagContent, Files.readAllBytes(flag), "the flag file untouched");
        Element valve = Fixtures.maintenanceValves(Fixtures.parse(Files.readAllBytes(serverXml))).get(0);
        assertEquals(flag.toString(), valve.getAttribute("flagFile"));
        assertEquals("admin", valve.getAttribute("adminUsers"));
        assertEquals("10.0.0.0/8", valve.getAttribute("allow"));
        assertTrue(upgrade.out.contains("Restart Tomcat once, so that it loads the valve as installed now"),
                "a new jar needs a restart even with the same options: " + upgrade.out);
    }

    private static List<String> names(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }
}
