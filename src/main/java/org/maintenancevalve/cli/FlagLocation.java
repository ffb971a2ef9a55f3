package org.maintenancevalve.cli;

import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.install.ConfiguredValves;
import org.maintenancevalve.install.ServerXmlDom;
import org.maintenancevalve.install.TomcatProperties;
import org.maintenancevalve.state.FlagPath;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which flag file a command means: {@code --flag FILE}, else the valve's {@code flagFile} in
 * {@code --catalina-base DIR}'s {@code conf/server.xml}, else {@code $MAINTENANCE_FLAG}.
 */
final class FlagLocation {

    private FlagLocation() {
    }

    /** The options every verb that needs a flag file accepts. */
    static Args.Spec options(Args.Spec spec) {
        return spec.values("--flag", "--catalina-base");
    }

    static Path resolve(Args args, Map<String, String> env) throws UsageException, Refused {
        if (args.given("--flag") && args.given("--catalina-base")) {
            throw new UsageException("give --flag or --catalina-base, not both");
        }
        if (args.given("--flag")) {
            return path("--flag", args.value("--flag"));
        }
        if (args.given("--catalina-base")) {
            return fromServerXml(path("--catalina-base", args.value("--catalina-base")), env);
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
    static Path fromServerXml(Path base, Map<String, String> env) throws Refused {
        Path serverXml = base.resolve("conf").resolve("server.xml");
        if (!Files.isRegularFile(serverXml)) {
            throw new Refused("no " + serverXml + ": is " + base + " a Tomcat (CATALINA_BASE) directory?");
        }
        Set<Path> flags = new LinkedHashSet<>();
        for (ServerXmlDom.FoundValve valve : ConfiguredValves.of(base)) {
            flags.add(resolveLikeTheValve(valve.attributes.getOrDefault("flagFile", ""), base, env));
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

    private static Path resolveLikeTheValve(String flag, Path base, Map<String, String> env) throws Refused {
        String home = env.get("CATALINA_HOME");
        String expanded = TomcatProperties.of(base, home == null ? null : Paths.get(home)).expand(flag);
        if (TomcatProperties.unresolved(expanded) != null) {
            throw new Refused("the valve's flagFile '" + flag + "' uses a property this tool cannot resolve: give --flag FILE");
        }
        try {
            return FlagPath.resolve(expanded, base);
        } catch (InvalidPathException e) {
            throw new Refused("the valve's flagFile '" + flag + "' is not a path: give --flag FILE");
        }
    }
}
