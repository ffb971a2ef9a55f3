package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * or conf/context.xml (after a backup; the earlier backups are kept), then the valve jars in
 * {@code lib/}.
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
        List<FileEdit> edits = edits(layout);
        List<Path> jars;
        try {
            jars = ValveJars.find(layout.lib);
        } catch (IOException e) {
            throw new Refused("cannot look at " + layout.lib + " (" + IoErrors.describe(e) + ")", e);
        }
        Map<String, String> removedValve = Collections.emptyMap();
        boolean changed = false;
        for (FileEdit edit : edits) {
            changed |= edit.result.changed();
            if (edit.result.changed()) {
                removedValve = edit.result.valveAttributes;
            }
        }
        Path flag = NextSteps.flagFile(layout, removedValve);
        Product product = productOrTomcat(layout);

        if (dryRun) {
            out.println();
            out.println("Dry run: nothing is changed. uninstall would:");
            for (FileEdit edit : edits) {
                edit.result.printPlan(edit.file, "uninstall", out);
            }
            for (Path jar : jars) {
                out.println("- remove " + jar);
            }
            return;
        }
        if (!changed && jars.isEmpty()) {
            out.println("Nothing to remove: " + names(edits) + " " + (edits.size() == 1 ? "has" : "have")
                    + " no Valve added by install, and " + layout.lib + " has no maintenance-valve jar.");
            NextSteps.afterUninstall(layout, product, false, flag, out);
            return;
        }
        for (FileEdit edit : edits) {
            if (edit.result.changed()) {
                BackedUpWrite.requireWritable(edit.file, "uninstall");
                RootWrites.requireSafe(edit.file, "uninstall", layout.base);
            }
        }
        if (!jars.isEmpty() && !Files.isWritable(layout.lib)) {
            throw new Refused("cannot remove the jar from " + layout.lib + " (permission denied); nothing was changed. "
                    + "Run uninstall as the user who owns the installation, or as root");
        }
        if (!jars.isEmpty()) {
            RootWrites.requireSafe(jars.get(0), "uninstall", layout.base);
        }
        for (FileEdit edit : edits) {
            if (edit.result.changed()) {
                Path backup = BackedUpWrite.write(edit.file, edit.result.after, replacer, clock);
                out.println("Backed up " + edit.file + " to " + backup);
                out.println(edit.file + ": " + edit.result.summary);
            }
        }
        if (!changed) {
            out.println(names(edits) + ": no Valve added by install in " + (edits.size() == 1 ? "it" : "them") + ", nothing to remove");
        }
        List<String> left = new ArrayList<>();
        for (Path jar : jars) {
            try {
                Files.delete(jar);
                out.println(layout.lib + ": removed " + jar.getFileName());
            } catch (IOException e) {
                left.add(jar + " (" + IoErrors.describe(e) + ")");
            }
        }
        for (FileEdit edit : edits) {
            List<Path> backups = backups(edit.file);
            if (!backups.isEmpty()) {
                out.println("Kept the backups of " + edit.file.getFileName() + ":");
                for (Path b : backups) {
                    out.println("  " + b);
                }
            }
        }
        NextSteps.afterUninstall(layout, product, true, flag, out);
        if (!left.isEmpty()) {
            throw new Refused("server.xml and context.xml no longer name the valve, but cannot remove " + String.join(", ", left)
                    + "; remove it by hand");
        }
    }

    /** One file and what uninstall does to it. */
    private static final class FileEdit {
        final Path file;
        final ServerXmlEdit.Result result;

        FileEdit(Path file, ServerXmlEdit.Result result) {
            this.file = file;
            this.result = result;
        }
    }

    /**
     * The removal from server.xml, and from conf/context.xml when that file names the valve at
     * all (a context.xml that does not is not even parsed: it is none of uninstall's business).
     */
    private static List<FileEdit> edits(TomcatLayout layout) throws Refused {
        List<FileEdit> edits = new ArrayList<>();
        edits.add(removal(layout.serverXml, ReadFile.orRefuse(layout.serverXml)));
        if (Files.isRegularFile(layout.contextXml)) {
            byte[] contextXml = ReadFile.orRefuse(layout.contextXml);
            if (new String(contextXml, StandardCharsets.ISO_8859_1).contains("MaintenanceValve")) {
                edits.add(removal(layout.contextXml, contextXml));
            }
        }
        return edits;
    }

    private static FileEdit removal(Path file, byte[] content) throws Refused {
        return new FileEdit(file, ServerXmlEdit.uninstall(content, file.toString(), file.toUri().toString()));
    }

    private static String names(List<FileEdit> edits) {
        List<String> names = new ArrayList<>();
        for (FileEdit edit : edits) {
            names.add(edit.file.toString());
        }
        return String.join(" and ", names);
    }

    private static Product productOrTomcat(TomcatLayout layout) {
        try {
            return Product.detect(layout);
        } catch (Refused e) {
            return Product.TOMCAT;
        }
    }

    private static List<Path> backups(Path file) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(file.getParent(), file.getFileName() + ".bak-*")) {
            for (Path backup : files) {
                found.add(backup);
            }
        } catch (IOException e) {
            return found;
        }
        Collections.sort(found);
        return found;
    }
}
