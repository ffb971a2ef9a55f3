package org.maintenancevalve.install;

import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.config.AjpAdminPort;
import org.maintenancevalve.config.ValveAttributes;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the admin does after install or uninstall: restart once, then toggle with the flag file. */
final class NextSteps {

    private NextSteps() {
    }

    /** The absolute flag file a Valve with these attributes watches. */
    static Path flagFile(TomcatLayout layout, Map<String, String> valveAttributes) {
        String flag = TomcatProperties.of(layout.base, layout.home).expand(valveAttributes.get("flagFile"));
        return ValveAttributes.flagFile(flag, layout.base);
    }

    /**
     * @param connectors the Connectors beside the Valve, for a note on an {@code adminPort} without
     *                   one or on an AJP one; null for no notes ({@code check} follows)
     * @param imageBuild whether install ran as a step of an image build: containers start it
     */
    static void afterInstall(TomcatLayout layout, Product product, Map<String, String> valve, boolean changed,
                             List<ServerXmlDom.FoundConnector> connectors, boolean imageBuild, PrintStream out) {
        Path flag = flagFile(layout, valve);
        String poll = valve.get("pollInterval");
        out.println();
        out.println("Next steps:");
        if (imageBuild) {
            out.println("  1. Containers started from this image load the valve. Mount the shared home at");
            out.println("     " + flag.getParent() + " in every container (docs/containers.md).");
        } else if (changed) {
            // A new jar (an upgrade) or new options are loaded only by a restart.
            out.println("  1. Restart Tomcat once, so that it loads the valve as installed now:");
        } else {
            out.println("  1. Nothing changed: if Tomcat was restarted since this jar and these options were");
            out.println("     installed, it runs them already; otherwise restart it once:");
        }
        if (!imageBuild) {
            out.println("       " + restart(layout, product));
        }
        out.println("  2. Then maintenance follows the flag file " + flag + ":");
        out.println("       on:                 touch " + flag);
        out.println("       off:                rm " + flag);
        out.println("       on, with a message: echo '{\"message\":\"Back at 15:00\"}' > " + flag);
        out.println("     The valve looks at it every " + (poll == null ? "1000" : poll) + " ms; the user Tomcat runs as must be");
        out.println("     able to read it.");
        if (connectors != null) {
            if (!imageBuild && !Files.isDirectory(flag.getParent())) {
                out.println("  Note: " + flag.getParent() + " does not exist yet; create it before you touch the flag.");
            }
            for (String port : AccessConfig.split(valve.get("adminPort"))) {
                ServerXmlDom.FoundConnector connector = null;
                for (ServerXmlDom.FoundConnector c : connectors) {
                    connector = c.port.equals(port) ? c : connector;
                }
                if (connector == null) {
                    out.println("  Note: adminPort " + port + " has no <Connector port=\"" + port + "\"> in server.xml yet;"
                            + " add one (bound to 127.0.0.1) or nobody arrives on it.");
                } else if (ServerXmlDom.FoundConnector.isAjp(connector.protocol) && port.matches("[0-9]{1,5}")) {
                    out.println("  Note: " + AjpAdminPort.problem(Integer.parseInt(port)) + "; " + AjpAdminPort.FIX + ".");
                }
            }
        }
        if (Files.exists(flag)) {
            out.println("  Note: the flag file exists now, so users are held out as soon as Tomcat has restarted.");
        }
        if (connectors != null) {
            out.println("  Before the restart, check what it will load: java -jar <maintenance-valve.jar> check "
                    + layout.base);
        }
        out.println("  To undo: install/uninstall.sh " + layout.base);
    }

    static void afterUninstall(TomcatLayout layout, Product product, boolean changed, Path flag, PrintStream out) {
        if (Files.exists(flag)) {
            out.println();
            out.println("The flag file " + flag + " exists: after the restart nothing will hold users out any more.");
            out.println("Delete it when you no longer need it.");
        }
        if (changed) {
            out.println();
            out.println("Next step: restart Tomcat once, so that it unloads the valve:");
            out.println("  " + restart(layout, product));
        }
    }

    /** How this install is restarted: Jira's and Confluence's own scripts, else Tomcat's. */
    static String restart(TomcatLayout layout, Product product) {
        Path home = layout.home != null ? layout.home : layout.base;
        Path bin = home.resolve("bin");
        String prefix = layout.home != null && !layout.home.equals(layout.base) ? "CATALINA_BASE=" + layout.base + " " : "";
        String name = product == Product.JIRA ? "jira" : product == Product.CONFLUENCE ? "confluence" : null;
        if (name != null && Files.exists(bin.resolve("stop-" + name + ".sh"))) {
            return bin.resolve("stop-" + name + ".sh") + " && " + bin.resolve("start-" + name + ".sh")
                    + "   (or your service manager)";
        }
        return prefix + bin.resolve("shutdown.sh") + " && " + prefix + bin.resolve("startup.sh")
                + "   (or your service manager)";
    }
}
