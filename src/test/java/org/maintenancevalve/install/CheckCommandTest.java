package org.maintenancevalve.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.maintenancevalve.install.InstallCommandTest.Run;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.maintenancevalve.install.InstallCommandTest.run;

/**
 * {@code check <install-dir>}, the preflight: each problem is reported with its fix, exit 1 when a
 * restart would not start the valve, 0 when it would (warnings or not), 2 for bad usage. Whether
 * the verdict matches a real Tomcat's start is proven in {@link InstallScriptIT}.
 */
class CheckCommandTest {

    private static final String YES = "Yes: a restart starts the valve";
    private static final String NO = "No: a restart would not start the valve";

    @TempDir
    Path tmp;

    private Path jira;
    private Path jar;
    private String stock;

    @BeforeEach
    void layOutAJiraInstall() throws IOException {
        stock = Fixtures.text(Fixtures.resource("jira-server.xml"));
        jira = Fixtures.tomcat(tmp.resolve("jira"), "9.0.117", Fixtures.bytes(stock));
        Files.createDirectories(jira.resolve("atlassian-jira/WEB-INF"));
        Files.createDirectories(jira.resolve("logs"));
        jar = Fixtures.valveJar(tmp.resolve("dist/maintenance-valve-0.2.0.jar"), "build 0.2.0");
    }

    /** server.xml with a Valve added by hand as the Host's first child (attributes as raw XML), and the jar in lib/. */
    private void valveByHand(String attributes) throws IOException {
        serverXml(stock.replace("autoDeploy=\"true\">", "autoDeploy=\"true\">\n                <Valve className=\""
                + Fixtures.VALVE + "\" " + attributes + "/>"));
        Files.copy(jar, jira.resolve("lib/maintenance-valve-0.2.0.jar"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void serverXml(String text) throws IOException {
        Files.write(jira.resolve("conf/server.xml"), Fixtures.bytes(text));
    }

    private Run check(Object... options) {
        Object[] args = new Object[options.length + 2];
        args[0] = "check";
        args[1] = jira;
        System.arraycopy(options, 0, args, 2, options.length);
        return run(args);
    }

    private static void assertVerdict(Run run, int code) {
        assertEquals(code, run.code, run.toString());
        assertTrue(run.out.contains(code == 0 ? YES : NO), run.toString());
        assertEquals("", run.err);
    }

    /** The finding of that level with the text, its continuation and fix lines joined by spaces. */
    static String finding(Run run, String level, String text) {
        StringBuilder block = null;
        for (String line : run.out.split("\n")) {
            boolean starts = line.startsWith("  ") && line.length() > 2 && line.charAt(2) != ' ';
            if (starts || !line.startsWith("  ")) {
                if (block != null && block.toString().contains(text)) {
                    return block.toString();
                }
                block = starts && line.startsWith(String.format("  %-8s ", level)) ? new StringBuilder(line) : null;
            } else if (block != null) {
                block.append(' ').append(line.trim());
            }
        }
        if (block != null && block.toString().contains(text)) {
            return block.toString();
        }
        throw new AssertionError("no " + level + " with '" + text + "' in:\n" + run);
    }

    // ------------------------------------------------------------ a clean install

    @Test
    void aCleanInstallGivesExit0AndSaysSo() throws IOException {
        Run install = run("install", jira, "--jar", jar, "--check");
        assertVerdict(install, 0);
        assertTrue(install.out.indexOf("Maintenance Valve check of " + jira) > install.out.indexOf("Next steps:"),
                "install reports first, then the check: " + install.out);
        Run check = check();
        assertVerdict(check, 0);
        assertTrue(finding(check, "ok", "Tomcat 9.0.117").length() > 0);
        finding(check, "ok", "the valve's jar, once: " + jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        finding(check, "ok", "every attribute is one the valve takes");
        finding(check, "note", "the flag file is " + jira.resolve("maintenance.flag"));
        assertFalse(check.out.contains("WARNING"), check.out);
    }

    @Test
    void withoutCheckInstallSaysToRunItAndWhenTheCheckFailsInstallSaysSoByItsExitCode() throws IOException {
        Run plain = run("install", jira, "--jar", jar);
        assertEquals(0, plain.code, plain.toString());
        assertFalse(plain.out.contains("Maintenance Valve check of"), plain.out);
        assertTrue(plain.out.contains("check what it will load: java -jar <maintenance-valve.jar> check " + jira), plain.out);

        Fixtures.valveJar(jira.resolve("lib/old-copy.jar"), "build 0.1.0");
        Run twice = run("install", jira, "--jar", jar, "--check");
        assertVerdict(twice, 0); // install removed the other jar from lib/, so the check passes
        Fixtures.valveJar(jira.resolve("lib/old-copy.jar"), "build 0.1.0");
        assertVerdict(check(), 1);
    }

    // ------------------------------------------------------------ problems: exit 1

    @Test
    void nothingInstalledIsAProblem() {
        Run run = check();
        assertVerdict(run, 1);
        assertTrue(finding(run, "PROBLEM", "no MaintenanceValve in").contains("install it: install/install.sh " + jira), run.out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "allow=\"localhost\"       | allow=\"localhost\": \"localhost\" is not an IP address or CIDR block | --allow",
            "allow=\"300.1.1.1\"       | allow=\"300.1.1.1\": \"300.1.1.1\" is not an IP address or CIDR block | --allow",
            "allow=\"10.1.2.0/33\"     | allow=\"10.1.2.0/33\": \"10.1.2.0/33\" has a prefix length outside 0-32 | --allow",
            "adminPort=\"70000\"       | adminPort=\"70000\": \"70000\" is not a port number (1-65535) | --admin-port",
            "preset=\"bamboo\"         | preset=\"bamboo\": must be none, jira or confluence | --preset",
            "pollInterval=\"5\"        | pollInterval=\"5\": must be a whole number from 10 to 3600000 | --poll-interval",
            "retryAfter=\"0\"          | retryAfter=\"0\": must be a whole number from 1 to 604800 |",
            "sessionUserAttribute=\"\" | sessionUserAttribute=\"\": must name a session attribute |",
            "bypassSecret=\"tooShort\" | bypassSecret=\"(hidden)\": must be at least 16 characters long |",
    })
    void anAttributeTheValveRefusesIsAProblemWithItsFix(String attribute, String problem, String option) throws IOException {
        valveByHand(attribute);
        Run run = check();
        assertVerdict(run, 1);
        String finding = finding(run, "PROBLEM", problem);
        assertTrue(finding.contains("The valve refuses to start, and with it the whole Tomcat"), finding);
        assertTrue(finding.contains("correct it in " + jira.resolve("conf/server.xml")), finding);
        if (option != null) {
            assertTrue(finding.contains("install/install.sh " + jira + " " + option + " <a valid value>"), finding);
        }
        assertFalse(run.out.contains("tooShort"), "a secret is never shown: " + run.out);
    }

    @Test
    void theValveNamedInServerXmlWithoutItsJarIsAProblem() throws IOException {
        valveByHand("preset=\"jira\"");
        Files.delete(jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        Run run = check();
        assertVerdict(run, 1);
        assertTrue(finding(run, "PROBLEM", "no jar in " + jira.resolve("lib")).contains("ClassNotFoundException"), run.out);
    }

    @Test
    void twoValveJarsAreAProblem() throws IOException {
        valveByHand("preset=\"jira\"");
        Fixtures.valveJar(jira.resolve("lib/maintenance-valve-0.1.0.jar"), "build 0.1.0");
        Run run = check();
        assertVerdict(run, 1);
        String finding = finding(run, "PROBLEM", "the valve is in 2 jars");
        assertTrue(finding.contains(jira.resolve("lib/maintenance-valve-0.1.0.jar").toString()), finding);
        assertTrue(finding.contains("keep one: install/install.sh " + jira), finding);
    }

    @Test
    void theValveJarsAreListedByNameAndOtherFilesNamedJarAreNotValveJars() throws IOException {
        valveByHand("");
        Path lib = jira.resolve("lib");
        Files.write(lib.resolve("broken.jar"), Fixtures.bytes("not a zip"));
        Files.createDirectories(lib.resolve("exploded.jar"));
        Files.createDirectories(lib.resolve("sub"));
        Fixtures.valveJar(lib.resolve("sub/maintenance-valve-0.0.1.jar"), "elsewhere");
        Run once = check();
        assertVerdict(once, 0);
        finding(once, "ok", "the valve's jar, once: " + lib.resolve("maintenance-valve-0.2.0.jar"));

        for (String name : new String[] {"zz-valve.jar", "aa-valve.jar", "mm-valve.jar"}) {
            Fixtures.valveJar(lib.resolve(name), name);
        }
        Run four = check();
        assertVerdict(four, 1);
        String finding = finding(four, "PROBLEM", "the valve is in 4 jars: " + lib.resolve("aa-valve.jar") + ", "
                + lib.resolve("maintenance-valve-0.2.0.jar") + ", " + lib.resolve("mm-valve.jar") + ", " + lib.resolve("zz-valve.jar")
                + ". Tomcat loads one of them");
        assertTrue(finding.endsWith("keep one: install/install.sh " + jira + " removes the others from " + lib), finding);
    }

    @Test
    void aJarInTheHomeOfACatalinaBaseCountsToo() throws IOException {
        Path home = Fixtures.tomcat(tmp.resolve("home"), "9.0.117", Fixtures.resource("tomcat-9.0.117-server.xml"));
        Fixtures.valveJar(home.resolve("lib/maintenance-valve-0.1.0.jar"), "build 0.1.0");
        Files.delete(jira.resolve("lib/catalina.jar"));
        valveByHand("preset=\"jira\"");
        Run run = check("--catalina-home", home);
        assertVerdict(run, 1);
        finding(run, "PROBLEM", "the valve is in 2 jars");
        Files.delete(home.resolve("lib/maintenance-valve-0.1.0.jar"));
        assertVerdict(check("--catalina-home", home), 0);
    }

    @Test
    void aServerXmlThatDoesNotParseIsAProblem() throws IOException {
        serverXml(stock.replace("</Host>", "</Hots>"));
        Run run = check();
        assertVerdict(run, 1);
        finding(run, "PROBLEM", "is not well-formed XML (line ");
    }

    @Test
    void aValveWhereTomcatDoesNotLoadOneIsAProblem() throws IOException {
        serverXml(stock.replace("<Service name=\"Catalina\">", "<Service name=\"Catalina\">\n        <Valve className=\""
                + Fixtures.VALVE + "\"/>"));
        Files.copy(jar, jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        Run run = check();
        assertVerdict(run, 1);
        assertTrue(finding(run, "PROBLEM", "(Server/Service/Valve) is in no Engine, Host or Context").contains("move it into the <Host>"),
                run.out);
    }

    @Test
    void eachValveIsNamedByItsContainer() throws IOException {
        String valve = "<Valve className=\"" + Fixtures.VALVE + "\" colour=\"red\"/>";
        serverXml(stock.replace("<Server port=\"8005\" shutdown=\"SHUTDOWN\">", "<Server port=\"8005\" shutdown=\"SHUTDOWN\">" + valve)
                .replace("useHttpOnly=\"true\">", "useHttpOnly=\"true\">" + valve));
        Files.copy(jar, jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        Run run = check();
        assertVerdict(run, 1);
        finding(run, "PROBLEM", "the MaintenanceValve in <Server> (Server/Valve) is in no Engine, Host or Context");
        finding(run, "WARNING", "colour=\"red\" is not an attribute of the valve: Tomcat ignores it (with a warning in catalina.out)"
                + " (the MaintenanceValve in <Context path=\"\">)");

        serverXml(valve);
        Run alone = check();
        assertVerdict(alone, 1);
        finding(alone, "PROBLEM", "the MaintenanceValve in the document (Valve) is in no Engine, Host or Context");
    }

    @Test
    void anOldTomcatIsAProblem() throws IOException {
        valveByHand("");
        Fixtures.catalinaJar(jira.resolve("lib/catalina.jar"), "server.info=Apache Tomcat/8.0.53\nserver.number=8.0.53.0\n");
        assertVerdict(check(), 1);
        finding(check(), "PROBLEM", "this is Tomcat 8.0.53; the valve needs Tomcat 8.5 or later");
    }

    @Test
    void anExternalEntityIsNotFollowedAndIsAProblem() throws IOException {
        Path secret = tmp.resolve("valve.xml");
        Files.write(secret, Fixtures.bytes("<Valve className=\"" + Fixtures.VALVE + "\" allow=\"10.9.8.7\"/>"));
        valveByHand("");
        String text = Fixtures.text(Files.readAllBytes(jira.resolve("conf/server.xml")));
        serverXml(text.replaceFirst("<Server ", "<!DOCTYPE Server [<!ENTITY ext SYSTEM \"" + secret.toUri() + "\">]>\n<Server ")
                .replace("autoDeploy=\"true\">", "autoDeploy=\"true\">&ext;"));
        Run run = check();
        assertVerdict(run, 1);
        finding(run, "PROBLEM", "refers to an external entity");
        assertFalse(run.out.contains("10.9.8.7"), run.out);
    }

    // ------------------------------------------------------------ warnings: exit 0

    @Test
    void anUnknownAttributeIsAWarningWithTheNameMeant() throws IOException {
        valveByHand("allowPath=\"/status\" AdminUsers=\"admin\" colour=\"red\"");
        Run run = check();
        assertVerdict(run, 0);
        assertTrue(finding(run, "WARNING", "allowPath=\"/status\" is not an attribute").contains("did you mean allowPaths?"), run.out);
        assertTrue(finding(run, "WARNING", "AdminUsers=\"admin\"").contains("did you mean adminUsers?"), run.out);
        assertTrue(finding(run, "WARNING", "colour=\"red\"").contains("remove it, or use one of: flagFile, pollInterval"), run.out);
    }

    @Test
    void propertiesResolveAsTomcatResolvesThem() throws IOException {
        Files.write(jira.resolve("conf/catalina.properties"), Fixtures.bytes("admin.port=8080\npoll=notANumber\n"));
        valveByHand("flagFile=\"${catalina.base}/shared/m.flag\" adminPort=\"${admin.port}\" retryAfter=\"${retry:-60}\"");
        Files.createDirectories(jira.resolve("shared"));
        Run run = check();
        assertVerdict(run, 0);
        finding(run, "note", "the flag file is " + jira.resolve("shared/m.flag"));
        assertFalse(run.out.contains("adminPort 8080"), "8080 has a Connector in the Jira fixture: " + run.out);

        valveByHand("pollInterval=\"${poll}\"");
        assertVerdict(check(), 1);
        finding(check(), "PROBLEM", "pollInterval=\"notANumber\"");

        valveByHand("pollInterval=\"${not.known}\"");
        Run unknown = check();
        assertVerdict(unknown, 0);
        assertTrue(finding(unknown, "WARNING", "uses ${not.known}, which check cannot resolve").contains("-Dnot.known=..."),
                unknown.out);
    }

    @Test
    void aMissingFlagDirectoryIsAWarningWithTheCommandToMakeIt() throws IOException {
        Path flag = tmp.resolve("shared/home/maintenance.flag");
        valveByHand("flagFile=\"" + flag + "\"");
        Run run = check();
        assertVerdict(run, 0);
        assertTrue(finding(run, "WARNING", "the flag file's directory " + flag.getParent() + " does not exist")
                .contains("mkdir -p " + flag.getParent()), run.out);

        Files.createDirectories(flag.getParent());
        Files.write(flag, new byte[0]);
        Run present = check();
        assertVerdict(present, 0);
        assertFalse(present.out.contains("WARNING"), present.out);
        finding(present, "note", "the flag file exists now: users are held out from the first request after the restart");
    }

    @Test
    void anAdminPortWithoutAConnectorIsAWarningWithTheConnectorToAdd() throws IOException {
        valveByHand("adminPort=\"8080, 8081\"");
        Run run = check();
        assertVerdict(run, 0);
        String finding = finding(run, "WARNING", "adminPort 8081: no <Connector port=\"8081\">");
        assertTrue(finding.contains("<Connector port=\"8081\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"/>"), finding);
        assertFalse(run.out.contains("adminPort 8080"), "8080 has its Connector: " + run.out);
    }

    /** The valve by hand, and an AJP connector beside the fixture's HTTP one (as Jira's server.xml has, commented out). */
    private void valveBesideAjp(String attributes, String ajpConnector) throws IOException {
        valveByHand(attributes);
        String text = Fixtures.text(Files.readAllBytes(jira.resolve("conf/server.xml")));
        serverXml(text.replace("<Engine name=\"Catalina\"", ajpConnector + "\n        <Engine name=\"Catalina\""));
    }

    @Test
    void anAjpConnectorInAdminPortIsAWarningWithTheWayOut() throws IOException {
        valveBesideAjp("adminPort=\"8080, 8009\"",
                "<Connector port=\"8009\" protocol=\"AJP/1.3\" address=\"127.0.0.1\" secretRequired=\"false\"/>");
        Run run = check();
        assertVerdict(run, 0);
        String finding = finding(run, "WARNING", "adminPort 8009 is an AJP connector: every request an AJP front end"
                + " forwards (Apache httpd's mod_jk or mod_proxy_ajp, IIS) arrives on it, so during maintenance every user"
                + " of that front end passes");
        assertTrue(finding.contains("take it out of adminPort and give admins an HTTP connector of their own"), finding);
        assertTrue(finding.contains("<Connector port=\"8081\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"/>"), finding);
        assertTrue(finding.contains("ssh -L 8081:127.0.0.1:8081"), finding);
        assertFalse(run.out.contains("adminPort 8080"), "8080 is an HTTP connector: " + run.out);
        assertFalse(run.out.contains("no <Connector port=\"8009\">"), "8009 has its connector: " + run.out);
        assertTrue(run.out.contains("see the 1 warning above"), run.out);
    }

    @Test
    void anAjpConnectorIsKnownByItsClassNameAndByAResolvedPort() throws IOException {
        valveBesideAjp("adminPort=\"08009\"",
                "<Connector port=\"${ajp.port}\" protocol=\"org.apache.coyote.ajp.AjpNio2Protocol\"/>");
        Files.write(jira.resolve("conf/catalina.properties"), Fixtures.bytes("ajp.port=8009\n"));
        Run run = check();
        assertVerdict(run, 0);
        finding(run, "WARNING", "adminPort 8009 is an AJP connector");
    }

    @Test
    void anAjpConnectorNotInAdminPortIsNoWarning() throws IOException {
        valveBesideAjp("adminPort=\"8080\"", "<Connector port=\"8009\" protocol=\"AJP/1.3\"/>");
        Run run = check();
        assertVerdict(run, 0);
        assertFalse(run.out.contains("AJP"), run.out);
        assertFalse(run.out.contains("WARNING"), run.out);
    }

    @Test
    void aTemplateTheValveCannotUseIsAWarning() throws IOException {
        Path template = jira.resolve("conf/maintenance.html");
        valveByHand("template=\"conf/maintenance.html\"");
        Run missing = check();
        assertVerdict(missing, 0);
        assertTrue(finding(missing, "WARNING", "the template " + template + " does not exist")
                .contains("serves its built-in page instead"), missing.out);

        Files.write(template, new byte[] {'<', 'p', '>', (byte) 0xC3, (byte) 0x28});
        finding(check(), "WARNING", "the template " + template + " is not valid UTF-8");

        Files.write(template, "<p>{{message}}</p>".getBytes(StandardCharsets.UTF_8));
        Run good = check();
        assertVerdict(good, 0);
        finding(good, "ok", "the template " + template + " is usable");
    }

    // ------------------------------------------------------------ the verdict and the layout of the report

    private static String lastLine(Run run) {
        String[] lines = run.out.split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void theVerdictCountsTheProblemsAndWarnings() throws IOException {
        valveByHand("");
        Run clean = check();
        assertVerdict(clean, 0);
        assertEquals("Yes: a restart starts the valve.", lastLine(clean), clean.out);

        valveByHand("colour=\"red\"");
        Run oneWarning = check();
        assertVerdict(oneWarning, 0);
        assertEquals("Yes: a restart starts the valve; see the 1 warning above.", lastLine(oneWarning), oneWarning.out);

        valveByHand("colour=\"red\" size=\"big\"");
        Run twoWarnings = check();
        assertVerdict(twoWarnings, 0);
        assertEquals("Yes: a restart starts the valve; see the 2 warnings above.", lastLine(twoWarnings), twoWarnings.out);

        valveByHand("pollInterval=\"5\"");
        Run oneProblem = check();
        assertVerdict(oneProblem, 1);
        assertEquals("No: a restart would not start the valve. Fix the 1 problem above before you restart Tomcat, then run check again.",
                lastLine(oneProblem), oneProblem.out);

        valveByHand("pollInterval=\"5\" retryAfter=\"0\" colour=\"red\"");
        Run both = check();
        assertVerdict(both, 1);
        assertEquals("No: a restart would not start the valve. Fix the 2 problems above before you restart Tomcat"
                + " (and see the 1 warning), then run check again.", lastLine(both), both.out);
    }

    @Test
    void findingsAreWrappedAtSpacesToTheWidthOfTheReport() {
        assertEquals("one two|three", Preflight.wrap("one two three", 7, "|"), "a line that fits exactly stays whole");
        assertEquals("one|two|three", Preflight.wrap("one two three", 6, "|"));
        assertEquals("one two three", Preflight.wrap("one two three", 13, "|"));
        assertEquals("a-long-word|x", Preflight.wrap("a-long-word x", 5, "|"), "a longer word is not broken");
        assertEquals("x|a-long-word", Preflight.wrap("x a-long-word", 5, "|"));
        assertEquals("", Preflight.wrap("", 5, "|"));
    }

    @Test
    void aLongFindingIsWrappedUnderItsTextAndItsFixIsNot() {
        Run run = check();
        String[] lines = run.out.split("\n");
        int note = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("  note     JMX: no remote JMX port in ")) {
                note = i;
            }
        }
        assertTrue(note > 0, run.out);
        for (int i = note; i < note + 3; i++) {
            assertTrue(lines[i].length() <= 110, "wrapped at 110: " + lines[i]);
        }
        for (int i = note; i < note + 2; i++) {
            String nextWord = lines[i + 1].trim().split(" ")[0];
            assertTrue(lines[i].length() + 1 + nextWord.length() > 110, "filled up to 110: " + lines[i]);
        }
        assertTrue(lines[note + 1].startsWith("           ") && lines[note + 1].charAt(11) != ' ', lines[note + 1]);
        assertTrue(lines[note + 2].endsWith("(Jira's and Confluence's bundled JRE has no attach API)"), run.out);
        assertTrue(lines[note + 3].startsWith("           to open it on this machine only, with a password, add to "), run.out);
        assertTrue(lines[note + 3].length() > 110, "a fix is not wrapped: " + lines[note + 3]);
    }

    @Test
    void withoutCatalinaJarTheVersionIsAWarningWithTheWayToNameTheHome() throws IOException {
        assumeTrue(System.getenv("CATALINA_HOME") == null, "$CATALINA_HOME would name a home");
        valveByHand("");
        Files.delete(jira.resolve("lib/catalina.jar"));
        Run run = check();
        assertVerdict(run, 0);
        assertTrue(finding(run, "WARNING", "no lib/catalina.jar in " + jira + ": cannot tell the Tomcat version")
                .contains("name Tomcat's home with --catalina-home DIR"), run.out);
        assertTrue(run.out.contains("\n           if " + jira + " is a CATALINA_BASE, name Tomcat's home with --catalina-home DIR\n"),
                "the fix on a line of its own: " + run.out);

        Fixtures.zip(jira.resolve("lib/catalina.jar"), "META-INF/MANIFEST.MF", Fixtures.bytes("Manifest-Version: 1.0\n"));
        Run unreadable = check();
        assertVerdict(unreadable, 0);
        finding(unreadable, "WARNING", "cannot tell the Tomcat version: ");
    }

    @Test
    void aJarOnlyInTheHomeIsPutBackWithTheHomeNamed() throws IOException {
        Path home = Fixtures.tomcat(tmp.resolve("home"), "9.0.117", Fixtures.resource("tomcat-9.0.117-server.xml"));
        Files.delete(jira.resolve("lib/catalina.jar"));
        valveByHand("preset=\"jira\"");
        Files.delete(jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        Run run = check("--catalina-home", home);
        assertVerdict(run, 1);
        assertTrue(finding(run, "PROBLEM", "but no jar in " + jira.resolve("lib") + " or " + home.resolve("lib") + " has it")
                .contains("put the jar back: install/install.sh " + jira + " --catalina-home " + home), run.out);

        Fixtures.valveJar(home.resolve("lib/maintenance-valve-0.1.0.jar"), "build 0.1.0");
        Fixtures.valveJar(home.resolve("lib/maintenance-valve-0.0.9.jar"), "build 0.0.9");
        Run two = check("--catalina-home", home);
        assertTrue(finding(two, "PROBLEM", "the valve is in 2 jars").contains("keep one: install/install.sh " + jira
                + " --catalina-home " + home + " removes the others from " + jira.resolve("lib")
                + "; remove any in " + home.resolve("lib") + " by hand"), two.out);
    }

    @Test
    void withoutLogsTheUserIsUnknownAndTheReportSaysHowToNameIt() throws IOException {
        valveByHand("");
        Run guessed = check();
        assertTrue(finding(guessed, "note", "Tomcat runs as root (the owner of " + jira.resolve("logs") + ")")
                .endsWith("; if not, give its user with --user NAME"), guessed.out);
        Run given = check("--user", "root");
        assertTrue(finding(given, "note", "Tomcat runs as root (given with --user)").endsWith("(given with --user)"), given.out);

        Files.delete(jira.resolve("logs"));
        Run run = check();
        assertVerdict(run, 0);
        assertTrue(finding(run, "note", "cannot tell which user Tomcat runs as (no logs/, work/ or temp/ in " + jira + ")")
                .contains("give it with --user NAME"), run.out);
    }

    @Test
    void severalValvesAreEachNamedInTheirFindings() throws IOException {
        valveByHand("colour=\"red\"");
        String text = Fixtures.text(Files.readAllBytes(jira.resolve("conf/server.xml")));
        serverXml(text.replace("<Engine name=\"Catalina\" defaultHost=\"localhost\">",
                "<Engine name=\"Catalina\" defaultHost=\"localhost\">\n            <Valve className=\"" + Fixtures.VALVE
                        + "\" pollInterval=\"5\"/>"));
        Run run = check();
        assertVerdict(run, 1);
        finding(run, "ok", jira.resolve("conf/server.xml") + ": 2 MaintenanceValves");
        finding(run, "PROBLEM", "pollInterval=\"5\": must be a whole number from 10 to 3600000"
                + " (the MaintenanceValve in <Engine name=\"Catalina\">). The valve refuses to start");
        finding(run, "WARNING", "colour=\"red\" is not an attribute of the valve: Tomcat ignores it (with a warning in catalina.out)"
                + " (the MaintenanceValve in <Host name=\"localhost\">)");
        finding(run, "note", "the flag file is " + jira.resolve("maintenance.flag") + " (the MaintenanceValve in <Host name=\"localhost\">)");

        valveByHand("");
        Run one = check();
        finding(one, "ok", jira.resolve("conf/server.xml") + ": 1 MaintenanceValve");
        assertFalse(one.out.contains("MaintenanceValves"), one.out);
        assertFalse(one.out.contains("(the MaintenanceValve in"), "one valve needs no name: " + one.out);
    }

    @Test
    void aFlagFileCheckCannotResolveIsNotJudgedAndASecretIsNotShown() throws IOException {
        valveByHand("flagFile=\"${shared.dir}/maintenance.flag\"");
        Run run = check();
        assertVerdict(run, 0);
        finding(run, "WARNING", "flagFile=\"${shared.dir}/maintenance.flag\" uses ${shared.dir}, which check cannot resolve");
        assertFalse(run.out.contains("the flag file is"), "an unknown flag file is not guessed: " + run.out);

        valveByHand("bypassSecret=\"${vault.bypass}\" adminUsers=\"${admins}\"");
        Run others = check();
        assertVerdict(others, 0);
        assertTrue(finding(others, "WARNING", "bypassSecret=\"(hidden)\" uses ${vault.bypass}").contains("-Dvault.bypass=..."),
                others.out);
        finding(others, "WARNING", "adminUsers=\"${admins}\" uses ${admins}");
        finding(others, "note", "the flag file is " + jira.resolve("maintenance.flag"));

        valveByHand("pollInterval=\"5\"");
        Run refused = check();
        assertVerdict(refused, 1);
        finding(refused, "note", "the flag file is " + jira.resolve("maintenance.flag"));
    }

    @Test
    void aFlagPathThatIsNoDirectoryOrNoFileIsAWarning() throws IOException {
        Path file = jira.resolve("conf/server.xml");
        valveByHand("flagFile=\"" + file.resolve("maintenance.flag") + "\"");
        Run run = check();
        assertVerdict(run, 0);
        assertTrue(finding(run, "WARNING", "the flag file's directory " + file + " does not exist as a directory: maintenance cannot")
                .endsWith("mkdir -p " + file), "no chown for root: " + run.out);

        valveByHand("");
        Files.createDirectories(jira.resolve("maintenance.flag"));
        Run dir = check();
        assertVerdict(dir, 0);
        assertTrue(finding(dir, "WARNING", jira.resolve("maintenance.flag") + " exists but is not a regular file")
                .contains("rm -r " + jira.resolve("maintenance.flag")), dir.out);
        assertFalse(dir.out.contains("the flag file exists now"), dir.out);
    }

    @Test
    void anAdminPortBesideAConnectorPortCheckCannotResolveIsANote() throws IOException {
        valveByHand("adminPort=\"8081\"");
        String text = Fixtures.text(Files.readAllBytes(jira.resolve("conf/server.xml")));
        serverXml(text.replace("<Connector port=\"8080\"", "<Connector port=\"${http.port}\""));
        Run run = check();
        assertVerdict(run, 0);
        finding(run, "note", "adminPort 8081: a Connector's port uses a property check cannot resolve; make sure one listens on 8081");
        assertFalse(run.out.contains("WARNING"), run.out);

        Files.write(jira.resolve("conf/catalina.properties"), Fixtures.bytes("http.port=8081\n"));
        Run resolved = check();
        assertVerdict(resolved, 0);
        assertFalse(resolved.out.contains("adminPort 8081"), "port 8081 has its Connector: " + resolved.out);
    }

    // ------------------------------------------------------------ the user Tomcat runs as

    /** As root, with the temporary directory open to others (JUnit makes it rwx------). */
    private void assumeRootWithNobody() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to give files to another user");
        assumeTrue(Files.isDirectory(Path.of("/proc")), "needs Linux");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void chown(Path path, String user) throws IOException {
        UserPrincipal principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(path, principal);
    }

    @Test
    void permissionsAreJudgedForTheOwnerOfLogs() throws IOException {
        assumeRootWithNobody();
        Path dir = tmp.resolve("flags");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        valveByHand("flagFile=\"" + dir.resolve("m.flag") + "\"");
        chown(jira.resolve("logs"), "nobody");

        Run closed = check();
        assertVerdict(closed, 0);
        finding(closed, "note", "Tomcat runs as nobody (the owner of " + jira.resolve("logs") + ")");
        assertTrue(finding(closed, "WARNING", "nobody cannot look into " + dir + " (rwx------ root:root)")
                .contains("holds everyone out"), closed.out);

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run readOnly = check();
        assertTrue(finding(readOnly, "WARNING", "nobody cannot create files in " + dir).contains("chown nobody " + dir),
                readOnly.out);

        chown(dir, "nobody");
        Files.write(dir.resolve("m.flag"), new byte[0]);
        Files.setPosixFilePermissions(dir.resolve("m.flag"), PosixFilePermissions.fromString("rw-------"));
        Run unreadable = check();
        finding(unreadable, "WARNING", "nobody cannot read " + dir.resolve("m.flag"));

        chown(dir.resolve("m.flag"), "nobody");
        Run fine = check();
        assertVerdict(fine, 0);
        assertFalse(fine.out.contains("WARNING"), fine.out);

        Run asRoot = check("--user", "root");
        finding(asRoot, "note", "Tomcat runs as root (given with --user)");
    }

    @Test
    void forAnotherUserTheFlagDirectoryIsMadeTheirsAndATemplateTheyCannotReadIsAWarning() throws IOException {
        assumeRootWithNobody();
        chown(jira.resolve("logs"), "nobody");
        Path flagDir = tmp.resolve("flags");
        Path template = jira.resolve("conf/maintenance.html");
        Files.write(template, "<p>{{message}}</p>".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(template, PosixFilePermissions.fromString("rw-------"));
        valveByHand("flagFile=\"" + flagDir.resolve("maintenance.flag") + "\" template=\"conf/maintenance.html\"");
        Run run = check();
        assertVerdict(run, 0);
        assertTrue(finding(run, "WARNING", "the flag file's directory " + flagDir + " does not exist")
                .endsWith("mkdir -p " + flagDir + " && chown nobody " + flagDir), run.out);
        assertTrue(finding(run, "WARNING", "nobody cannot read " + template)
                .contains("the valve will serve its built-in page instead of the template"), run.out);
        assertFalse(run.out.contains("is usable"), run.out);

        Files.setPosixFilePermissions(template, PosixFilePermissions.fromString("rw-r--r--"));
        finding(check(), "ok", "the template " + template + " is usable");
    }

    @Test
    void theGroupsPermissionsCountForItsMembersAndOnlyForThem() throws IOException {
        assumeRootWithNobody();
        valveByHand("");
        Path installed = jira.resolve("lib/maintenance-valve-0.2.0.jar");
        UserPrincipal nogroup = null;
        try {
            nogroup = installed.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("nogroup");
        } catch (IOException e) {
            assumeTrue(false, "needs the group nogroup, which nobody is in");
        }
        Files.getFileAttributeView(installed, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup((java.nio.file.attribute.GroupPrincipal) nogroup);
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rw-r-----"));
        Run member = check("--user", "nobody");
        assertVerdict(member, 0);
        finding(member, "ok", "the valve's jar, once: " + installed);

        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rw----r--"));
        Run others = check("--user", "nobody");
        assertVerdict(others, 1);
        assertTrue(finding(others, "PROBLEM", "nobody cannot read " + installed + " (rw----r-- root:nogroup)")
                .contains("chmod o+r " + installed + "   (or let a group nobody is in do it)"), others.out);
    }

    @Test
    void aJarOrServerXmlTomcatsUserCannotReadIsAProblem() throws IOException {
        assumeRootWithNobody();
        valveByHand("");
        Path installed = jira.resolve("lib/maintenance-valve-0.2.0.jar");
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rw-------"));
        Run jarRun = check("--user", "nobody");
        assertVerdict(jarRun, 1);
        finding(jarRun, "PROBLEM", "nobody cannot read " + installed);
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rw-r--r--"));

        Files.setPosixFilePermissions(jira.resolve("conf/server.xml"), PosixFilePermissions.fromString("rw-------"));
        Run xmlRun = check("--user", "nobody");
        assertVerdict(xmlRun, 1);
        finding(xmlRun, "PROBLEM", "Tomcat cannot read its own configuration");
        assertVerdict(check("--user", "root"), 0);
    }

    @Test
    void theRootTheUserCannotPassIsNamedWithItsFix() throws IOException {
        assumeRootWithNobody();
        valveByHand("");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
        Run run = check("--user", "nobody");
        assertVerdict(run, 1);
        String finding = finding(run, "PROBLEM", "nobody cannot read " + jira.resolve("conf/server.xml") + ": it cannot pass "
                + tmp + " (rwx------ root:root)");
        assertTrue(finding.contains("chmod o+x " + tmp + " "), finding);
    }

    @Test
    void anUnknownUserIsAWarningAndItsPermissionsAreNotGuessed() throws IOException {
        valveByHand("");
        Run run = check("--user", "no-such-user-here");
        assertVerdict(run, 0);
        finding(run, "WARNING", "cannot look up the user no-such-user-here (given with --user)");
        assertFalse(run.out.contains("no-such-user-here cannot"), run.out);
    }

    // ------------------------------------------------------------ JMX

    @Test
    void withoutAJmxPortTheReportShowsTheSetenvLinesBoundToLocalhost() throws IOException {
        valveByHand("");
        Run run = check("--user", "nobody");
        String finding = finding(run, "note", "JMX: no remote JMX port in " + jira.resolve("bin/setenv.sh"));
        assertTrue(finding.contains("-Dcom.sun.management.jmxremote.port=9010"), finding);
        assertTrue(finding.contains("-Dcom.sun.management.jmxremote.host=127.0.0.1"), finding);
        assertTrue(finding.contains("status --jmx 127.0.0.1:9010 --jmx-user maintenance --jmx-password-file /root/.maintenance-valve-jmx"),
                finding);
        assertTrue(finding.contains("-Dcom.sun.management.jmxremote.authenticate=true"), finding);
        assertFalse(finding.contains("authenticate=false"), "a port with a password, only: " + finding);
        assertTrue(finding.contains("-Dcom.sun.management.jmxremote.password.file=" + jira.resolve("conf/jmxremote.password")), finding);
        assertTrue(finding.contains("-Dcom.sun.management.jmxremote.access.file=" + jira.resolve("conf/jmxremote.access")), finding);
        assertTrue(finding.contains("readable by nobody only (as root): "), finding);
        assertTrue(finding.contains("| install -m 600 -o nobody /dev/stdin " + jira.resolve("conf/jmxremote.password")), finding);
        assertTrue(finding.contains("echo 'maintenance readwrite' | install -m 600 -o nobody /dev/stdin "
                + jira.resolve("conf/jmxremote.access")), finding);
    }

    @Test
    void aJmxPortWithoutAPasswordIsAWarningWithTheLinesThatAskForOne() throws IOException {
        valveByHand("");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path setenv = jira.resolve("bin/setenv.sh");
        Files.write(setenv, Fixtures.bytes("CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=1"
                + " -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false\"\n"));
        Run open = check("--user", "nobody");
        assertVerdict(open, 0);
        String warning = finding(open, "WARNING", "JMX: port 1 in " + setenv + " asks for no password"
                + " (-Dcom.sun.management.jmxremote.authenticate=false): anyone who reaches this machine (it is not bound to"
                + " 127.0.0.1) can connect, call disable() or widen allow, and use Tomcat's other MBeans");
        assertTrue(warning.contains("in " + setenv + ", replace -Dcom.sun.management.jmxremote.authenticate=false (and bind"
                + " the port to 127.0.0.1) with:"), warning);
        assertTrue(warning.contains("-Dcom.sun.management.jmxremote.port=1 -Dcom.sun.management.jmxremote.rmi.port=1"), warning);
        assertTrue(warning.contains("-Dcom.sun.management.jmxremote.authenticate=true"), warning);
        assertTrue(warning.contains("install -m 600 -o nobody /dev/stdin " + jira.resolve("conf/jmxremote.password")), warning);
        assertTrue(warning.contains("the commands then log in with --jmx-user maintenance --jmx-password-file"), warning);

        Files.write(setenv, Fixtures.bytes("CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=1"
                + " -Dcom.sun.management.jmxremote.host=127.0.0.1\"\n"
                + "CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.authenticate=no\"\n"));
        finding(check(), "WARNING", "asks for no password (-Dcom.sun.management.jmxremote.authenticate=no): every local"
                + " account can connect");

        Files.write(setenv, Fixtures.bytes("CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port=1"
                + " -Dcom.sun.management.jmxremote.host=127.0.0.1\"\n"
                + "# CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.authenticate=false\"\n"));
        Run closed = check();
        assertFalse(closed.out.contains("asks for no password"), closed.out);
        assertTrue(finding(closed, "note", "JMX: port 1 in " + setenv).contains("reach it with --jmx 127.0.0.1:1 --jmx-user"
                + " NAME --jmx-password-file FILE"), closed.out);
    }

    /**
     * As root, check does not connect to a port another user could have written into setenv.sh:
     * it says why, and how to try it by hand; the port sees no connection.
     */
    @Test
    void asRootThePortOfASetenvAnotherUserCanChangeIsNotTried() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "run as root (CI does): the rule applies to root");
        valveByHand("");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ServerSocket port = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port.setSoTimeout(200);
            Path setenv = jira.resolve("bin/setenv.sh");
            Files.write(setenv, Fixtures.bytes("CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port="
                    + port.getLocalPort() + " -Dcom.sun.management.jmxremote.host=127.0.0.1\"\n"));
            UserPrincipal nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            for (Path changeable : new Path[] {setenv, jira.resolve("bin")}) {
                Files.setOwner(changeable, nobody);
                Run run = check("--user", "nobody");
                assertVerdict(run, 0);
                String note = finding(run, "note", "JMX: port " + port.getLocalPort() + " in " + setenv + "; not tried: "
                        + changeable + " is owned by nobody, and as root check does not connect to a port another user can"
                        + " name (a JMX client reads what the port sends)");
                assertTrue(note.contains("run check as that user: sudo -u nobody java -jar <maintenance-valve.jar> check " + jira),
                        note);
                assertTrue(note.contains("name the port: java -jar <maintenance-valve.jar> check " + jira + " --jmx 127.0.0.1:"
                        + port.getLocalPort()), note);
                assertThrows(SocketTimeoutException.class, port::accept, "check did not connect");
                Files.setOwner(changeable, tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
            }
            Files.setPosixFilePermissions(setenv, PosixFilePermissions.fromString("rw-rw-r--"));
            finding(check(), "note", "not tried: " + setenv + " can be written by its group");
            Files.setPosixFilePermissions(setenv, PosixFilePermissions.fromString("rw-r--r--"));
            finding(check(), "note", "JMX: port " + port.getLocalPort() + " in " + setenv + "; something listens");
            port.accept().close();
        }
    }

    @Test
    void theJmxPortOfSetenvIsTriedAndItsValvesCounted() throws Exception {
        valveByHand("");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Files.write(jira.resolve("bin/setenv.sh"), Fixtures.bytes("CATALINA_OPTS=\"$CATALINA_OPTS -Dcom.sun.management.jmxremote.port="
                + port + " -Dcom.sun.management.jmxremote.host=127.0.0.1\"\n"
                + "  # was: -Dcom.sun.management.jmxremote.port=1\n"));
        Run down = check();
        assertVerdict(down, 0);
        assertTrue(finding(down, "note", "JMX: port " + port + " in " + jira.resolve("bin/setenv.sh"))
                .contains("nothing answers on 127.0.0.1:" + port), down.out);

        RMIServerSocketFactory loopback = p -> new ServerSocket(p, 50, InetAddress.getLoopbackAddress());
        Registry registry = LocateRegistry.createRegistry(port, null, loopback);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("Catalina:type=Valve,host=localhost,name=MaintenanceValve");
        Map<String, Object> environment = new HashMap<>();
        environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopback);
        JMXConnectorServer connector = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi"),
                environment, server);
        try {
            connector.start();
            assertTrue(finding(check(), "note", "JMX: port " + port).contains("no MaintenanceValve registered there yet"));
            server.registerMBean(new StandardMBean(new Probe(), ProbeMBean.class), name);
            Run up = check();
            assertVerdict(up, 0);
            assertTrue(finding(up, "note", "JMX: port " + port).contains("reachable at 127.0.0.1:" + port
                    + ": 1 MaintenanceValve registered"), up.out);
            assertTrue(finding(run("check", jira, "--jmx", "127.0.0.1:" + port), "note", "JMX: reachable").length() > 0);
        } finally {
            connector.stop();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    public interface ProbeMBean {
        boolean isActive();
    }

    public static final class Probe implements ProbeMBean {
        @Override
        public boolean isActive() {
            return false;
        }
    }

    // ------------------------------------------------------------ usage: exit 2

    @Test
    void badUsageIsExitCode2() {
        Object[][] bad = {
                {"check"},
                {"check", jira, "other"},
                {"check", jira, "--jmx", "nohost"},
                {"check", jira, "--user", ""},
                {"check", jira, "--bogus"},
        };
        for (Object[] args : bad) {
            Run run = run(args);
            assertEquals(2, run.code, java.util.Arrays.toString(args) + ": " + run);
            assertTrue(run.err.startsWith("maintenance-valve check: "), run.err);
        }
        Run help = run("check", "--help");
        assertEquals(0, help.code);
        assertTrue(help.out.startsWith("Usage: java -jar maintenance-valve.jar check <install-dir>"), help.out);
        Run missing = run("check", tmp.resolve("nowhere"));
        assertEquals(1, missing.code, missing.toString());
        assertTrue(missing.err.contains("does not exist"), missing.err);
    }

    // ------------------------------------------------------------ one reader of server.xml

    @Test
    void aFileInstallAcceptsIsReadTheSameByCheckAndByCatalinaBase() throws IOException {
        String withDoctype = stock.replaceFirst("<Server ", "<!DOCTYPE Server [<!ENTITY flagdir \"" + tmp + "/shared\">]>\n<Server ");
        serverXml(withDoctype);
        Files.createDirectories(tmp.resolve("shared"));
        Run install = run("install", jira, "--jar", jar, "--flag", tmp.resolve("shared/m.flag"), "--check");
        assertVerdict(install, 0);
        Files.write(tmp.resolve("shared/m.flag"), new byte[0]);
        byte[] installed = Files.readAllBytes(jira.resolve("conf/server.xml"));

        Run off = run("off", "--no-wait", "--catalina-base", jira);
        assertEquals(0, off.code, off.toString());
        assertTrue(off.out.contains("Flag file removed: " + tmp.resolve("shared/m.flag")), off.out);
        assertArrayEquals(installed, Files.readAllBytes(jira.resolve("conf/server.xml")));
    }
}
