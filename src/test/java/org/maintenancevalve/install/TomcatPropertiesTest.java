package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** ${...} in server.xml as Tomcat resolves it at start: catalina.base, catalina.home, catalina.properties, ${name:-default}. */
class TomcatPropertiesTest {

    @TempDir
    Path tmp;

    @Test
    void referencesResolveAndUnknownOnesStayAsWritten() throws IOException {
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("conf"));
        Files.write(base.resolve("conf/catalina.properties"), Fixtures.bytes("shared.dir=/srv/shared\n"));
        TomcatProperties properties = TomcatProperties.of(base, tmp.resolve("home"));

        assertEquals(base + "/maintenance.flag", properties.expand("${catalina.base}/maintenance.flag"));
        assertEquals(tmp.resolve("home") + "/x", properties.expand("${catalina.home}/x"));
        assertEquals("/srv/shared/m.flag and /srv/shared", properties.expand("${shared.dir}/m.flag and ${shared.dir}"));
        assertEquals("/srv/shared", properties.expand("${shared.dir:-/else}"), "a known name wins over its default");
        assertEquals("/else/m.flag", properties.expand("${unknown.dir:-/else}/m.flag"));
        assertEquals("x", properties.expand("${:-x}"));
        assertEquals("a ${unknown} b", properties.expand("a ${unknown} b"));
        assertEquals("${unclosed", properties.expand("${unclosed"));
        assertEquals("plain", properties.expand("plain"));
        assertNull(properties.expand(null));
        assertEquals(base.toString(), TomcatProperties.of(base, null).expand("${catalina.home}"), "no home: the base");
    }

    @Test
    void theCatalinaPropertiesReadCanBeTheFileACallerChecked() throws IOException {
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("conf"));
        Files.write(base.resolve("conf/catalina.properties"), Fixtures.bytes("shared.dir=/by/name\n"));
        Path checked = Files.write(tmp.resolve("checked.properties"), Fixtures.bytes("shared.dir=/checked\n"));
        assertEquals("/checked", TomcatProperties.of(base, null, checked).expand("${shared.dir}"));
        assertEquals("${shared.dir}", TomcatProperties.of(base, null, null).expand("${shared.dir}"), "none: nothing read");
        assertEquals(base + "/m", TomcatProperties.of(base, null, null).expand("${catalina.base}/m"));
    }

    @Test
    void theFirstReferenceLeftIsNamed() {
        assertEquals("${a}", TomcatProperties.unresolved("${a}/${b}"));
        assertEquals("${b}", TomcatProperties.unresolved("/x/${b}"));
        assertNull(TomcatProperties.unresolved("/x/${b"));
        assertNull(TomcatProperties.unresolved("/x"));
        assertNull(TomcatProperties.unresolved(null));
    }
}
