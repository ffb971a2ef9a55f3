package org.maintenancevalve.config;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VersionTest {

    /** Run from target/classes, the version is the pom's: Maven filtered the resource. */
    @Test
    void currentIsThePomsVersion() throws Exception {
        Path pom = Paths.get(System.getProperty("basedir", "."), "pom.xml");
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        String pomVersion = null;
        for (Node n = project.getFirstChild(); n != null; n = n.getNextSibling()) {
            if ("version".equals(n.getNodeName())) {
                pomVersion = n.getTextContent().trim();
            }
        }
        assertEquals(pomVersion, Version.current());
    }

    @Test
    void aMissingOrUnfilteredResourceIsUnknown() {
        assertEquals("unknown", Version.read(null));
        assertEquals("unknown", Version.read(stream("version=${project.version}\n")));
        assertEquals("unknown", Version.read(stream("# nothing\n")));
        assertEquals("1.2.3-SNAPSHOT", Version.read(stream("version = 1.2.3-SNAPSHOT \n")));
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
