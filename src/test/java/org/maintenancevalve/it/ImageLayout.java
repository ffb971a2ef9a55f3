package org.maintenancevalve.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Tomcat distribution laid out the way Atlassian's official images lay out Jira or
 * Confluence, under a directory that stands for the image's {@code /}: the installation
 * directory {@code opt/atlassian/<product>} (CATALINA_HOME and CATALINA_BASE at once, the web
 * application beside {@code conf/}, {@code webapps/} empty), the server.xml template at
 * {@code opt/atlassian/etc/server.xml.j2}, and the shared home's mount point
 * {@code var/atlassian/application-data/shared-home} (or a directory shared by several layouts,
 * their common volume), which exists only once {@link #mountSharedHome} "mounts" it.
 * {@link #render} does what the images' entrypoint does at every start.
 */
public final class ImageLayout {

    /** The interpreter with Debian's python3-jinja2 (the default python3 may be another one). */
    static final String PYTHON = "/usr/bin/python3";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** What differs between the two products' images. */
    public enum Product {
        JIRA("jira", "atlassian-jira", "JIRA_SHARED_HOME", "jira-dockerfile"),
        CONFLUENCE("confluence", "confluence", "ATL_PRODUCT_HOME_SHARED", "confluence-dockerfile");

        /** {@code /opt/atlassian/<name>}, the template's directory under src/test/resources/containers. */
        public final String name;
        /** The web application's directory in the installation directory. */
        public final String webapp;
        /** The variable naming the shared home in the image (what Atlassian's chart sets). */
        public final String sharedHomeVariable;
        /** The Dockerfile recipe in docs/containers.md. */
        public final String dockerfileRecipe;

        Product(String name, String webapp, String sharedHomeVariable, String dockerfileRecipe) {
            this.name = name;
            this.webapp = webapp;
            this.sharedHomeVariable = sharedHomeVariable;
            this.dockerfileRecipe = dockerfileRecipe;
        }
    }

    public final Product product;
    /** Stands for the image's {@code /}. */
    public final Path root;
    /** {@code /opt/atlassian/<product>}: CATALINA_HOME and CATALINA_BASE. */
    public final Path install;
    /** {@code /opt/atlassian/etc/server.xml.j2}. */
    public final Path template;
    /** {@code /var/atlassian/application-data/shared-home}. */
    public final Path sharedHome;
    /** conf/context.xml as the image ships it. */
    public final byte[] originalContextXml;
    /** The variables of the container (besides the ports of each start), as the entrypoint sees them. */
    private final Map<String, String> environment;

    /** Where the images' shared home is mounted (the path of Atlassian's Helm charts). */
    public static final String SHARED_HOME = "/var/atlassian/application-data/shared-home";

    private ImageLayout(Product product, Path root, Path sharedHome, Map<String, String> environment) throws IOException {
        this.product = product;
        this.root = root;
        this.sharedHome = sharedHome != null ? sharedHome.toAbsolutePath() : root.resolve(SHARED_HOME.substring(1));
        this.install = inImage("/opt/atlassian/" + product.name);
        this.template = inImage("/opt/atlassian/etc/server.xml.j2");
        this.originalContextXml = Files.readAllBytes(install.resolve("conf/context.xml"));
        this.environment = environment;
    }

    /**
     * Lays out Tomcat {@code version} as {@code product}'s image, with the routing app (and, for
     * Confluence, a stand-in synchrony-proxy) as the web application.
     *
     * @param environment the container's variables the template reads (besides the ports)
     */
    public static ImageLayout create(String version, Product product, Map<String, String> environment) throws Exception {
        return create(version, product, environment, null);
    }

    /**
     * As {@link #create(String, Product, Map)}, with the shared home at {@code sharedHome}: two
     * layouts given the same directory are two "pods" mounting one volume, their flag files the
     * same path.
     */
    public static ImageLayout create(String version, Product product, Map<String, String> environment, Path sharedHome)
            throws Exception {
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath();
        Path root = work.resolve("image-" + product.name + "-" + version + "-" + COUNTER.incrementAndGet());
        if (Files.exists(root)) {
            deleteTree(root);
        }
        Path install = root.resolve("opt/atlassian").resolve(product.name);
        copyTree(TomcatServer.homeOf(version), install, relative -> !relative.startsWith("webapps/") && !relative.startsWith("logs/"));
        Files.createDirectories(install.resolve("webapps"));
        Files.createDirectories(install.resolve("logs"));
        Path app = install.resolve(product.webapp);
        copyTree(TomcatServer.appDir("routing-app"), app, relative -> true);
        Path lib = Files.createDirectories(app.resolve("WEB-INF/lib"));
        Path filter = RoutingScenarios.urlRewriteFilterJar(version);
        Files.copy(filter, lib.resolve(filter.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        if (product == Product.CONFLUENCE) {
            copyTree(TomcatServer.appDir("synchrony-proxy-app"), install.resolve("synchrony-proxy"), relative -> true);
        }
        Path template = Files.createDirectories(root.resolve("opt/atlassian/etc")).resolve("server.xml.j2");
        Files.copy(resource("containers/" + product.name + "/server.xml.j2"), template);
        return new ImageLayout(product, root, sharedHome, environment);
    }

    /** Where an absolute path of the image is in this layout (the shared home's, in its volume). */
    public Path inImage(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolute);
        }
        if (absolute.equals(SHARED_HOME) || absolute.startsWith(SHARED_HOME + "/")) {
            return sharedHome.resolve(absolute.substring(SHARED_HOME.length()).replaceFirst("^/", ""));
        }
        return root.resolve(absolute.substring(1));
    }

    /** The shared volume is mounted: its mount point exists (empty, as a fresh volume). */
    public void mountSharedHome() throws IOException {
        Files.createDirectories(sharedHome);
    }

    /**
     * What the images' entrypoint does at every start: renders the template with the container's
     * environment (lower-cased) and overwrites conf/server.xml. The ports of this start are the
     * variables the template reads: {@code ATL_TOMCAT_PORT}, {@code ATL_TOMCAT_MGMT_PORT}.
     */
    public void render(int shutdownPort, int httpPort) throws IOException {
        List<String> command = List.of(PYTHON, resource("containers/render.py").toString(),
                template.getParent().toString(), template.getFileName().toString(),
                install.resolve("conf/server.xml").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("ATL_TOMCAT_PORT", String.valueOf(httpPort));
        builder.environment().put("ATL_TOMCAT_MGMT_PORT", String.valueOf(shutdownPort));
        builder.environment().put("ATL_TOMCAT_ADDRESS", "127.0.0.1");
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError("rendering " + template + " failed: " + command + "\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + template, e);
        }
    }

    /**
     * Skips the test when Debian's python3-jinja2 is missing, with a message; under {@code CI=true}
     * it fails instead ({@code .ci/run} installs it).
     */
    public static void requireJinja2() {
        String problem = null;
        try {
            Process process = new ProcessBuilder(PYTHON, "-c", "import jinja2").redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                problem = PYTHON + " cannot import jinja2: " + output.trim();
            }
        } catch (IOException e) {
            problem = "no " + PYTHON + " (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        if (problem == null) {
            return;
        }
        String message = "the container tests render the images' server.xml template with Jinja2, as their entrypoint "
                + "does, and need Debian's python3-jinja2 (apt-get install python3-jinja2): " + problem;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (.ci/run installs it)");
        }
        System.out.println("[Jinja2] SKIPPED: " + message);
        Assumptions.abort(message);
    }

    static Path resource(String name) {
        try {
            return Paths.get(ImageLayout.class.getResource("/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("no test resource " + name, e);
        }
    }

    private interface PathFilter {
        boolean accept(String relative);
    }

    private static void copyTree(Path from, Path to, PathFilter filter) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                String relative = from.relativize(source).toString().replace('\\', '/');
                if (!relative.isEmpty() && !filter.accept(Files.isDirectory(source) ? relative + "/" : relative)) {
                    continue;
                }
                Path target = to.resolve(relative);
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    public static void deleteTree(Path root) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.forEach(all::add);
        }
        Collections.reverse(all);
        for (Path path : all) {
            Files.delete(path);
        }
    }
}
