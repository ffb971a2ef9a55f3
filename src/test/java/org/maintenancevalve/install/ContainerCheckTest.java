package org.maintenancevalve.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maintenancevalve.cli.Main;
import org.maintenancevalve.install.InstallCommandTest.Run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.maintenancevalve.install.CheckCommandTest.finding;

/**
 * {@code check} on the container form: it finds the Valve in conf/context.xml and checks it as
 * one in server.xml, and reports what matters in a container, never guessing a location: a
 * relative flag (each container has its own), a flag outside the shared home the environment
 * names, a relative shared-home variable, a flag directory not mounted (a note during an image
 * build), a Valve in both files, a Valve in the server.xml an image's entrypoint rewrites.
 */
class ContainerCheckTest {

    private static final String YES = "Yes: a restart starts the valve";

    @TempDir
    Path tmp;

    private Path jira;
    private Path shared;
    private Path jar;
    private String contextXml;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void layOutAJiraAsInTheImage() throws IOException {
        jira = Fixtures.tomcat(tmp.resolve("opt/atlassian/jira"), "9.0.117", Fixtures.resource("jira-server.xml"));
        contextXml = Fixtures.text(Fixtures.resource("tomcat-9.0.117-context.xml"));
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes(contextXml));
        Files.createDirectories(jira.resolve("atlassian-jira/WEB-INF"));
        Files.createDirectories(jira.resolve("logs"));
        shared = Files.createDirectories(tmp.resolve("var/atlassian/application-data/shared-home"));
        jar = Fixtures.valveJar(tmp.resolve("dist/maintenance-valve-0.2.0.jar"), "build 0.2.0");
        env.put(OfficialImage.TEMPLATE_VARIABLE, tmp.resolve("opt/atlassian/etc/server.xml.j2").toString());
    }

    private Run run(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] strings = Stream.of(args).map(String::valueOf).toArray(String[]::new);
        int code = Main.run(strings, new PrintStream(out, true), new PrintStream(err, true), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run check(Object... options) {
        Object[] args = new Object[options.length + 2];
        args[0] = "check";
        args[1] = jira;
        System.arraycopy(options, 0, args, 2, options.length);
        return run(args);
    }

    private void install(Object... options) {
        Object[] args = new Object[options.length + 4];
        args[0] = "install";
        args[1] = jira;
        args[2] = "--jar";
        args[3] = jar;
        System.arraycopy(options, 0, args, 4, options.length);
        Run install = run(args);
        assertEquals(0, install.code, install.toString());
    }

    private void theImagesTemplateIsThere() throws IOException {
        Path template = tmp.resolve("opt/atlassian/etc/server.xml.j2");
        Files.createDirectories(template.getParent());
        Files.write(template, Fixtures.bytes("<Server/>\n"));
    }

    @Test
    void theValveInContextXmlIsFoundAndCheckedLikeOneInServerXml() {
        install("--context-xml", "--flag", shared.resolve("maintenance.flag"), "--admin-port", "8080");
        env.put("JIRA_SHARED_HOME", shared.toString());
        Run check = check();
        assertEquals(0, check.code, check.toString());
        assertTrue(check.out.contains(YES), check.toString());
        finding(check, "ok", "in conf/context.xml (" + jira.resolve("conf/context.xml")
                + ", 1 MaintenanceValve): every web application's Context gets it");
        finding(check, "ok", "every attribute is one the valve takes");
        finding(check, "ok", "the flag file is in the shared home (JIRA_SHARED_HOME=" + shared + "): every node that mounts "
                + "it sees the same flag");
        finding(check, "ok", "the valve's jar, once");
        assertFalse(check.out.contains("no <Connector port=\"8080\">"), "adminPort is checked against server.xml's "
                + "Connectors:\n" + check.out);
        assertFalse(check.out.contains("WARNING"), check.out);
    }

    @Test
    void anAttributeTheValveRefusesInContextXmlIsAProblemNamingThatFile() throws IOException {
        install("--context-xml", "--flag", shared.resolve("maintenance.flag"));
        Path file = jira.resolve("conf/context.xml");
        Files.write(file, Fixtures.bytes(Fixtures.text(Files.readAllBytes(file)).replace("preset=\"jira\"", "preset=\"jira\" pollInterval=\"1\"")));
        Run check = check();
        assertEquals(1, check.code, check.toString());
        finding(check, "PROBLEM", "correct it in " + file);
    }

    @Test
    void aAdminPortWithoutAConnectorInServerXmlIsStillFound() {
        install("--context-xml", "--flag", shared.resolve("maintenance.flag"), "--admin-port", "8099");
        Run check = check();
        finding(check, "WARNING", "adminPort 8099: no <Connector port=\"8099\">");
    }

    @Test
    void aRelativeFlagInAContainerIsAWarning() {
        install("--context-xml");
        env.put("JIRA_SHARED_HOME", shared.toString());
        Run check = check();
        assertEquals(0, check.code, check.toString());
        String warning = finding(check, "WARNING", "the flag file is a relative path, resolved against catalina.base " + jira);
        assertTrue(warning.contains("every container (pod) has its own flag"), warning);
        assertTrue(warning.contains("--flag " + shared + "/maintenance.flag"), "the fix names the shared home: " + warning);
        assertFalse(check.out.contains("is not in the shared home"), "said once:\n" + check.out);
    }

    @Test
    void aRelativeFlagOnAVmIsNoWarning() {
        install("--context-xml");
        Run check = check();
        assertFalse(check.out.contains("relative path"), check.out);
    }

    @Test
    void aFlagOutsideTheSharedHomeTheEnvironmentNamesIsAWarning() throws IOException {
        Path local = Files.createDirectories(tmp.resolve("var/atlassian/application-data/confluence"));
        install("--context-xml", "--flag", local.resolve("maintenance.flag"));
        env.put("ATL_PRODUCT_HOME_SHARED", shared.toString());
        Run check = check();
        String warning = finding(check, "WARNING", "the flag file " + local.resolve("maintenance.flag")
                + " is not in the shared home ATL_PRODUCT_HOME_SHARED=" + shared + ": the other nodes do not see it");
        assertTrue(warning.contains("--flag " + shared.resolve("maintenance.flag")), warning);
    }

    @Test
    void aRelativeSharedHomeVariableIsAWarningAndNotGuessed() {
        install("--context-xml", "--flag", shared.resolve("maintenance.flag"));
        env.put("CONFLUENCE_SHARED_HOME", "shared-home");
        Run check = check();
        finding(check, "WARNING", "CONFLUENCE_SHARED_HOME=\"shared-home\" is not an absolute path: what it is relative to "
                + "depends on who reads it, so check does not guess where the shared home is");
        assertFalse(check.out.contains("is in the shared home"), check.out);
    }

    @Test
    void aFlagDirectoryNotMountedIsAWarningInAContainerAndANoteDuringAnImageBuild() throws IOException {
        Files.delete(shared);
        install("--context-xml", "--flag", shared.resolve("maintenance.flag"));
        theImagesTemplateIsThere();

        Run build = check("--image-build");
        assertEquals(0, build.code, build.toString());
        finding(build, "note", "the flag file's directory " + shared + " does not exist now: at image build time nothing is "
                + "mounted yet");
        assertFalse(build.out.contains("WARNING"), build.out);

        Run running = check();
        String warning = finding(running, "WARNING", "the flag file's directory " + shared + " does not exist: the shared home "
                + "is not mounted there");
        assertTrue(warning.contains("mount the shared volume at " + shared), warning);
        assertFalse(Files.exists(shared), "check creates nothing");

        env.remove(OfficialImage.TEMPLATE_VARIABLE);
        env.put(OfficialImage.TEMPLATE_VARIABLE, tmp.resolve("nowhere.j2").toString());
        Run vm = check();
        String onAVm = finding(vm, "WARNING", "the flag file's directory " + shared + " does not exist: maintenance cannot "
                + "be turned on until it does");
        assertTrue(onAVm.contains("mkdir -p " + shared), onAVm);
    }

    @Test
    void installRunInADockerfileEndsWithTheNoteNotAWarning() throws IOException {
        Files.delete(shared);
        Run install = run("install", jira, "--jar", jar, "--context-xml", "--flag", shared.resolve("maintenance.flag"),
                "--image-build", "--check");
        assertEquals(0, install.code, install.toString());
        assertTrue(install.out.contains("Containers started from this image load the valve. Mount the shared home at"),
                install.out);
        assertFalse(install.out.contains("does not exist yet; create it"), install.out);
        finding(install, "note", "at image build time nothing is mounted yet");
    }

    @Test
    void aValveInBothFilesIsAWarning() throws IOException {
        install("--server-xml", "--flag", shared.resolve("maintenance.flag"));
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes(contextXml.replace("<Context>",
                "<Context>\n    <Valve className=\"" + Fixtures.VALVE + "\" flagFile=\"" + shared.resolve("other.flag") + "\"/>")));
        Run check = check();
        finding(check, "WARNING", "a MaintenanceValve in both server.xml and conf/context.xml: every request passes two gates");
        finding(check, "note", "the flag file is " + shared.resolve("other.flag") + " (the MaintenanceValve in conf/context.xml)");
    }

    @Test
    void aValveInTheServerXmlOfAnImageIsAWarning() throws IOException {
        install("--server-xml", "--flag", shared.resolve("maintenance.flag"));
        theImagesTemplateIsThere();
        Run check = check();
        String warning = finding(check, "WARNING", "this is an official Atlassian image: its entrypoint rewrites "
                + jira.resolve("conf/server.xml"));
        assertTrue(warning.contains("install/install.sh " + jira + " --context-xml"), warning);
    }

    @Test
    void aContextThatIgnoresContextXmlIsAWarning() throws IOException {
        install("--context-xml", "--flag", shared.resolve("maintenance.flag"));
        Path serverXml = jira.resolve("conf/server.xml");
        String stock = Fixtures.text(Files.readAllBytes(serverXml));
        assertTrue(stock.contains("<Context path=\"\""), stock);
        Files.write(serverXml, Fixtures.bytes(stock.replace("<Context path=\"\"", "<Context override=\"true\" path=\"\"")));
        Run check = check();
        finding(check, "WARNING", "<Context path=\"\" override=\"true\"> in " + serverXml + " ignores conf/context.xml: that "
                + "web application gets no MaintenanceValve");
    }

    @Test
    void aContextXmlTomcatsUserCannotReadIsAProblem() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to check for another user");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        install("--context-xml", "--flag", shared.resolve("maintenance.flag"));
        Path contextXml = jira.resolve("conf/context.xml");
        Files.setPosixFilePermissions(contextXml, PosixFilePermissions.fromString("rw-------"));
        Run check = check("--user", "nobody");
        assertEquals(1, check.code, check.toString());
        finding(check, "PROBLEM", "nobody cannot read " + contextXml);
        finding(check, "PROBLEM", "Tomcat cannot read the defaults of every web application's Context");
    }

    @Test
    void aContextXmlThatIsNotWellFormedIsAProblem() throws IOException {
        install("--server-xml", "--flag", shared.resolve("maintenance.flag"));
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes("<Context><x></Context>"));
        Run check = check();
        assertEquals(1, check.code, check.toString());
        finding(check, "PROBLEM", jira.resolve("conf/context.xml") + " is not well-formed XML");
    }

    @Test
    void aValveNestedDeeperInContextXmlIsNotLoaded() throws IOException {
        Files.write(jira.resolve("conf/context.xml"), Fixtures.bytes(contextXml.replace("<Context>",
                "<Context>\n    <Loader>\n      <Valve className=\"" + Fixtures.VALVE + "\"/>\n    </Loader>")));
        Files.copy(jar, jira.resolve("lib/maintenance-valve-0.2.0.jar"));
        Run check = check();
        assertEquals(1, check.code, check.toString());
        finding(check, "PROBLEM", "(Context/Loader/Valve) is in no Engine, Host or Context");
    }
}
