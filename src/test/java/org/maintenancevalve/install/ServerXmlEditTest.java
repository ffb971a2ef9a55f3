package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.maintenancevalve.command.Refused;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.maintenancevalve.install.Fixtures.bytes;
import static org.maintenancevalve.install.Fixtures.text;

class ServerXmlEditTest {

    private static final String SYSTEM_ID = Paths.get("target", "conf", "server.xml").toUri().toString();
    private static final Map<String, String> NONE = Collections.emptyMap();
    private static final Map<String, String> JIRA = Collections.singletonMap("preset", "jira");

    /** The six fixtures, each with LF (as shipped) and converted to CRLF. */
    static Stream<Arguments> fixtures() {
        return Arrays.stream(Fixtures.SERVER_XMLS)
                .flatMap(name -> Stream.of(Arguments.of(name, "\n"), Arguments.of(name, "\r\n")));
    }

    /** The indentation of the first line inside each fixture's default Host. */
    private static String childIndent(String fixture) {
        return fixture.startsWith("tomcat-") ? "        " : "                ";
    }

    private static byte[] load(String fixture, String eol) {
        byte[] lf = Fixtures.resource(fixture);
        assertFalse(text(lf).contains("\r"), fixture + " is shipped with LF line ends");
        return eol.equals("\n") ? lf : Fixtures.crlf(lf);
    }

    private static ServerXmlEdit.Result install(byte[] content, Map<String, String> changes, Map<String, String> defaults)
            throws Refused {
        return ServerXmlEdit.install(content, "server.xml", SYSTEM_ID, changes, defaults);
    }

    private static ServerXmlEdit.Result uninstall(byte[] content) throws Refused {
        return ServerXmlEdit.uninstall(content, "server.xml", SYSTEM_ID);
    }

    /** Where the first {@code <Host ...>} start tag ends (the fixtures have no Host in comments). */
    private static int hostTagEnd(byte[] content) {
        Matcher m = Pattern.compile("<Host\\s[^>]*>").matcher(new String(content, StandardCharsets.ISO_8859_1));
        assertTrue(m.find());
        return m.end();
    }

    private static Map<String, String> map(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    // ------------------------------------------------------------ the six real-world files, LF and CRLF

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fixtures")
    void insertsTwoLinesRightAfterTheDefaultHostStartTagAndNothingElse(String fixture, String eol) throws Refused {
        byte[] before = load(fixture, eol);
        ServerXmlEdit.Result result = install(before, NONE, JIRA);
        byte[] after = result.after;

        int at = hostTagEnd(before);
        int inserted = after.length - before.length;
        assertTrue(inserted > 0);
        assertArrayEquals(Arrays.copyOfRange(before, 0, at), Arrays.copyOfRange(after, 0, at), "bytes before the insertion");
        assertArrayEquals(Arrays.copyOfRange(before, at, before.length), Arrays.copyOfRange(after, at + inserted, after.length),
                "bytes after the insertion");
        String insertion = new String(after, at, inserted, StandardCharsets.US_ASCII);
        String indent = childIndent(fixture);
        assertEquals(eol + indent + ValveLine.COMMENT + eol + indent
                + "<Valve className=\"org.maintenancevalve.MaintenanceValve\" preset=\"jira\"/>", insertion);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fixtures")
    void theResultIsWellFormedWithOneValveAsTheFirstChildOfTheDefaultHost(String fixture, String eol) throws Refused {
        Document document = Fixtures.parse(install(load(fixture, eol), map("adminUsers", "admin"), JIRA).after);
        List<Element> valves = Fixtures.maintenanceValves(document);
        assertEquals(1, valves.size());
        Element host = Fixtures.defaultHost(document);
        assertSame(host, valves.get(0).getParentNode());
        assertSame(valves.get(0), Fixtures.firstElementChild(host));
        assertEquals("jira", valves.get(0).getAttribute("preset"));
        assertEquals("admin", valves.get(0).getAttribute("adminUsers"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fixtures")
    void installingAgainChangesNothing(String fixture, String eol) throws Refused {
        byte[] once = install(load(fixture, eol), map("allow", "10.0.0.0/8"), JIRA).after;
        ServerXmlEdit.Result twice = install(once, map("allow", "10.0.0.0/8"), JIRA);
        assertFalse(twice.changed());
        assertArrayEquals(once, twice.after);
        // The detected preset does not override what the existing line says.
        assertFalse(install(once, NONE, Collections.singletonMap("preset", "confluence")).changed());
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fixtures")
    void uninstallGivesBackTheOriginalByteForByte(String fixture, String eol) throws Refused {
        byte[] before = load(fixture, eol);
        byte[] installed = install(before, map("flagFile", "/var/jira/shared/maintenance.flag", "pollInterval", "500"), JIRA).after;
        ServerXmlEdit.Result removed = uninstall(installed);
        assertArrayEquals(before, removed.after);
        assertEquals("/var/jira/shared/maintenance.flag", removed.valveAttributes.get("flagFile"));
        assertFalse(uninstall(removed.after).changed(), "a second uninstall finds nothing");
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("fixtures")
    void changedOptionsRewriteOnlyTheValveLineAndUninstallStillRestores(String fixture, String eol) throws Refused {
        byte[] before = load(fixture, eol);
        byte[] first = install(before, map("allow", "10.0.0.0/8", "adminPort", "8081"), JIRA).after;
        ServerXmlEdit.Result second = install(first, map("allow", "", "adminUsers", "admin,ops", "adminPort", "9090"), JIRA);
        assertTrue(second.changed());
        Element valve = Fixtures.maintenanceValves(Fixtures.parse(second.after)).get(0);
        assertFalse(valve.hasAttribute("allow"), "an empty value removes the attribute");
        assertEquals("admin,ops", valve.getAttribute("adminUsers"));
        assertEquals("9090", valve.getAttribute("adminPort"));
        assertEquals("jira", valve.getAttribute("preset"), "attributes not given are kept");
        assertEquals(lines(first).size(), lines(second.after).size());
        List<String> changed = changedLines(lines(first), lines(second.after));
        assertEquals(1, changed.size(), "only the Valve line changed: " + changed);
        assertTrue(changed.get(0).trim().startsWith("<Valve className=\"org.maintenancevalve.MaintenanceValve\""));
        assertArrayEquals(before, uninstall(second.after).after);
    }

    private static List<String> lines(byte[] content) {
        return Arrays.asList(text(content).split("\n", -1));
    }

    private static List<String> changedLines(List<String> a, List<String> b) {
        List<String> changed = new java.util.ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed.add(b.get(i));
            }
        }
        return changed;
    }

    @Test
    void theSharedJiraFixtureIsTheOneTestedHere() throws Exception {
        Path shared = Paths.get("..", "shared", "fixtures", "jira", "server.xml");
        assumeTrue(Files.isRegularFile(shared), "../shared is not beside this checkout");
        assertArrayEquals(Files.readAllBytes(shared), Fixtures.resource("jira-server.xml"));
    }

    // ------------------------------------------------------------ options

    @Test
    void presetNoneOrNoDefaultLeavesThePresetOut() throws Refused {
        byte[] before = Fixtures.resource("jira-server.xml");
        assertFalse(Fixtures.maintenanceValves(Fixtures.parse(install(before, NONE, NONE).after)).get(0).hasAttribute("preset"));
        assertFalse(Fixtures.maintenanceValves(Fixtures.parse(install(before, map("preset", ""), JIRA).after)).get(0)
                .hasAttribute("preset"));
    }

    @Test
    void valuesAreEscapedAsAsciiAndReadBackUnchanged() throws Refused {
        String flag = "/srv/wartung & \"ops\" <jira>/flag-ü-\u20AC-\uD83D\uDEA7.flag";
        byte[] before = Fixtures.resource("jira-server.xml");
        ServerXmlEdit.Result result = install(before, map("flagFile", flag, "adminUsers", "jörg\tadmin"), NONE);
        for (int i = 0; i < result.after.length; i++) {
            assertTrue(result.after[i] >= 0, "only ASCII bytes: the file has no non-ASCII characters");
        }
        Element valve = Fixtures.maintenanceValves(Fixtures.parse(result.after)).get(0);
        assertEquals(flag, valve.getAttribute("flagFile"));
        assertEquals("jörg\tadmin", valve.getAttribute("adminUsers"));
        assertArrayEquals(before, uninstall(result.after).after);
        assertFalse(install(result.after, map("flagFile", flag), NONE).changed());
    }

    // ------------------------------------------------------------ odd but valid files

    private static String stock() {
        return text(Fixtures.resource("tomcat-9.0.117-server.xml"));
    }

    @Test
    void aHostInsideACommentOrCdataOrProcessingInstructionIsNotTheHost() throws Refused {
        String decoys = "<!-- <Host name=\"localhost\" appBase=\"old\"> -->\n"
                + "      <?decoy <Host name=\"localhost\"> ?>\n"
                + "      <!--\n      <Host name=\"localhost\" appBase=\"older\"/>\n      -->\n      ";
        String original = stock().replace("<Host name=\"localhost\"", decoys + "<Host name=\"localhost\"");
        byte[] before = bytes(original);
        assertEquals(4, original.split("<Host ", -1).length - 1);
        ServerXmlEdit.Result result = install(before, NONE, NONE);
        Document document = Fixtures.parse(result.after);
        Element valve = Fixtures.maintenanceValves(document).get(0);
        assertEquals("webapps", ((Element) valve.getParentNode()).getAttribute("appBase"));
        assertTrue(text(result.after).contains(decoys), "the decoys are untouched");
        assertArrayEquals(before, uninstall(result.after).after);
    }

    @Test
    void aCommentedOutValveIsNotAValve() throws Refused {
        String original = stock().replace("<Host name=\"localhost\"", "<!-- <Valve className=\"org.maintenancevalve.MaintenanceValve\"/> -->\n"
                + "      <Host name=\"localhost\"");
        byte[] before = bytes(original);
        ServerXmlEdit.Result result = install(before, NONE, NONE);
        assertEquals(1, Fixtures.maintenanceValves(Fixtures.parse(result.after)).size());
        assertArrayEquals(before, uninstall(result.after).after);
    }

    @Test
    void withTwoHostsInstallRefusesAndSaysHowToGateEveryHostByHand() throws Refused {
        String original = stock()
                .replace("      </Host>\n", "      </Host>\n\n      <Host name=\"JIRA.example.com\" appBase=\"jira-apps\">\n"
                        + "        <Context path=\"\" docBase=\"/opt/jira/atlassian-jira\"/>\n      </Host>\n");
        Refused refused = assertThrows(Refused.class, () -> install(bytes(original), NONE, JIRA));
        assertEquals("server.xml has 2 <Host> elements (localhost, JIRA.example.com): install adds the Valve to the "
                + "default Host only, and the others would stay open during maintenance. It was left untouched. Add the "
                + "Valve by hand as the first child of the <Engine>, where it holds the users of every Host out "
                + "(see README, \"By hand\")", refused.getMessage());
        assertThrows(Refused.class, () -> install(bytes(original), Collections.singletonMap("allow", "10.0.0.1"), NONE),
                "changing the options of a Valve is refused too");

        // A Valve an older install put into the default Host of such a file still comes out again.
        byte[] oneHost = bytes(stock());
        byte[] installed = install(oneHost, NONE, JIRA).after;
        byte[] twoHosts = bytes(text(installed).replace("      </Host>\n",
                "      </Host>\n      <Host name=\"other\" appBase=\"other\"></Host>\n"));
        ServerXmlEdit.Result removed = uninstall(twoHosts);
        assertEquals(0, Fixtures.maintenanceValves(Fixtures.parse(removed.after)).size());
        assertEquals(text(oneHost).replace("      </Host>\n", "      </Host>\n      <Host name=\"other\" appBase=\"other\"></Host>\n"),
                text(removed.after));
    }

    @Test
    void theDefaultHostIsFoundWithoutRegardToCaseAsTomcatDoes() throws Refused {
        String original = stock().replace("defaultHost=\"localhost\">", "defaultHost=\"LocalHost\">");
        ServerXmlEdit.Result result = install(bytes(original), NONE, JIRA);
        List<Element> valves = Fixtures.maintenanceValves(Fixtures.parse(result.after));
        assertEquals(1, valves.size());
        Element host = (Element) valves.get(0).getParentNode();
        assertEquals("localhost", host.getAttribute("name"));
        assertSame(valves.get(0), Fixtures.firstElementChild(host));
    }

    @Test
    void tabIndentedFilesGetTabs() throws Refused {
        String original = "<?xml version='1.0' encoding='utf-8'?>\n<Server port=\"8005\" shutdown=\"SHUTDOWN\">\n"
                + "\t<Service name=\"Catalina\">\n\t\t<Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
                + "\t\t\t<Host name=\"localhost\" appBase=\"webapps\">\n\t\t\t</Host>\n\t\t</Engine>\n\t</Service>\n</Server>\n";
        ServerXmlEdit.Result result = install(bytes(original), NONE, NONE);
        assertTrue(text(result.after).contains("<Host name=\"localhost\" appBase=\"webapps\">\n\t\t\t\t<!-- Maintenance Valve"),
                text(result.after));
        assertTrue(text(result.after).contains("\n\t\t\t\t<Valve className="));
        assertArrayEquals(bytes(original), uninstall(result.after).after);
    }

    @Test
    void anEmptyHostGetsItsOwnIndentationPlusTheEnginesStep() throws Refused {
        String original = "<Server>\n  <Service name=\"Catalina\">\n    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
                + "      <Host name=\"localhost\" appBase=\"webapps\"></Host>\n    </Engine>\n  </Service>\n</Server>";
        ServerXmlEdit.Result result = install(bytes(original), NONE, NONE);
        assertTrue(text(result.after).contains("appBase=\"webapps\">\n        <!-- Maintenance Valve"), text(result.after));
        assertTrue(text(result.after).contains("-->\n        <Valve className=\"org.maintenancevalve.MaintenanceValve\"/></Host>"),
                text(result.after));
        assertArrayEquals(bytes(original), uninstall(result.after).after);
    }

    private static final String TAG = "<Valve className=\"org.maintenancevalve.MaintenanceValve\"/>";

    /** A server.xml whose Engine and default Host are laid out as given. */
    private static String server(String eol, String engineAndHost) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + eol + "<Server>" + eol + "  <Service name=\"Catalina\">" + eol
                + engineAndHost + eol + "  </Service>" + eol + "</Server>" + eol;
    }

    /** What install inserts right after the Host's start tag. */
    private static String insertion(String eol, String indent) {
        return eol + indent + ValveLine.COMMENT + eol + indent + TAG;
    }

    static Stream<Arguments> layouts() {
        String engine = "    <Engine name=\"Catalina\" defaultHost=\"localhost\">";
        String host = "<Host name=\"localhost\" appBase=\"webapps\">";
        return Stream.of(
                Arguments.of("a first child on the Host's line: the Host's indentation plus the Engine's step",
                        engine + "\n      " + host + "<Context path=\"\"/>\n      </Host>\n    </Engine>", "\n", "        "),
                Arguments.of("the same with CRLF: the first line break of the file",
                        engine + "\r\n      " + host + "<Context path=\"\"/>\r\n      </Host>\r\n    </Engine>", "\r\n", "        "),
                Arguments.of("a first child no deeper than the Host is not a model",
                        engine + "\n      " + host + "\n      <Context path=\"\"/>\n      </Host>\n    </Engine>", "\n", "        "),
                Arguments.of("a first child deeper than the Host is the model",
                        engine + "\n      " + host + "\n         <Context path=\"\"/>\n      </Host>\n    </Engine>", "\n", "         "),
                Arguments.of("an empty Host's end tag is not a model",
                        engine + "\n      " + host + "\n          </Host>\n    </Engine>", "\n", "        "),
                Arguments.of("a Host as deep as its Engine still gets a step",
                        engine + "\n    " + host + "</Host>\n    </Engine>", "\n", "        "),
                Arguments.of("a Host on the Engine's line gets four spaces",
                        engine + host + "</Host>\n    </Engine>", "\n", "    "),
                Arguments.of("an Engine after other markup on its line: four spaces more than the Host",
                        "  <!-- e --><Engine name=\"Catalina\" defaultHost=\"localhost\">\n\t" + host + "</Host>\n    </Engine>",
                        "\n", "\t    "),
                Arguments.of("tabs under an Engine indented with spaces: one tab more",
                        engine + "\n\t\t" + host + "</Host>\n    </Engine>", "\n", "\t\t\t"),
                Arguments.of("blanks after the Host's start tag before the line break",
                        engine + "\r\n      " + host + " \t\r\n      </Host>\r\n    </Engine>", "\r\n", "        "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void theValveFollowsTheFilesOwnLineBreaksAndIndentation(String layout, String engineAndHost, String eol, String indent)
            throws Refused {
        String original = server(eol, engineAndHost);
        String host = "<Host name=\"localhost\" appBase=\"webapps\">";
        String expected = original.replace(host, host + insertion(eol, indent));
        ServerXmlEdit.Result result = install(bytes(original), NONE, NONE);
        assertEquals(expected, text(result.after), layout);
        assertArrayEquals(bytes(original), uninstall(result.after).after, layout);
    }

    @Test
    void theLineBreakIsTheOneAfterTheHostElseTheFilesFirst() {
        assertEquals("\r\n", ServerXmlEdit.lineEnding("<Host> \t\r\n", 6));
        assertEquals("\r\n", ServerXmlEdit.lineEnding("<a>\n<Host> \t\r\n", 10));
        assertEquals("\n", ServerXmlEdit.lineEnding("<a>\r\n<Host>\t \n", 11));
        assertEquals("\n", ServerXmlEdit.lineEnding("<a>\r\n<Host>\n", 11));
        assertEquals("\r\n", ServerXmlEdit.lineEnding("<a>\r\n<Host><b/>", 11));
        assertEquals("\n", ServerXmlEdit.lineEnding("<a>\n<Host><b/>\r\n", 10));
        assertEquals("\n", ServerXmlEdit.lineEnding("\n<Host><b/>", 7), "a file that starts with a line break");
        assertEquals("\n", ServerXmlEdit.lineEnding("<Host>  ", 6), "no line break at all");
    }

    @Test
    void theEncodingDeclarationAndNonAsciiBytesElsewhereStayAsTheyWere() throws Refused {
        String utf8 = stock().replace("Note:  A \"Server\"", "Note (Grüße, 日本):  A \"Server\"");
        byte[] before = utf8.getBytes(StandardCharsets.UTF_8);
        ServerXmlEdit.Result result = install(before, NONE, NONE);
        assertTrue(text(result.after).contains("Grüße, 日本"));
        assertArrayEquals(before, uninstall(result.after).after);

        String latin1 = stock().replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
                .replace("Note:  A \"Server\"", "Note (Grüße):  A \"Server\"");
        byte[] latin1Before = latin1.getBytes(StandardCharsets.ISO_8859_1);
        ServerXmlEdit.Result latin1Result = install(latin1Before, map("adminUsers", "jürgen"), NONE);
        assertEquals("jürgen", Fixtures.maintenanceValves(Fixtures.parse(latin1Result.after)).get(0).getAttribute("adminUsers"));
        assertTrue(new String(latin1Result.after, StandardCharsets.ISO_8859_1).startsWith("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
        assertArrayEquals(latin1Before, uninstall(latin1Result.after).after);
    }

    @Test
    void aByteOrderMarkStays() throws Refused {
        byte[] plain = Fixtures.resource("tomcat-9.0.117-server.xml");
        byte[] before = new byte[plain.length + 3];
        before[0] = (byte) 0xEF;
        before[1] = (byte) 0xBB;
        before[2] = (byte) 0xBF;
        System.arraycopy(plain, 0, before, 3, plain.length);
        byte[] after = install(before, NONE, NONE).after;
        assertEquals((byte) 0xEF, after[0]);
        assertArrayEquals(before, uninstall(after).after);
    }

    // ------------------------------------------------------------ refusals

    @Test
    void aFileThatDoesNotParseIsRefused() {
        byte[] broken = bytes(stock().replace("</Host>", "</Hots>"));
        Refused refused = assertThrows(Refused.class, () -> install(broken, NONE, NONE));
        assertTrue(refused.getMessage().contains("not well-formed"), refused.getMessage());
        assertThrows(Refused.class, () -> uninstall(broken));
    }

    @Test
    void aValveInstallDidNotAddIsLeftAloneAndRefused() throws Refused {
        String manual = stock().replace("unpackWARs=\"true\" autoDeploy=\"true\">",
                "unpackWARs=\"true\" autoDeploy=\"true\">\n        <Valve className=\"org.maintenancevalve.MaintenanceValve\"/>");
        Refused onInstall = assertThrows(Refused.class, () -> install(bytes(manual), NONE, NONE));
        assertTrue(onInstall.getMessage().contains("did not add (line 165)"), onInstall.getMessage());
        Refused onUninstall = assertThrows(Refused.class, () -> uninstall(bytes(manual)));
        assertTrue(onUninstall.getMessage().contains("jar must stay"), onUninstall.getMessage());

        // Beside install's own one it is refused too, and install's is not touched.
        byte[] ours = install(Fixtures.resource("tomcat-9.0.117-server.xml"), NONE, NONE).after;
        String both = text(ours).replace("<Engine name=\"Catalina\" defaultHost=\"localhost\">",
                "<Engine name=\"Catalina\" defaultHost=\"localhost\">\n      <Valve className=\"org.maintenancevalve.MaintenanceValve\"/>");
        assertThrows(Refused.class, () -> uninstall(bytes(both)));
        assertThrows(Refused.class, () -> install(bytes(both), NONE, NONE));
    }

    @Test
    void aDoctypeNamingADtdIsNeitherReadNorRefused() throws Refused {
        String withDtd = stock().replaceFirst("<Server ", "<!DOCTYPE Server SYSTEM \"no-such-server.dtd\">\n<Server ");
        ServerXmlEdit.Result result = install(bytes(withDtd), NONE, NONE);
        assertTrue(result.changed());
        assertArrayEquals(bytes(withDtd), uninstall(result.after).after);
    }

    @Test
    void anExternalEntityIsNamedWhereItWouldBeRead() {
        String withEntity = stock().replaceFirst("<Server ", "<!DOCTYPE Server [<!ENTITY ext SYSTEM \"valve.xml\">]>\n<Server ")
                .replace("autoDeploy=\"true\">", "autoDeploy=\"true\">&ext;");
        Refused refused = assertThrows(Refused.class, () -> install(bytes(withEntity), NONE, NONE));
        assertTrue(refused.getMessage().startsWith("server.xml refers to an external entity ("
                + Paths.get("target", "conf", "valve.xml").toUri() + "); this tool does not read other files"), refused.getMessage());
    }

    @Test
    void twoHostsOfTheDefaultNameAreRefused() {
        String twice = stock().replace("</Host>", "</Host>\n        <Host name=\"LOCALHOST\" appBase=\"other\"></Host>");
        Refused refused = assertThrows(Refused.class, () -> install(bytes(twice), NONE, NONE));
        assertEquals("server.xml has two <Host name=\"localhost\">", refused.getMessage());
    }

    @Test
    void anEmptyElementHostIsRefused() {
        String empty = "<Server><Service name=\"C\"><Engine name=\"C\" defaultHost=\"localhost\">"
                + "<Host name=\"localhost\" appBase=\"webapps\"/></Engine></Service></Server>";
        Refused refused = assertThrows(Refused.class, () -> install(bytes(empty), NONE, NONE));
        assertTrue(refused.getMessage().contains("<Host ...></Host>"), refused.getMessage());
    }

    @Test
    void aDefaultHostThatDoesNotExistIsRefused() {
        byte[] wrong = bytes(stock().replace("defaultHost=\"localhost\">", "defaultHost=\"nowhere\">"));
        Refused refused = assertThrows(Refused.class, () -> install(wrong, NONE, NONE));
        assertTrue(refused.getMessage().contains("defaultHost=\"nowhere\""), refused.getMessage());
    }

    @Test
    void utf16IsRefused() {
        byte[] utf16 = stock().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"").getBytes(StandardCharsets.UTF_16);
        Refused refused = assertThrows(Refused.class, () -> install(utf16, NONE, NONE));
        assertTrue(refused.getMessage().contains("ASCII-compatible"), refused.getMessage());
    }

    @Test
    void encodingsThatAreNotAsciiCompatibleAreRefusedWithOrWithoutAByteOrderMark() {
        String declared = stock().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        byte[][] refused = {
                declared.getBytes(StandardCharsets.UTF_16LE),
                declared.getBytes(StandardCharsets.UTF_16BE),
                {(byte) 0xFE, (byte) 0xFF},
                {(byte) 0xFF, (byte) 0xFE},
                bytes(declared),
                bytes(stock().replace("encoding=\"UTF-8\"", "encoding=\"no-such-charset\"")),
        };
        for (byte[] content : refused) {
            Refused onInstall = assertThrows(Refused.class, () -> install(content, NONE, NONE));
            assertTrue(onInstall.getMessage().contains("is not in an ASCII-compatible encoding"), onInstall.getMessage());
            Refused onUninstall = assertThrows(Refused.class, () -> uninstall(content));
            assertTrue(onUninstall.getMessage().contains("is not in an ASCII-compatible encoding"), onUninstall.getMessage());
        }
    }

    @Test
    void theCommentAloneIsNotInstallsValve() throws Refused {
        byte[] ours = install(Fixtures.resource("tomcat-9.0.117-server.xml"), NONE, NONE).after;
        String separated = text(ours).replace(ValveLine.COMMENT + "\n        <Valve", ValveLine.COMMENT + "\n        <Realm className=\"y\"/>\n        <Valve");
        assertThrows(Refused.class, () -> uninstall(bytes(separated)), "a Valve not right after the comment is not ours");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<Server>", "", "<Server><Service/></Server>"})
    void filesWithoutAnEngineAreRefused(String content) {
        assertThrows(Refused.class, () -> install(bytes(content), NONE, NONE));
    }
}
