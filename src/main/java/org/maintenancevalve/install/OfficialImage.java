package org.maintenancevalve.install;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Atlassian's official images (atlassian/jira-software, atlassian/confluence): their entrypoint
 * renders {@code conf/server.xml} from a Jinja2 template at every container start, overwriting
 * it, and never touches {@code conf/context.xml}. Told apart by that template.
 */
final class OfficialImage {

    /** The template the images' entrypoint renders conf/server.xml from. */
    static final String TEMPLATE = "/opt/atlassian/etc/server.xml.j2";

    /** Names another template path to look for (tests; an image that keeps it elsewhere). */
    static final String TEMPLATE_VARIABLE = "MAINTENANCE_IMAGE_TEMPLATE";

    /**
     * The variables the images and Atlassian's Helm charts name the shared home with: Jira's
     * {@code JIRA_SHARED_HOME}, Confluence's {@code ATL_PRODUCT_HOME_SHARED} (what the chart sets)
     * and {@code CONFLUENCE_SHARED_HOME}.
     */
    static final List<String> SHARED_HOME_VARIABLES = Collections.unmodifiableList(Arrays.asList(
            "JIRA_SHARED_HOME", "ATL_PRODUCT_HOME_SHARED", "CONFLUENCE_SHARED_HOME"));

    /**
     * Where Atlassian's Helm charts mount the shared home ({@code volumes.sharedHome.mountPath});
     * docs/containers.md mounts it there for Docker too. Named in advice only: install and check
     * never pick a flag location.
     */
    static final String SHARED_HOME = "/var/atlassian/application-data/shared-home";

    private OfficialImage() {
    }

    /** The template to look for: {@value #TEMPLATE}, or {@code $MAINTENANCE_IMAGE_TEMPLATE}. */
    static Path template(Map<String, String> env) {
        String given = env.get(TEMPLATE_VARIABLE);
        try {
            return Paths.get(given == null || given.trim().isEmpty() ? TEMPLATE : given.trim());
        } catch (InvalidPathException e) {
            return Paths.get(TEMPLATE);
        }
    }

    /** Whether this runs in (or builds) an official image: its server.xml template is there. */
    static boolean isHere(Map<String, String> env) {
        return Files.isRegularFile(template(env));
    }

    /** Why install chooses conf/context.xml there, in one line. */
    static String why(Map<String, String> env) {
        return "an official Atlassian image (" + template(env) + "): its entrypoint rewrites conf/server.xml from that "
                + "template at every start, never conf/context.xml";
    }
}
