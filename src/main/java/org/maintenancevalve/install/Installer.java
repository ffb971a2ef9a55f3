package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.config.ValveAttributes;
import org.maintenancevalve.files.AtomicFileWriter;
import org.maintenancevalve.files.IoErrors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the valve into a Tomcat: the jar into {@code lib/}, the Valve line into the default Host
 * of {@code conf/server.xml} (after a backup), or into the root Context of
 * {@code conf/context.xml} ({@link ValveFile}; the default in Atlassian's official images, whose
 * entrypoint rewrites server.xml at every start). Everything is checked before anything is
 * changed, and a failure half-way undoes what was done, so a refusal leaves the install as it was.
 * Run again, it changes only what differs.
 */
final class Installer {

    /** What the admin asked for. */
    static final class Request {
        Path dir;
        Path catalinaHome;
        Path jar;
        /** Valve attributes the admin gave; an empty value removes one. */
        final Map<String, String> changes = new LinkedHashMap<>();
        boolean dryRun;
        /** {@code --server-xml} or {@code --context-xml}; null: where the Valve is, else by the layout. */
        ValveFile file;
        /** {@code --image-build}: a Dockerfile's step, the containers restart into it. */
        boolean imageBuild;
    }

    private final FileReplacer replacer;
    private final Clock clock;
    private final Map<String, String> env;

    Installer(FileReplacer replacer, Clock clock, Map<String, String> env) {
        this.replacer = replacer;
        this.clock = clock;
        this.env = env;
    }

    /** As {@link #install(Request, PrintStream, boolean)}, with the notes. */
    TomcatLayout install(Request request, PrintStream out) throws Refused {
        return install(request, out, true);
    }

    /**
     * @param notes whether to add notes on what looks wrong (a missing flag directory, an admin
     *              port without a Connector); off when {@code check} follows and says it all
     * @return where it installed
     */
    TomcatLayout install(Request request, PrintStream out, boolean notes) throws Refused {
        TomcatLayout layout = TomcatLayout.locate(request.dir, request.catalinaHome, env, true);
        TomcatVersion version = TomcatVersion.read(layout.catalinaJar());
        if (!version.isSupported()) {
            throw new Refused("this is Tomcat " + version + " (" + layout.catalinaJar() + "); the valve needs "
                    + "Tomcat 8.5 or later");
        }
        Product product;
        String productName;
        try {
            product = Product.detect(layout);
            productName = product.displayName;
        } catch (Refused ambiguous) {
            if (!request.changes.containsKey("preset")) {
                throw ambiguous;
            }
            product = Product.TOMCAT;
            productName = "both atlassian-jira/ and confluence/ found";
        }
        Map<String, String> defaults = new LinkedHashMap<>();
        if (product != Product.TOMCAT) {
            defaults.put("preset", product.preset);
        }
        out.println("Maintenance Valve install into " + layout.base);
        out.println("  Tomcat " + version + ", " + productName
                + (layout.home.equals(layout.base) ? "" : " (CATALINA_HOME " + layout.home + ")"));

        Path source = request.jar.toAbsolutePath().normalize();
        if (!ValveJars.isValveJar(source)) {
            throw new Refused(source + " is not a maintenance-valve jar (it has no " + ValveJars.VALVE_ENTRY + ")");
        }
        JarPlan jars = JarPlan.of(source, layout.lib);

        ValvePlacement placement = ValvePlacement.choose(layout, request.file, env);
        ValveFile file = placement.file;
        if (file == ValveFile.CONTEXT_XML) {
            out.println("  in " + file.shortName() + ": every web application's Context gets the valve"
                    + (placement.why == null ? "" : "; chosen for " + placement.why));
        }
        Path target = file.in(layout);
        byte[] before = ReadFile.orRefuse(target);
        ServerXmlEdit.Result edit = file == ValveFile.CONTEXT_XML
                ? ServerXmlEdit.installInContextXml(before, target.toString(), target.toUri().toString(), request.changes, defaults)
                : ServerXmlEdit.install(before, target.toString(), target.toUri().toString(), request.changes, defaults);
        refuseWhatTheValveRefuses(layout, target, edit.valveAttributes, request.changes);
        String preset = edit.valveAttributes.get("preset");
        out.println("  preset: " + (preset == null ? "none" : preset));

        if (request.dryRun) {
            out.println();
            out.println("Dry run: nothing is changed. install would:");
            printPlan(target, edit, jars, out);
            return layout;
        }
        checkWritable(layout, target, edit, jars);
        apply(layout, target, edit, jars, out);
        boolean changed = edit.changed() || jars.copy || !jars.remove.isEmpty();
        NextSteps.afterInstall(layout, product, edit.valveAttributes, changed,
                notes ? connectors(layout, file, edit) : null, request.imageBuild, out);
        return layout;
    }

    /**
     * The Valve's attributes after the edit must all be ones the valve takes: an attribute written
     * by hand before (or by an older install) that the valve refuses would stop Tomcat at the next
     * restart, so install refuses to leave it. {@code ${...}} references Tomcat resolves from
     * system properties it cannot know are not judged.
     */
    private static void refuseWhatTheValveRefuses(TomcatLayout layout, Path target, Map<String, String> attributes,
                                                  Map<String, String> changes) throws Refused {
        TomcatProperties properties = TomcatProperties.of(layout.base, layout.home);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            String value = properties.expand(attribute.getValue());
            if (TomcatProperties.unresolved(value) != null) {
                continue;
            }
            String problem = ValveAttributes.problem(attribute.getKey(), value);
            if (problem != null) {
                String option = InstallVerb.optionFor(attribute.getKey());
                problems.add(problem + (changes.containsKey(attribute.getKey()) ? ""
                        : option != null ? " (give a valid one with " + option + ")" : " (correct it by hand)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(target + ": the Valve would have " + String.join("; ", problems)
                    + ". The valve would refuse to start, and with it the whole Tomcat; nothing was changed");
        }
    }

    /**
     * The Connectors the installed Valve meets: those of its Service in server.xml; for a Valve in
     * context.xml, every Connector of server.xml.
     */
    private static List<ServerXmlDom.FoundConnector> connectors(TomcatLayout layout, ValveFile file, ServerXmlEdit.Result edit) {
        try {
            if (file == ValveFile.CONTEXT_XML) {
                return ServerXmlDom.read(layout.serverXml).allConnectors();
            }
            List<ServerXmlDom.FoundValve> valves = ServerXmlDom.parse(edit.after, "server.xml", null).maintenanceValves();
            return valves.isEmpty() ? null : valves.get(0).connectors;
        } catch (Refused e) {
            return null;
        }
    }

    private void printPlan(Path target, ServerXmlEdit.Result edit, JarPlan jars, PrintStream out) {
        edit.printPlan(target, "install", out);
        if (jars.copy) {
            out.println("- copy " + jars.source + " to " + jars.target);
        } else {
            out.println("- keep " + jars.target + " (the same jar)");
        }
        for (Path old : jars.remove) {
            out.println("- remove the other valve jar " + old);
        }
    }

    private static void checkWritable(TomcatLayout layout, Path target, ServerXmlEdit.Result edit, JarPlan jars) throws Refused {
        if (edit.changed()) {
            BackedUpWrite.requireWritable(target, "install");
            RootWrites.requireSafe(target, "install", layout.base);
        }
        if (jars.copy || !jars.remove.isEmpty()) {
            Path lib = Files.isDirectory(layout.lib) ? layout.lib : layout.base;
            if (!Files.isWritable(lib)) {
                throw new Refused("cannot write to " + lib + " (permission denied); nothing was changed. "
                        + "Run install as the user who owns the installation, or as root");
            }
            RootWrites.requireSafe(lib.resolve(jars.target.getFileName()), "install", layout.base);
        }
    }

    /** Jar to a temporary name in lib, then the XML file, then the jar to its name; undone on failure. */
    private void apply(TomcatLayout layout, Path target, ServerXmlEdit.Result edit, JarPlan jars, PrintStream out) throws Refused {
        AtomicFileWriter.Staged staged = jars.copy ? jars.stage() : null;
        try {
            Path backup = null;
            if (edit.changed()) {
                backup = BackedUpWrite.write(target, edit.after, replacer, clock);
                out.println("Backed up " + target + " to " + backup);
            }
            out.println(target + ": " + edit.summary);
            if (staged == null) {
                out.println(layout.lib + ": " + jars.target.getFileName() + " is already there");
            } else {
                try {
                    staged.commit();
                } catch (IOException e) {
                    throw new Refused("cannot put the jar at " + jars.target + " (" + IoErrors.describe(e) + "); "
                            + putBack(target, edit, backup), e);
                }
                out.println(layout.lib + ": copied " + jars.target.getFileName());
            }
        } finally {
            if (staged != null) {
                staged.close(); // removes the hidden .tmp file unless it was moved into place
            }
        }
        List<String> left = new ArrayList<>();
        for (Path old : jars.remove) {
            try {
                Files.delete(old);
                out.println(layout.lib + ": removed the other valve jar " + old.getFileName());
            } catch (IOException e) {
                left.add(old + " (" + IoErrors.describe(e) + ")");
            }
        }
        if (!left.isEmpty()) {
            throw new Refused("installed, but cannot remove the older valve jar " + String.join(", ", left)
                    + ". Remove it by hand before Tomcat restarts: two valve jars must not be in lib/");
        }
    }

    /** Undoes the XML edit after a later step failed; says how it went. */
    private String putBack(Path target, ServerXmlEdit.Result edit, Path backup) {
        if (!edit.changed()) {
            return "nothing was changed";
        }
        String name = target.getFileName().toString();
        try {
            replacer.replace(target, edit.before);
            return name + " was put back as it was";
        } catch (IOException e) {
            return "and " + name + " cannot be put back (" + IoErrors.describe(e) + "): copy " + backup + " over it";
        }
    }

    /** What to do with jars: copy ours or not, which other valve jars to remove. */
    static final class JarPlan {
        final Path source;
        final Path target;
        final boolean copy;
        final List<Path> remove;

        private JarPlan(Path source, Path target, boolean copy, List<Path> remove) {
            this.source = source;
            this.target = target;
            this.copy = copy;
            this.remove = remove;
        }

        static JarPlan of(Path source, Path lib) throws Refused {
            try {
                Path target = lib.resolve(ValveJars.targetName(source));
                boolean copy = !Files.exists(target) || !ValveJars.sameContent(source, target);
                List<Path> remove = new ArrayList<>();
                for (Path jar : ValveJars.find(lib)) {
                    if (!jar.equals(target)) {
                        remove.add(jar);
                    }
                }
                return new JarPlan(source, target, copy, remove);
            } catch (IOException e) {
                throw new Refused("cannot look at " + lib + " (" + IoErrors.describe(e) + ")", e);
            }
        }

        /**
         * Copies the jar into lib under a hidden temporary name (not *.jar, so Tomcat ignores it),
         * with the owner, group and permissions of the jar it replaces ({@code rw-r--r--} for a new one).
         */
        AtomicFileWriter.Staged stage() throws Refused {
            Path lib = target.getParent();
            try {
                Files.createDirectories(lib);
                return AtomicFileWriter.stage(target, Files.readAllBytes(source), AtomicFileWriter.Policy.KEEP_REPLACED);
            } catch (IOException e) {
                throw new Refused("cannot copy the jar into " + lib + " (" + IoErrors.describe(e) + "); nothing was changed", e);
            }
        }
    }
}
