package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Refused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which directory the admin means: the base, its conf/ or its server.xml; and where Tomcat's home is. */
class TomcatLayoutTest {

    @TempDir
    Path tmp;

    private static final Map<String, String> NO_ENV = Collections.emptyMap();

    @Test
    void theBaseItsConfOrItsServerXmlNameTheSameInstall() throws IOException, Refused {
        Path jira = Fixtures.tomcat(tmp.resolve("jira"), "9.0.117", Fixtures.resource("jira-server.xml"));
        for (Path named : new Path[] {jira, jira.resolve("conf"), jira.resolve("conf/server.xml"), jira.resolve("conf/../conf")}) {
            TomcatLayout layout = TomcatLayout.locate(named, null, NO_ENV, true);
            assertEquals(jira, layout.base, named.toString());
            assertEquals(jira, layout.home, named.toString());
            assertEquals(jira.resolve("conf/server.xml"), layout.serverXml);
            assertEquals(jira.resolve("lib"), layout.lib);
        }
        Files.write(tmp.resolve("server.xml"), Fixtures.resource("jira-server.xml"));
        Refused loose = assertThrows(Refused.class, () -> TomcatLayout.locate(tmp.resolve("server.xml"), null, NO_ENV, true));
        assertEquals("no conf/server.xml in " + tmp.resolve("server.xml") + ". Name the Tomcat, Jira or Confluence installation"
                + " directory (the one with bin/, conf/ and lib/), or a CATALINA_BASE", loose.getMessage());
        Files.createDirectories(tmp.resolve("other/conf"));
        assertThrows(Refused.class, () -> TomcatLayout.locate(tmp.resolve("other/conf"), null, NO_ENV, true),
                "a conf/ without server.xml is no base");
    }

    @Test
    void aBaseWithoutCatalinaJarNeedsAHome() throws IOException, Refused {
        Path home = Fixtures.tomcat(tmp.resolve("home"), "9.0.117", Fixtures.resource("tomcat-9.0.117-server.xml"));
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("conf"));
        Files.write(base.resolve("conf/server.xml"), Fixtures.resource("jira-server.xml"));

        Refused without = assertThrows(Refused.class, () -> TomcatLayout.locate(base, null, NO_ENV, true));
        assertEquals("no lib/catalina.jar in " + base + ". If " + base + " is a CATALINA_BASE, name Tomcat's home with "
                + "--catalina-home (or set CATALINA_HOME)", without.getMessage());
        Path wrong = tmp.resolve("wrong");
        Refused wrongHome = assertThrows(Refused.class, () -> TomcatLayout.locate(base, wrong, NO_ENV, true));
        assertEquals("no lib/catalina.jar in " + base + " or " + wrong + ". If " + base + " is a CATALINA_BASE, name Tomcat's "
                + "home with --catalina-home (or set CATALINA_HOME)", wrongHome.getMessage());
        assertNull(TomcatLayout.locate(base, null, NO_ENV, false).home, "uninstall and check go on without");

        assertEquals(home, TomcatLayout.locate(base, home, NO_ENV, true).home);
        assertEquals(home, TomcatLayout.locate(base, null, Collections.singletonMap("CATALINA_HOME", " " + home + " "), true).home);
        assertEquals(home, TomcatLayout.locate(base, null, Collections.singletonMap("CATALINA_HOME", "../home"), true).home,
                "relative to the base");
        assertNull(TomcatLayout.locate(base, null, Collections.singletonMap("CATALINA_HOME", " "), false).home);
    }
}
