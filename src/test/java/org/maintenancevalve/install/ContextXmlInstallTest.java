package org.maintenancevalve.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.cli.Main;
import org.maintenancevalve.install.InstallCommandTest.Run;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * install and uninstall of the conf/context.xml form (the one that survives the official images'
 * entrypoint, which rewrites server.xml at every start): the Valve as the first child of the root
 * Context, options changed in place, removed byte for byte, the refusals, and the choice of the
 * file (asked for, where install put it before, or by the image's template).
 */
class ContextXmlInstallTest {

    @TempDir
    Path tmp;

    private Path jira;
    private Path jar;
    private byte[] serverXml;
    private byte[] contextXml;
    /** The environment the commands see: the image's template is looked for in tmp. */
    private final Map<String, String> env = new HashMap<>();
    private Path template;

    @BeforeEach
    void layOutAJiraAsInTheImage() throws IOException {
        serverXml = Fixtures.resource("jira-server.xml");
        contextXml = Fixtures.resource("tomcat-9.0.117-context.xml");
        jira = Fixtures.tomcat(tmp.resolve("opt/atlassian/jira"), "9.0.117", serverXml);
        Files.write(jira.resolve("conf/context.xml"), contextXml);
        Files.createDirectories(jira.resolve("atlassian-jira/WEB-INF"));
        jar = Fixtures.valveJar(tmp.resolve("dist/maintenance-valve-0.2.0.jar"), "build 0.2.0");
        template = tmp.resolve("opt/atlassian/etc/server.xml.j2");
        env.put(OfficialImage.TEMPLATE_VARIABLE, template.toString());
    }

    private Run run(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] strings = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int code = Main.run(strings, new PrintStream(out, true), new PrintStream(err, true), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private byte[] read(String file) throws IOException {
        return Files.readAllBytes(jira.resolve(file));
    }

    private void theImagesTemplateIsThere() throws IOException {
        Files.createDirectories(template.getParent());
        Files.write(template, Fixtures.bytes("<Server port=\"{{ atl_tomcat_mgmt_port | default('8005') }}\"/>\n"));
    }

    private List<Path> backups(String name) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(jira.resolve("conf"), name + ".bak-*")) {
            files.forEach(found::add);
        }
        return found;
    }

    /** The one MaintenanceValve of context.xml, checked to be the root Context's first child element. */
    private Element theValveInContextXml() throws IOException {
        Document document = Fixtures.parse(read("conf/context.xml"));
        List<Element> valves = Fixtures.maintenanceValves(document);
        assertEquals(1, valves.size(), Fixtures.text(read("conf/context.xml")));
        assertEquals("Context", document.getDocumentElement().getTagName());
        assertEquals(valves.get(0), Fixtures.firstElementChild(document.getDocumentElement()), "the root Context's first child");
        return valves.get(0);
    }

    // ------------------------------------------------------------ install, again, uninstall

    @Test
    void installPutsTheValveIntoContextXmlAndLeavesServerXmlAlone() throws IOException {
        Run install = run("install", jira, "--context-xml", "--jar", jar, "--flag", tmp.resolve("shared/maintenance.flag"));
        assertEquals(0, install.code, install.toString());
        assertTrue(install.out.contains("in conf/context.xml: every web application's Context gets the valve"), install.out);
        assertArrayEquals(serverXml, read("conf/server.xml"), "server.xml is not touched");
        Element valve = theValveInContextXml();
        assertEquals(tmp.resolve("shared/maintenance.flag").toString(), valve.getAttribute("flagFile"));
        assertEquals("jira", valve.getAttribute("preset"), "the preset of the product found beside conf/");
        assertTrue(Fixtures.text(read("conf/context.xml")).contains("<Context>\n    <!-- Maintenance Valve: "),
                "indented like the Context's children:\n" + Fixtures.text(read("conf/context.xml")));
        assertEquals(1, backups("context.xml").size(), "a backup of context.xml before the change");
        assertArrayEquals(contextXml, Files.readAllBytes(backups("context.xml").get(0)));
        assertTrue(backups("server.xml").isEmpty(), "no backup of a file that did not change");
        assertTrue(Files.isRegularFile(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
    }

    @Test
    void runAgainItChangesOnlyTheOptionsGivenWhereTheValveIs() throws IOException {
        assertEquals(0, run("install", jira, "--context-xml", "--jar", jar).code);
        byte[] installed = read("conf/context.xml");

        Run same = run("install", jira, "--jar", jar);
        assertEquals(0, same.code, same.toString());
        assertTrue(same.out.contains("the Valve in <Context> is already there, unchanged"), same.out);
        assertArrayEquals(installed, read("conf/context.xml"));
        assertEquals(1, backups("context.xml").size(), "nothing changed, nothing backed up");

        Run changed = run("install", jira, "--jar", jar, "--poll-interval", "500", "--allow", "10.0.0.0/8");
        assertEquals(0, changed.code, changed.toString());
        assertTrue(changed.out.contains("changed the options of the Valve in <Context>"), changed.out);
        Element valve = theValveInContextXml();
        assertEquals("500", valve.getAttribute("pollInterval"));
        assertEquals("10.0.0.0/8", valve.getAttribute("allow"));
        assertEquals("jira", valve.getAttribute("preset"), "kept");
        assertArrayEquals(serverXml, read("conf/server.xml"), "a second run without --context-xml stays in context.xml");
        assertEquals(2, backups("context.xml").size());
    }

    @Test
    void uninstallRestoresContextXmlByteForByte() throws IOException {
        for (byte[] original : new byte[][] {contextXml, Fixtures.crlf(contextXml),
                Fixtures.resource("tomcat-10.1.59-context.xml")}) {
            Files.write(jira.resolve("conf/context.xml"), original);
            assertEquals(0, run("install", jira, "--context-xml", "--jar", jar, "--poll-interval", "250").code);
            assertEquals(0, run("install", jira, "--jar", jar, "--allow", "::1").code);
            Run uninstall = run("uninstall", jira);
            assertEquals(0, uninstall.code, uninstall.toString());
            assertTrue(uninstall.out.contains(jira.resolve("conf/context.xml") + ": removed the Valve and its comment from <Context>"),
                    uninstall.out);
            assertArrayEquals(original, read("conf/context.xml"), "context.xml byte for byte as before install");
            assertArrayEquals(serverXml, read("conf/server.xml"));
            assertFalse(Files.exists(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
            assertTrue(uninstall.out.contains("Kept the backups of context.xml:"), uninstall.out);
        }
    }

    @Test
    void dryRunShowsTheDiffOfContextXmlAndChangesNothing() throws IOException {
        Run dry = run("install", jira, "--context-xml", "--jar", jar, "--dry-run");
        assertEquals(0, dry.code, dry.toString());
        assertTrue(dry.out.contains("+++ " + jira.resolve("conf/context.xml") + " (after install)"), dry.out);
        assertTrue(dry.out.contains("+    <Valve className=\"" + Fixtures.VALVE + "\""), dry.out);
        assertArrayEquals(contextXml, read("conf/context.xml"));
        assertFalse(Files.exists(jira.resolve("lib/maintenance-valve-0.2.0.jar")));
    }

    // ------------------------------------------------------------ which file

    @Test
    void inAnOfficialImageTheDefaultIsContextXmlAndInstallSaysWhy() throws IOException {
        theImagesTemplateIsThere();
        Run install = run("install", jira, "--jar", jar);
        assertEquals(0, install.code, install.toString());
        assertTrue(install.out.contains("in conf/context.xml: every web application's Context gets the valve; chosen for an "
                + "official Atlassian image (" + template + "): its entrypoint rewrites conf/server.xml from that template at "
                + "every start, never conf/context.xml"), install.out);
        theValveInContextXml();
        assertArrayEquals(serverXml, read("conf/server.xml"));
    }

    @Test
    void elsewhereTheDefaultIsServerXml() throws IOException {
        Run install = run("install", jira, "--jar", jar);
        assertEquals(0, install.code, install.toString());
        assertFalse(install.out.contains("conf/context.xml"), install.out);
        assertEquals(1, Fixtures.maintenanceValves(Fixtures.parse(read("conf/server.xml"))).size());
        assertArrayEquals(contextXml, read("conf/context.xml"));
    }

    @Test
    void serverXmlAskedForInAnImageIsServerXml() throws IOException {
        theImagesTemplateIsThere();
        Run install = run("install", jira, "--server-xml", "--jar", jar);
        assertEquals(0, install.code, install.toString());
        assertEquals(1, Fixtures.maintenanceValves(Fixtures.parse(read("conf/server.xml"))).size());
        assertArrayEquals(contextXml, read("conf/context.xml"));
    }

    @Test
    void bothFormsAtOnceAreBadUsage() {
        Run both = run("install", jira, "--server-xml", "--context-xml", "--jar", jar);
        assertEquals(2, both.code, both.toString());
        assertTrue(both.err.contains("give --context-xml or --server-xml, not both"), both.toString());
    }

    // ------------------------------------------------------------ refusals: nothing changes

    private void assertNothingChanged(Run run, String message) throws IOException {
        assertEquals(1, run.code, run.toString());
        assertTrue(run.err.contains(message), "expected '" + message + "' in:\n" + run);
        assertFalse(Files.exists(jira.resolve("lib/maintenance-valve-0.2.0.jar")), "no jar copied");
        assertTrue(backups("context.xml").isEmpty() && backups("server.xml").isEmpty(), "no backup, no change");
    }

    @Test
    void aValveInServerXmlAlreadyIsRefusedForContextXml() throws IOException {
        assertEquals(0, run("install", jira, "--server-xml", "--jar", jar).code);
        byte[] installed = read("conf/server.xml");
        Run refused = run("install", jira, "--context-xml", "--jar", jar);
        assertEquals(1, refused.code, refused.toString());
        assertTrue(refused.err.contains(jira.resolve("conf/server.xml") + " already has a MaintenanceValve: with another in "
                + "conf/context.xml every request would pass two gates"), refused.toString());
        assertTrue(refused.err.contains("run uninstall first"), refused.toString());
        assertArrayEquals(installed, read("conf/server.xml"));
        assertArrayEquals(contextXml, read("conf/context.xml"));
    }

    @Test
    void aValveInContextXmlIsRefusedForServerXmlEvenWhenAddedByHand() throws IOException {
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes(Fixtures.text(contextXml)
                .replace("<Context>", "<Context>\n    <Valve className=\"" + Fixtures.VALVE + "\"/>")));
        byte[] byHand = read("conf/context.xml");
        Run refused = run("install", jira, "--server-xml", "--jar", jar);
        assertNothingChanged(refused, jira.resolve("conf/context.xml") + " already has a MaintenanceValve");
        assertArrayEquals(serverXml, read("conf/server.xml"));
        assertArrayEquals(byHand, read("conf/context.xml"));
        Run intoIt = run("install", jira, "--context-xml", "--jar", jar);
        assertNothingChanged(intoIt, "already has a MaintenanceValve that install did not add");
    }

    @Test
    void aContextXmlWhoseRootIsNotAContextIsRefused() throws IOException {
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes("<?xml version='1.0'?>\n<Server>\n</Server>\n"));
        assertNothingChanged(run("install", jira, "--context-xml", "--jar", jar),
                "its root element is <Server>, not <Context>");
    }

    @Test
    void aContextXmlThatIsNotWellFormedIsRefused() throws IOException {
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes("<Context>\n  <WatchedResource>x</Context>\n"));
        assertNothingChanged(run("install", jira, "--context-xml", "--jar", jar), "is not well-formed XML");
        // ... and for the server.xml form it is none of install's business, unless it names the valve
        Run serverForm = run("install", jira, "--server-xml", "--jar", jar);
        assertEquals(0, serverForm.code, serverForm.toString());
    }

    @Test
    void anEmptyContextElementIsRefused() throws IOException {
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes("<Context/>\n"));
        assertNothingChanged(run("install", jira, "--context-xml", "--jar", jar),
                "the root <Context> is an empty element (<Context .../>); write it as <Context ...></Context>");
    }

    @Test
    void noContextXmlIsRefusedNotWritten() throws IOException {
        Files.delete(jira.resolve("conf/context.xml"));
        assertNothingChanged(run("install", jira, "--context-xml", "--jar", jar),
                "no " + jira.resolve("conf/context.xml") + ": the Valve goes into that file's root <Context>");
        assertFalse(Files.exists(jira.resolve("conf/context.xml")));
    }

    @Test
    void asRootContextXmlIsWrittenOnlyWhereOnlyRootCanChangeThings() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the rule is for root");
        Path conf = jira.resolve("conf");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertNothingChanged(run("install", jira, "--context-xml", "--jar", jar), "can be written by its group");
        assertArrayEquals(contextXml, read("conf/context.xml"));

        // a link to a file in a directory others can change: its target is what would be replaced
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.move(jira.resolve("conf/context.xml"), elsewhere.resolve("context.xml"));
        Files.createSymbolicLink(jira.resolve("conf/context.xml"), elsewhere.resolve("context.xml"));
        assertNothingChanged(run("install", jira, "--context-xml", "--jar", jar), "can be written by everyone");
        assertArrayEquals(contextXml, Files.readAllBytes(elsewhere.resolve("context.xml")));

        Files.delete(jira.resolve("conf/context.xml"));
        Files.move(elsewhere.resolve("context.xml"), jira.resolve("conf/context.xml"));
        assertEquals(0, run("install", jira, "--context-xml", "--jar", jar).code);
        byte[] installed = read("conf/context.xml");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxrwxr-x"));
        Run uninstall = run("uninstall", jira);
        assertEquals(1, uninstall.code, uninstall.toString());
        assertTrue(uninstall.err.contains("can be written by its group"), uninstall.toString());
        assertArrayEquals(installed, read("conf/context.xml"));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void uninstallLeavesAContextXmlAloneThatDoesNotNameTheValve() throws IOException {
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes("<Context><broken></Context>"));
        assertEquals(0, run("install", jira, "--server-xml", "--jar", jar).code);
        Run uninstall = run("uninstall", jira);
        assertEquals(0, uninstall.code, uninstall.toString());
        assertArrayEquals(serverXml, read("conf/server.xml"));
        assertEquals("<Context><broken></Context>", Fixtures.text(read("conf/context.xml")));
    }
}
