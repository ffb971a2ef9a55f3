package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.maintenancevalve.config.Version;
import org.maintenancevalve.it.ContainerRecipes;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipes of docs/containers.md fit together, read from the page itself (no Docker engine and
 * no Kubernetes run here): the Dockerfiles install the jar this build makes with the flag in the
 * shared home, and the Helm values and the compose file put the jar into each product's Tomcat
 * {@code lib/}, conf/context.xml into {@code conf/}, and the shared home at the flag's directory,
 * by the mount rules of Atlassian's charts (atlassian/data-center-helm-charts, templates
 * {@code statefulset.yaml} and {@code _helpers.tpl}):
 * <ul>
 * <li>{@code jira.additionalLibraries}: the volume's {@code <subDirectory>/<fileName>} at
 *     {@code /opt/atlassian/jira/lib/<fileName>};</li>
 * <li>{@code confluence.additionalLibraries}: at {@code /opt/atlassian/confluence/confluence/WEB-INF/lib/<fileName>},
 *     the web application's lib, where Tomcat does not look for a valve;</li>
 * <li>{@code confluence.additionalVolumeMounts}: Kubernetes volumeMounts as written;</li>
 * <li>{@code additionalFiles}: the ConfigMap's (or Secret's) {@code key} at {@code <mountPath>/<key>};</li>
 * <li>the shared-home volume is named {@code shared-home} and mounted at
 *     {@code volumes.sharedHome.mountPath}; the charts set {@code JIRA_SHARED_HOME} (Jira) and
 *     {@code ATL_PRODUCT_HOME_SHARED} (Confluence) to it.</li>
 * </ul>
 */
class ContainerRecipesTest {

    /** The name of the charts' shared-home volume. */
    private static final String SHARED_HOME_VOLUME = "shared-home";

    private static final String JAR = "maintenance-valve-" + Version.current() + ".jar";

    private static Object yaml(String recipe) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(ContainerRecipes.block(recipe));
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object node, String... path) {
        Object here = node;
        for (String key : path) {
            if (here instanceof List) {
                here = ((List<Object>) here).get(Integer.parseInt(key));
            } else {
                assertTrue(here instanceof Map, "no " + key + " in " + here);
                here = ((Map<String, Object>) here).get(key);
            }
        }
        return here;
    }

    private static String text(Object node, String... path) {
        Object value = at(node, path);
        assertNotNull(value, String.join(".", path) + " is missing");
        return String.valueOf(value);
    }

    /** The flag file a product's Dockerfile installs with; checked to be in the shared home. */
    private static String flagOf(String product) {
        String dockerfile = ContainerRecipes.block(product + "-dockerfile");
        List<String> install = ContainerRecipes.installArguments(dockerfile);
        assertEquals("/opt/atlassian/" + product, install.get(0), "installs into the image's installation directory");
        assertTrue(install.contains("--context-xml") && install.contains("--image-build"), install.toString());
        String flag = ContainerRecipes.flagArgument(install);
        assertEquals(OfficialImage.SHARED_HOME + "/maintenance.flag", flag, "the flag in the charts' shared home");
        return flag;
    }

    private static String flagDirectory(String product) {
        String flag = flagOf(product);
        return flag.substring(0, flag.lastIndexOf('/'));
    }

    // ------------------------------------------------------------ Dockerfiles

    @Test
    void theDockerfilesInstallThisReleaseFromTheArchiveAndKeepNoArchive() {
        for (String product : new String[] {"jira", "confluence"}) {
            String dockerfile = ContainerRecipes.block(product + "-dockerfile");
            String image = product.equals("jira") ? "atlassian/jira-software" : "atlassian/confluence";
            assertTrue(dockerfile.contains("\nFROM " + image + ":${"), product + " builds on the official image:\n" + dockerfile);
            assertTrue(dockerfile.contains("ARG MV=maintenance-valve-" + Version.current() + "\n"), "this release: " + dockerfile);
            assertTrue(dockerfile.contains("tar -xzf /tmp/mv-src/${MV}.tar.gz --no-same-owner"), dockerfile);
            assertTrue(dockerfile.contains("(cd ${MV} && sha256sum -c SHA256SUMS)"), dockerfile);
            assertTrue(dockerfile.contains("RUN --mount=type=bind,target=/tmp/mv-src"), "the archive is mounted, not copied");
            assertFalse(dockerfile.matches("(?s).*\\n(COPY|ADD) .*"), "no COPY or ADD leaves the archive in a layer");
            assertTrue(dockerfile.contains("rm -rf /tmp/${MV}"), "the unpacked release is removed");
            assertTrue(dockerfile.contains("set -e;"), "a failing step (check says No) fails the build");
            flagOf(product);
        }
    }

    // ------------------------------------------------------------ compose

    @Test
    void theComposeNodesMountOneSharedHomeAtTheFlagsDirectoryAndNameIt() {
        Object compose = yaml("jira-compose");
        String shared = flagDirectory("jira");
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) at(compose, "services");
        assertTrue(services.size() >= 2, "two nodes: " + services.keySet());
        for (String service : services.keySet()) {
            assertEquals(shared, text(compose, "services", service, "environment", "JIRA_SHARED_HOME"), service);
            @SuppressWarnings("unchecked")
            List<String> volumes = (List<String>) at(compose, "services", service, "volumes");
            assertTrue(volumes.contains("shared-home:" + shared), service + " mounts the one shared volume there: " + volumes);
        }
        assertTrue(((Map<?, ?>) at(compose, "volumes")).containsKey("shared-home"));
    }

    // ------------------------------------------------------------ Helm

    @Test
    void jiraHelmValuesPutTheJarIntoJirasLibAndContextXmlIntoConf() {
        Object values = yaml("jira-helm-values");
        String library = "/opt/atlassian/jira/lib/" + text(values, "jira", "additionalLibraries", "0", "fileName");
        assertEquals("/opt/atlassian/jira/lib/" + JAR, library, "the jar this release builds, in Tomcat's lib/");
        assertEquals(SHARED_HOME_VOLUME, text(values, "jira", "additionalLibraries", "0", "volumeName"));
        String inVolume = text(values, "jira", "additionalLibraries", "0", "subDirectory") + "/" + JAR;
        assertTheJarIsPutThere(inVolume);
        assertContextXmlMountedAt(values, "/opt/atlassian/jira/conf/context.xml");
        assertSharedHome(values, "jira");
    }

    @Test
    void confluenceHelmValuesPutTheJarIntoTomcatsLibNotTheWebApplications() {
        Object values = yaml("confluence-helm-values");
        assertNull(at(values, "confluence", "additionalLibraries"),
                "confluence.additionalLibraries mounts into confluence/WEB-INF/lib, where Tomcat finds no valve");
        assertEquals(SHARED_HOME_VOLUME, text(values, "confluence", "additionalVolumeMounts", "0", "name"));
        assertEquals("/opt/atlassian/confluence/lib/" + JAR, text(values, "confluence", "additionalVolumeMounts", "0", "mountPath"));
        assertTheJarIsPutThere(text(values, "confluence", "additionalVolumeMounts", "0", "subPath"));
        assertContextXmlMountedAt(values, "/opt/atlassian/confluence/conf/context.xml");
        assertSharedHome(values, "confluence");
    }

    @Test
    void theDerivedImageValuesGiveTheSharedHomeAVolumeNotAnEmptyDir() {
        Object values = yaml("jira-helm-values-image");
        assertTrue(text(values, "image", "repository").contains("/"), "your registry's image");
        assertNotNull(at(values, "image", "tag"));
        assertSharedHome(values, "jira");
        assertNull(at(values, "jira"), "the image holds the jar and context.xml: no mounts for them");
    }

    @Test
    void theContextXmlOfTheHelmRecipeIsMadeByTheDockerfilesInstallStepAndBecomesTheConfigMap() {
        String recipe = ContainerRecipes.block("helm-context-xml");
        assertEquals(ContainerRecipes.installArguments(ContainerRecipes.block("jira-dockerfile")),
                ContainerRecipes.installArguments(recipe), "the same install step as the Dockerfile's");
        assertTrue(recipe.contains("tar -xzf /in/maintenance-valve-" + Version.current() + ".tar.gz --no-same-owner"), recipe);
        assertTrue(recipe.contains("sha256sum -c SHA256SUMS"), recipe);
        assertTrue(recipe.contains("cat /opt/atlassian/jira/conf/context.xml' > context.xml"), recipe);
        Object values = yaml("jira-helm-values");
        assertTrue(recipe.contains("kubectl create configmap " + text(values, "additionalFiles", "0", "name")
                + " --from-file=context.xml\n") || recipe.endsWith("kubectl create configmap "
                + text(values, "additionalFiles", "0", "name") + " --from-file=context.xml"), recipe);
    }

    /** The kubectl step copies the jar to where the values take it from, in the shared home. */
    private static void assertTheJarIsPutThere(String inVolume) {
        String copy = ContainerRecipes.block("helm-jar-into-shared-home");
        String directory = OfficialImage.SHARED_HOME + "/" + inVolume.substring(0, inVolume.lastIndexOf('/'));
        assertTrue(copy.contains("mkdir -p " + directory + "\n"), copy);
        assertTrue(copy.contains("kubectl cp " + JAR + " jira-0:" + directory + "/"), copy);
    }

    /** additionalFiles mounts the ConfigMap's key at {@code <mountPath>/<key>}. */
    private static void assertContextXmlMountedAt(Object values, String file) {
        assertEquals("configMap", text(values, "additionalFiles", "0", "type"));
        assertEquals("context.xml", text(values, "additionalFiles", "0", "key"));
        assertEquals(file, text(values, "additionalFiles", "0", "mountPath") + "/" + text(values, "additionalFiles", "0", "key"));
    }

    /** The shared home on a persistent volume (not the chart's emptyDir), mounted at the flag's directory. */
    private static void assertSharedHome(Object values, String product) {
        assertEquals(flagDirectory(product), text(values, "volumes", "sharedHome", "mountPath"));
        assertEquals(Boolean.TRUE, at(values, "volumes", "sharedHome", "persistentVolumeClaim", "create"),
                "a volume, not an emptyDir per pod");
    }
}
