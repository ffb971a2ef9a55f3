package org.maintenancevalve.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.maintenancevalve.cli.Main;

import javax.management.ObjectName;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The valve in Atlassian's official images, re-enacted without a Docker engine: a Tomcat laid out
 * like the image ({@link ImageLayout}), installed by the install step of the Dockerfile in
 * docs/containers.md (as written there), its server.xml rendered from a Jira-shaped or
 * Confluence-shaped Jinja2 template by Jinja2 with the container's environment, as the image's
 * entrypoint does at every start. Then: on (users 503, readiness {@code /status} 200), a restart
 * that renders server.xml again (the valve in conf/context.xml is still there and still holds),
 * off. The command line finds the valve through {@code --catalina-base} in conf/context.xml and
 * over JMX by its Context-level name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerScenarios {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String VALVE_CLASS = TomcatServer.VALVE_CLASS;

    private final String version;

    ContainerScenarios(String version) {
        this.version = version;
    }

    @Test
    void jiraHoldsAcrossARestartOfItsContainer() throws Exception {
        holdsAcrossARestart(ImageLayout.Product.JIRA, "/secure/Dashboard.jspa", List.of("/"));
    }

    @Test
    void confluenceHoldsAcrossARestartOfItsContainerInBothWebApplications() throws Exception {
        holdsAcrossARestart(ImageLayout.Product.CONFLUENCE, "/pages/viewpage.action", List.of("/", "/synchrony-proxy"));
    }

    /**
     * @param userPage a page users open (the app answers it while maintenance is off)
     * @param contexts the context paths the template deploys, each with the valve from context.xml
     */
    private void holdsAcrossARestart(ImageLayout.Product product, String userPage, List<String> contexts) throws Exception {
        ImageLayout.requireJinja2();
        Map<String, String> containerEnv = new HashMap<>();
        ImageLayout image = ImageLayout.create(version, product, containerEnv);
        containerEnv.put(product.sharedHomeVariable, image.sharedHome.toString());
        containerEnv.put("ATL_TOMCAT_ACCESS_LOG", "true");
        containerEnv.put("ATL_PROXY_NAME", product.name + ".example.com");
        Path serverXml = image.install.resolve("conf/server.xml");
        byte[] stockServerXml = Files.readAllBytes(serverXml);

        // ---- the Dockerfile's install step, as written in docs/containers.md (image build: nothing mounted)
        List<String> recipe = ContainerRecipes.installArguments(ContainerRecipes.block(product.dockerfileRecipe));
        Path flag = image.inImage(ContainerRecipes.flagArgument(recipe));
        Script installed = installScript(image, recipe);
        assertEquals(0, installed.code, installed.output);
        assertTrue(installed.output.contains("in conf/context.xml: every web application's Context gets the valve"),
                installed.output);
        assertTrue(installed.output.contains("preset: " + product.name), installed.output);
        assertTrue(installed.output.contains("at image build time nothing is mounted yet"), installed.output);
        assertTrue(installed.output.contains("Yes: a restart starts the valve"), installed.output);
        assertArrayEquals(stockServerXml, Files.readAllBytes(serverXml), "install leaves the server.xml the entrypoint renders");
        assertEquals(1, count(Files.readString(image.install.resolve("conf/context.xml")), VALVE_CLASS));

        // ---- the container starts: the shared home is mounted, the entrypoint renders server.xml
        image.mountSharedHome();
        Map<String, String> shellEnv = Map.of(product.sharedHomeVariable, image.sharedHome.toString(),
                "MAINTENANCE_IMAGE_TEMPLATE", image.template.toString());
        TomcatServer tomcat = start(image);
        String cookie;
        try {
            String rendered = Files.readString(serverXml);
            assertTrue(rendered.contains("port=\"" + tomcat.httpPort() + "\"") && rendered.contains("AccessLogValve")
                    && rendered.contains("proxyName=\"" + product.name + ".example.com\""), "rendered from the template:\n" + rendered);
            assertFalse(rendered.contains(VALVE_CLASS), "the rendered server.xml has no valve:\n" + rendered);
            assertServes(tomcat, userPage);
            for (String context : contexts) {
                // The domain is the Engine's name: Catalina in Jira's server.xml, Standalone in Confluence's.
                Set<ObjectName> names = tomcat.jmx().queryNames(
                        new ObjectName("*:type=Valve,host=localhost,context=" + context + ",name=MaintenanceValve"), null);
                assertEquals(1, names.size(), "the valve of " + context + " registered by Tomcat: " + names);
                assertEquals(flag.toString(), tomcat.jmx().getAttribute(names.iterator().next(), "flagFile"));
            }

            Cli check = cli(shellEnv, "check", image.install.toString());
            assertEquals(0, check.code, check.toString());
            String checked = check.out.replaceAll("\\s+", " ");
            assertTrue(checked.contains("in conf/context.xml (" + image.install.resolve("conf/context.xml")), check.out);
            assertTrue(checked.contains("the flag file is in the shared home (" + product.sharedHomeVariable + "="), check.out);
            assertFalse(check.out.contains("WARNING"), check.out);

            // ---- on, from the command line: it finds the flag in conf/context.xml, every web application's valve applies it
            Cli on = cli(shellEnv, "on", "--catalina-base", image.install.toString(), "--jmx", jmx(tomcat),
                    "--message", "Back soon", "--bypass");
            assertEquals(0, on.code, on.toString());
            assertTrue(Files.exists(flag), "the flag in the shared home: " + flag);
            for (String context : contexts) {
                assertTrue(on.out.contains("context=" + context + "]"), "applied in " + context + ":\n" + on);
            }
            assertHeld(tomcat, userPage, contexts);
            cookie = bypassCookie(tomcat, userPage, on.out);
            assertAdmitted(tomcat, userPage, cookie);
            Http.Response statusJson = Http.get(tomcat.httpPort(), "/maintenance-valve/status.json");
            assertEquals(200, statusJson.status(), statusJson.toString());
            assertTrue(statusJson.body().contains("\"phase\":\"on\"") && statusJson.body().contains("Back soon"),
                    "the banner's status.json under the context path: " + statusJson);
            Cli status = cli(shellEnv, "status", "--catalina-base", image.install.toString(), "--jmx", jmx(tomcat));
            assertEquals(0, status.code, status.toString());
            assertTrue(status.out.contains("flag file:    " + flag) && status.out.contains("Live (" + jmx(tomcat) + "): full"),
                    status.toString());
        } finally {
            tomcat.close();
        }

        // ---- the container restarts: the entrypoint renders server.xml again, the valve is still there and holds
        TomcatServer restarted = start(image);
        try {
            assertFalse(Files.readString(serverXml).contains(VALVE_CLASS), "server.xml rendered anew, without the valve");
            assertTrue(restarted.log().contains("MaintenanceValve watching " + flag), restarted.logTail(40));
            assertHeld(restarted, userPage, contexts);
            assertAdmitted(restarted, userPage, cookie);

            Cli off = cli(shellEnv, "off", "--catalina-base", image.install.toString(), "--jmx", jmx(restarted));
            assertEquals(0, off.code, off.toString());
            assertServes(restarted, userPage);
            for (String context : contexts.subList(1, contexts.size())) {
                assertEquals(200, Http.get(restarted.httpPort(), context + "/").status(), context + " released too");
            }
        } finally {
            restarted.close();
        }

        // ---- uninstall restores context.xml as the image shipped it
        Script removed = script(image, "uninstall.sh", List.of(image.install.toString()));
        assertEquals(0, removed.code, removed.output);
        assertArrayEquals(image.originalContextXml, Files.readAllBytes(image.install.resolve("conf/context.xml")));
        ImageLayout.deleteTree(image.root); // kept when the test fails, for its logs
    }

    private TomcatServer start(ImageLayout image) {
        return TomcatServer.builder(version).name("image-" + image.product.name)
                .prepared(image.install, (base, shutdownPort, httpPort) -> image.render(shutdownPort, httpPort))
                .start();
    }

    private static String jmx(TomcatServer tomcat) {
        return "127.0.0.1:" + tomcat.jmxPort();
    }

    private static void assertServes(TomcatServer tomcat, String userPage) {
        Http.Response page = Await.until(DEADLINE, "the app serves " + userPage,
                () -> Http.get(tomcat.httpPort(), userPage), r -> r.status() == 200);
        assertTrue(page.body().contains("ROUTING-APP"), page.toString());
    }

    /** Users get the maintenance answer in every web application; the readiness probe's /status answers 200. */
    private static void assertHeld(TomcatServer tomcat, String userPage, List<String> contexts) {
        Http.Response page = Http.get(tomcat.httpPort(), userPage, "Accept", "text/html");
        assertEquals(503, page.status(), page.toString());
        assertFalse(page.body().contains("ROUTING-APP"), page.toString());
        for (String context : contexts.subList(1, contexts.size())) {
            Http.Response other = Http.get(tomcat.httpPort(), context + "/");
            assertEquals(503, other.status(), context + ": " + other);
            assertFalse(other.body().contains("SYNCHRONY-PROXY"), other.toString());
        }
        Http.Response status = Http.get(tomcat.httpPort(), "/status");
        assertEquals(200, status.status(), "the readiness probe keeps its 200: " + status);
        assertTrue(status.body().contains("\"state\":\"RUNNING\""), status.toString());
        Http.Response head = Http.request("HEAD", tomcat.httpPort(), "/status");
        assertEquals(200, head.status(), head.toString());
    }

    /** Opens the bypass link {@code on --bypass} printed: a 303 with the cookie for the web application at /. */
    private static String bypassCookie(TomcatServer tomcat, String userPage, String onOutput) {
        Matcher link = Pattern.compile("bypass link: +/\\?maintenance-bypass=(\\S+)").matcher(onOutput);
        assertTrue(link.find(), onOutput);
        Http.Response redirect = Http.get(tomcat.httpPort(), userPage + "?maintenance-bypass=" + link.group(1));
        assertEquals(303, redirect.status(), redirect.toString());
        String setCookie = redirect.header("set-cookie");
        assertTrue(setCookie != null && setCookie.startsWith("maintenance-bypass=") && setCookie.contains("Path=/;"),
                "the cookie of the context at /: " + redirect);
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static void assertAdmitted(TomcatServer tomcat, String userPage, String cookie) {
        Http.Response admitted = Http.get(tomcat.httpPort(), userPage, "Cookie", cookie);
        assertEquals(200, admitted.status(), "the admin with the bypass cookie: " + admitted);
        assertTrue(admitted.body().contains("ROUTING-APP"), admitted.toString());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    // ------------------------------------------------------------ the command line and the scripts

    private record Cli(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    /** The jar's command line in this JVM, with the environment of a shell in the container. */
    private static Cli cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true), new PrintStream(err, true), env);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Script(int code, String output) {
    }

    /** install.sh with the recipe's arguments, each absolute path taken inside the image's layout. */
    private static Script installScript(ImageLayout image, List<String> recipe) throws Exception {
        List<String> arguments = new ArrayList<>();
        for (String argument : recipe) {
            arguments.add(argument.startsWith("/") ? image.inImage(argument).toString() : argument);
        }
        return script(image, "install.sh", arguments);
    }

    /** {@code bash install/<name> <args>} from the checkout, as root would run it in the image. */
    private static Script script(ImageLayout image, String name, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Paths.get("install", name).toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("MAINTENANCE_IMAGE_TEMPLATE", image.template.toString());
        builder.environment().remove("CATALINA_HOME");
        builder.environment().remove("CATALINA_BASE");
        for (ImageLayout.Product product : ImageLayout.Product.values()) {
            builder.environment().remove(product.sharedHomeVariable);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " ends");
        return new Script(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
