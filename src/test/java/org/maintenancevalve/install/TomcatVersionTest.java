package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Refused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TomcatVersionTest {

    @TempDir
    Path tmp;

    private TomcatVersion read(String properties) throws IOException, Refused {
        Path jar = tmp.resolve("catalina.jar");
        Fixtures.catalinaJar(jar, properties);
        return TomcatVersion.read(jar);
    }

    @Test
    void readsServerNumber() throws Exception {
        TomcatVersion version = read("server.info=Apache Tomcat/9.0.117\nserver.number=9.0.117.0\n");
        assertEquals("9.0.117", version.toString());
        assertTrue(version.isSupported());
    }

    @Test
    void fallsBackToServerInfo() throws Exception {
        assertEquals("8.5.100", read("server.info=Apache Tomcat/8.5.100\n").toString());
        assertEquals("10.1.59", read("server.number=hidden\nserver.info=Apache Tomcat/10.1.59\n").toString());
    }

    @Test
    void eightFiveAndLaterAreSupported() throws Exception {
        assertTrue(read("server.number=8.5.0.0").isSupported());
        assertTrue(read("server.number=11.0.24.0").isSupported());
        assertTrue(read("server.number=12.0.0.0").isSupported());
        assertFalse(read("server.number=8.0.53.0").isSupported());
        assertFalse(read("server.number=7.0.109.0").isSupported());
    }

    @Test
    void unreadableVersionsAreRefused() throws Exception {
        Refused hidden = assertThrows(Refused.class, () -> read("server.info=Apache Tomcat\nserver.number=x\n"));
        assertTrue(hidden.getMessage().startsWith("cannot tell the Tomcat version"), hidden.getMessage());

        Path noEntry = tmp.resolve("other.jar");
        Fixtures.zip(noEntry, "a.txt", new byte[0]);
        assertTrue(assertThrows(Refused.class, () -> TomcatVersion.read(noEntry)).getMessage().contains("has no " + TomcatVersion.RESOURCE));

        Path notAZip = Files.write(tmp.resolve("broken.jar"), new byte[] {1, 2, 3});
        assertTrue(assertThrows(Refused.class, () -> TomcatVersion.read(notAZip)).getMessage().contains("cannot read"));
    }
}
