package org.maintenancevalve.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.config.ValveAttributes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --catalina-base} finds the flag file of a Valve in conf/context.xml (the form install
 * uses in the official images) as it finds one in server.xml.
 */
class FlagLocationContextXmlTest {

    private static final String SERVER_XML = "<Server port=\"-1\"><Service name=\"Catalina\">"
            + "<Connector port=\"8080\"/><Engine name=\"Catalina\" defaultHost=\"localhost\">"
            + "<Host name=\"localhost\" appBase=\"webapps\">%s</Host></Engine></Service></Server>\n";

    @TempDir
    Path base;

    @BeforeEach
    void conf() throws IOException {
        Files.createDirectories(base.resolve("conf"));
        write("server.xml", String.format(SERVER_XML, ""));
    }

    private void write(String name, String content) throws IOException {
        Files.write(base.resolve("conf").resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    private static String valve(String flag) {
        return "<Valve className=\"" + ValveAttributes.CLASS_NAME + "\"" + (flag == null ? "" : " flagFile=\"" + flag + "\"") + "/>";
    }

    /** As a user other than root reads them: the files as they are. */
    private Path fromServerXml() throws Refused {
        return FlagLocation.fromServerXml(base, Map.of(), (file, naming, b) -> Files.exists(file) ? file : null);
    }

    @Test
    void theFlagOfAValveInContextXml() throws Exception {
        write("context.xml", "<Context>\n  " + valve("/var/atlassian/application-data/shared-home/maintenance.flag")
                + "\n  <WatchedResource>WEB-INF/web.xml</WatchedResource>\n</Context>\n");
        assertEquals(Path.of("/var/atlassian/application-data/shared-home/maintenance.flag"),
                fromServerXml());
    }

    @Test
    void aRelativeFlagInContextXmlIsResolvedAgainstTheBaseAsTheValveDoes() throws Exception {
        write("context.xml", "<Context>" + valve(null) + "</Context>");
        assertEquals(base.resolve("maintenance.flag"), fromServerXml());
    }

    @Test
    void noValveInEitherFileIsRefusedNamingBoth() throws IOException {
        write("context.xml", "<Context/>");
        Refused refused = assertThrows(Refused.class, () -> fromServerXml());
        assertTrue(refused.getMessage().contains("no MaintenanceValve in " + base.resolve("conf/server.xml") + " or conf/context.xml"),
                refused.getMessage());
    }

    @Test
    void valvesInBothFilesWithDifferentFlagsAreRefused() throws IOException {
        write("server.xml", String.format(SERVER_XML, valve("/a/maintenance.flag")));
        write("context.xml", "<Context>" + valve("/b/maintenance.flag") + "</Context>");
        Refused refused = assertThrows(Refused.class, () -> fromServerXml());
        assertTrue(refused.getMessage().contains("MaintenanceValves with different flag files [/a/maintenance.flag, /b/maintenance.flag]"),
                refused.getMessage());
    }
}
