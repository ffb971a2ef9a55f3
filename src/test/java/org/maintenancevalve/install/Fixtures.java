package org.maintenancevalve.install;

import org.maintenancevalve.config.ValveAttributes;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** server.xml fixtures, fake Tomcat installs and fake valve jars for the installer tests. */
final class Fixtures {

    /** The Jira-shaped fixture (a copy of ../shared/fixtures/jira/server.xml), a Confluence-shaped one, and the stock files of the four Tomcat lines. */
    static final String[] SERVER_XMLS = {
            "jira-server.xml", "confluence-server.xml", "tomcat-8.5.100-server.xml",
            "tomcat-9.0.117-server.xml", "tomcat-10.1.59-server.xml", "tomcat-11.0.24-server.xml"};

    static final String VALVE = ValveAttributes.CLASS_NAME;

    private Fixtures() {
    }

    static byte[] resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] crlf(byte[] lf) {
        return bytes(text(lf).replace("\r\n", "\n").replace("\n", "\r\n"));
    }

    /** A Tomcat-shaped directory: conf/server.xml, lib/catalina.jar of that version, bin/. */
    static Path tomcat(Path dir, String version, byte[] serverXml) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("bin"));
        Files.write(dir.resolve("conf/server.xml"), serverXml);
        catalinaJar(dir.resolve("lib/catalina.jar"), "server.info=Apache Tomcat/" + version + "\n"
                + "server.number=" + version + ".0\nserver.built=Mar 30 2026 18:21:16 UTC\n");
        return dir;
    }

    static void catalinaJar(Path jar, String serverInfoProperties) throws IOException {
        Files.createDirectories(jar.getParent());
        zip(jar, "org/apache/catalina/util/ServerInfo.properties", bytes(serverInfoProperties));
    }

    /** A jar with the valve class in it; {@code content} makes two builds differ. */
    static Path valveJar(Path jar, String content) throws IOException {
        Files.createDirectories(jar.getParent());
        zip(jar, "org/maintenancevalve/MaintenanceValve.class", bytes(content));
        return jar;
    }

    static void zip(Path jar, String entry, byte[] content) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
    }

    // ------------------------------------------------------------ reading server.xml back, independently

    static Document parse(byte[] content) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(content));
        } catch (Exception e) {
            throw new AssertionError("not well-formed: " + e.getMessage(), e);
        }
    }

    /** Every Valve element of our class, anywhere in the document. */
    static List<Element> maintenanceValves(Document document) {
        List<Element> valves = new ArrayList<>();
        NodeList list = document.getElementsByTagName("Valve");
        for (int i = 0; i < list.getLength(); i++) {
            Element valve = (Element) list.item(i);
            if (VALVE.equals(valve.getAttribute("className"))) {
                valves.add(valve);
            }
        }
        return valves;
    }

    /** The Host the Engine's defaultHost names. */
    static Element defaultHost(Document document) {
        Element engine = (Element) document.getElementsByTagName("Engine").item(0);
        NodeList hosts = document.getElementsByTagName("Host");
        for (int i = 0; i < hosts.getLength(); i++) {
            Element host = (Element) hosts.item(i);
            if (host.getAttribute("name").equalsIgnoreCase(engine.getAttribute("defaultHost"))) {
                return host;
            }
        }
        throw new AssertionError("no default host");
    }

    static Element firstElementChild(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE) {
                return (Element) n;
            }
        }
        return null;
    }
}
