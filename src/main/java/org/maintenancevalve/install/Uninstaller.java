package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Takes the valve out again: removes exactly the comment and Valve install added to server.xml
 * (after a backup; the earlier backups are kept), then the valve jars in {@code lib/}.
 */
final class Uninstaller {

    private final FileReplacer replacer;
    private final Clock clock;
    private final Map<String, String> env;

    Uninstaller(FileReplacer replacer, Clock clock, Map<String, String> env) {
        this.replacer = replacer;
        this.clock = clock;
        this.env = env;
    }

    void uninstall(Path dir, boolean dryRun, PrintStream out) throws Refused {
        TomcatLayout layout = TomcatLayout.locate(dir, null, env, false);
        out.println("Maintenance Valve uninstall from " + layout.base);
        byte[] before = ReadFile.orRefuse(layout.serverXml);
        ServerXmlEdit.Result edit = ServerXmlEdit.uninstall(before, layout.serverXml.toString(),
                layout.serverXml.toUri().toString());
        List<Path> jars;
        try {
            jars = ValveJars.find(layout.lib);
        } catch (IOException e) {
            throw new Refused("cannot look at " + layout.lib + " (" + IoErrors.describe(e) + ")", e);
        }
        Path flag = NextSteps.flagFile(layout, edit.valveAttributes);
        Product product = productOrTomcat(layout);

        if (dryRun) {
            out.println();
            out.println("Dry run: nothing is changed. uninstall would:");
            edit.printPlan(layout.serverXml, "uninstall", out);
            for (Path jar : jars) {
                out.println("- remove " + jar);
            }
            return;
        }
        if (!edit.changed() && jars.isEmpty()) {
            out.println("Nothing to remove: " + layout.serverXml + " has no Valve added by install, and "
                    + layout.lib + " has no maintenance-valve jar.");
            NextSteps.afterUninstall(layout, product, false, flag, out);
            return;
        }
        if (edit.changed()) {
            BackedUpWrite.requireWritable(layout.serverXml, "uninstall");
            RootWrites.requireSafe(layout.serverXml, "uninstall", layout.base);
        }
        if (!jars.isEmpty() && !Files.isWritable(layout.lib)) {
            throw new Refused("cannot remove the jar from " + layout.lib + " (permission denied); nothing was changed. "
                    + "Run uninstall as the user who owns the installation, or as root");
        }
        if (!jars.isEmpty()) {
            RootWrites.requireSafe(jars.get(0), "uninstall", layout.base);
        }
        if (edit.changed()) {
            Path backup = BackedUpWrite.write(layout.serverXml, edit.after, replacer, clock);
            out.println("Backed up " + layout.serverXml + " to " + backup);
        }
        out.println(layout.serverXml + ": " + edit.summary);
        List<String> left = new ArrayList<>();
        for (Path jar : jars) {
            try {
                Files.delete(jar);
                out.println(layout.lib + ": removed " + jar.getFileName());
            } catch (IOException e) {
                left.add(jar + " (" + IoErrors.describe(e) + ")");
            }
        }
        List<Path> backups = backups(layout.serverXml);
        if (!backups.isEmpty()) {
            out.println("Kept the backups of server.xml:");
            for (Path b : backups) {
                out.println("  " + b);
            }
        }
        NextSteps.afterUninstall(layout, product, true, flag, out);
        if (!left.isEmpty()) {
            throw new Refused("server.xml no longer names the valve, but cannot remove " + String.join(", ", left)
                    + "; remove it by hand");
        }
    }

    private static Product productOrTomcat(TomcatLayout layout) {
        try {
            return Product.detect(layout);
        } catch (Refused e) {
            return Product.TOMCAT;
        }
    }

    private static List<Path> backups(Path serverXml) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(serverXml.getParent(), serverXml.getFileName() + ".bak-*")) {
            for (Path file : files) {
                found.add(file);
            }
        } catch (IOException e) {
            return found;
        }
        Collections.sort(found);
        return found;
    }
}
