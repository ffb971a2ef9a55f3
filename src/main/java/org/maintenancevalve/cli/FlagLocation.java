package org.maintenancevalve.cli;

import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.RootOnlyFile;
import org.maintenancevalve.files.UntrustedFileException;
import org.maintenancevalve.install.ConfiguredValves;
import org.maintenancevalve.install.ServerXmlDom;
import org.maintenancevalve.install.TomcatProperties;
import org.maintenancevalve.state.FlagPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which flag file a command means: {@code --flag FILE}, else the valve's {@code flagFile} in
 * {@code --catalina-base DIR}'s {@code conf/server.xml} or {@code conf/context.xml} (where install
 * puts it in Atlassian's official images), else {@code $MAINTENANCE_FLAG}.
 * <p>
 * Run as root, {@code --flag} and {@code $MAINTENANCE_FLAG} are root's own word, but
 * {@code server.xml} and {@code context.xml} (and {@code catalina.properties}, for a {@code ${...}} in {@code flagFile})
 * is often the Tomcat user's ({@code chown -R jira /opt/atlassian/jira}): whoever can change it
 * could name any file for root to remove or rewrite. So root takes the flag file from them only
 * when no other user can change them ({@link RootOnlyFile}), and reads the very files it checked.
 */
final class FlagLocation {

    private FlagLocation() {
    }

    /** The options every verb that needs a flag file accepts. */
    static Args.Spec options(Args.Spec spec) {
        return spec.values("--flag", "--catalina-base");
    }

    /**
     * How a file of {@code --catalina-base} is taken before it is read: by the verbs, as root,
     * only when no other user can change it ({@link RootOnlyFile}); by root's choice of whom to act
     * as ({@link ActingUser}), stopped at the first file another user can change, before it is read.
     */
    interface Reading {
        /**
         * @param file      {@code server.xml}, {@code context.xml} or {@code catalina.properties}
         * @param serverXml the file naming the flag file ({@code server.xml} or {@code context.xml}; for messages)
         * @return the path to read for {@code file}, or {@code null} when there is no such file
         * @throws Refused when it may not be read
         */
        Path readable(Path file, Path serverXml, Path base) throws Refused;
    }

    /**
     * The files of {@code --catalina-base DIR} that may name the flag file, in the order they are
     * read: whoever can change one of them chooses the flag file.
     */
    static List<Path> configurationFiles(Path base) {
        Path conf = base.resolve("conf");
        return Arrays.asList(conf.resolve("server.xml"), conf.resolve("context.xml"), conf.resolve("catalina.properties"));
    }

    /**
     * @param verb the command asking ({@code on}, {@code off}...), for the way out of a refusal
     */
    static Path resolve(Args args, Map<String, String> env, String verb) throws UsageException, Refused {
        return resolve(args, env, (file, serverXml, base) -> rootOnly(file, serverXml, base, verb));
    }

    /** As {@link #resolve(Args, Map, String)}, with the files of {@code --catalina-base} taken as {@code reading} says. */
    static Path resolve(Args args, Map<String, String> env, Reading reading) throws UsageException, Refused {
        if (args.given("--flag") && args.given("--catalina-base")) {
            throw new UsageException("give --flag or --catalina-base, not both");
        }
        if (args.given("--flag")) {
            return path("--flag", args.value("--flag"));
        }
        if (args.given("--catalina-base")) {
            return fromServerXml(path("--catalina-base", args.value("--catalina-base")), env, reading);
        }
        String fromEnv = env.get("MAINTENANCE_FLAG");
        if (fromEnv != null && !fromEnv.trim().isEmpty()) {
            return path("MAINTENANCE_FLAG", fromEnv.trim());
        }
        throw new UsageException("which flag file? Give --flag FILE or --catalina-base DIR, or set MAINTENANCE_FLAG");
    }

    private static Path path(String option, String value) throws UsageException {
        if (value == null || value.trim().isEmpty()) {
            throw new UsageException(option + " needs a path");
        }
        try {
            return Paths.get(value.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(option + ": '" + value + "' is not a path");
        }
    }

    /**
     * The flag file of the MaintenanceValve in {@code base/conf/server.xml} or
     * {@code base/conf/context.xml}, as the valve resolves it.
     */
    static Path fromServerXml(Path base, Map<String, String> env, Reading reading) throws Refused {
        Path serverXml = configurationFiles(base).get(0);
        if (!Files.isRegularFile(serverXml)) {
            throw new Refused("no " + serverXml + ": is " + base + " a Tomcat (CATALINA_BASE) directory?");
        }
        Path checked = reading.readable(serverXml, serverXml, base);
        if (checked == null) {
            throw new Refused("no " + serverXml + ": is " + base + " a Tomcat (CATALINA_BASE) directory?");
        }
        Set<Path> flags = new LinkedHashSet<>();
        Path contextXml = configurationFiles(base).get(1);
        Path checkedContextXml = Files.exists(contextXml, LinkOption.NOFOLLOW_LINKS)
                ? reading.readable(contextXml, contextXml, base) : null;
        for (ServerXmlDom.FoundValve valve : ConfiguredValves.of(checked, checkedContextXml)) {
            flags.add(resolveLikeTheValve(valve.attributes.getOrDefault("flagFile", ""), base, serverXml, env, reading));
        }
        if (flags.isEmpty()) {
            throw new Refused("no MaintenanceValve in " + serverXml + " or conf/context.xml (install it first, or give --flag FILE)");
        }
        if (flags.size() > 1) {
            throw new Refused(base + "/conf has MaintenanceValves with different flag files " + flags
                    + ": give --flag FILE");
        }
        return flags.iterator().next();
    }

    private static Path resolveLikeTheValve(String flag, Path base, Path serverXml, Map<String, String> env,
            Reading reading) throws Refused {
        String expanded = flag;
        if (flag.contains("${")) {
            Path file = configurationFiles(base).get(2);
            Path properties = reading.readable(file, serverXml, base);
            String home = env.get("CATALINA_HOME");
            expanded = TomcatProperties.of(base, home == null ? null : Paths.get(home), properties).expand(flag);
        }
        if (TomcatProperties.unresolved(expanded) != null) {
            throw new Refused("the valve's flagFile '" + flag + "' uses a property this tool cannot resolve: give --flag FILE");
        }
        try {
            return FlagPath.resolve(expanded, base);
        } catch (InvalidPathException e) {
            throw new Refused("the valve's flagFile '" + flag + "' is not a path: give --flag FILE");
        }
    }

    /**
     * As root, the file to read for {@code file} once no other user can change it (its real path,
     * or {@code null} when there is none); otherwise {@code file} itself.
     */
    private static Path rootOnly(Path file, Path serverXml, Path base, String verb) throws Refused {
        try {
            return RootOnlyFile.requireWhenRoot(file);
        } catch (UntrustedFileException e) {
            throw new Refused(notRootsWord(e, serverXml, base, verb), e);
        } catch (IOException e) {
            throw new Refused("cannot look at " + file + " (" + IoErrors.describe(e) + "); nothing was changed", e);
        }
    }

    /** Why root does not take the flag file from {@code serverXml}, and the safe ways instead. */
    private static String notRootsWord(UntrustedFileException e, Path serverXml, Path base, String verb) {
        String who = e.owner() != null ? "user " + e.owner() : "a user other than root";
        String command = "java -jar maintenance-valve.jar " + verb + " --catalina-base " + base + " ...";
        String instead = e.owner() != null
                ? "Run it as " + e.owner() + ": sudo -u " + e.owner() + " " + command
                : "Run it as the user Tomcat runs as (sudo -u <tomcat-user> " + command + ")"
                        + (e.why().startsWith("can be written by")
                                ? ", or make " + e.changeable() + " writable by root only (chmod go-w " + e.changeable() + ")"
                                : "");
        String source = e.file().equals(serverXml.toAbsolutePath().toString()) ? serverXml.toString()
                : serverXml + " (with ${...} from " + e.file() + ")";
        return "as root, the flag file named in " + source + " is not used: " + e.changeable() + " " + e.why()
                + ", so " + who + " could make it name any file, and root would act on that file. Nothing was changed. "
                + instead + "; or name the flag file yourself: --flag FILE.";
    }
}
