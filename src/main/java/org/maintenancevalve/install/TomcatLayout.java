package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a Tomcat keeps what install changes: {@code conf/server.xml} (or {@code conf/context.xml}) and {@code lib/} in
 * {@code CATALINA_BASE}, and {@code lib/catalina.jar} in {@code CATALINA_HOME}. In a Jira,
 * Confluence or stock Tomcat install the two are the same directory; a separate
 * {@code CATALINA_BASE} names its home with {@code --catalina-home} or {@code $CATALINA_HOME}.
 */
final class TomcatLayout {

    final Path base;
    /** Null when it was not needed and could not be found (uninstall). */
    final Path home;
    final Path serverXml;
    /** {@code conf/context.xml}: the defaults of every web application's Context (it may not exist). */
    final Path contextXml;
    final Path lib;

    private TomcatLayout(Path base, Path home) {
        this.base = base;
        this.home = home;
        this.serverXml = base.resolve("conf").resolve("server.xml");
        this.contextXml = base.resolve("conf").resolve("context.xml");
        this.lib = base.resolve("lib");
    }

    /** {@code lib/catalina.jar} of the home. */
    Path catalinaJar() {
        return home.resolve("lib").resolve("catalina.jar");
    }

    /**
     * @param dir the directory the admin named: the base (the one with {@code conf/server.xml});
     *            its {@code conf} directory or the {@code server.xml} itself are accepted too
     * @param homeOption {@code --catalina-home}, or null
     * @param env the environment, for {@code CATALINA_HOME}
     * @param needHome whether to refuse when no {@code lib/catalina.jar} is found
     */
    static TomcatLayout locate(Path dir, Path homeOption, Map<String, String> env, boolean needHome) throws Refused {
        Path given = dir.toAbsolutePath().normalize();
        if (!Files.exists(given)) {
            throw new Refused(given + " does not exist");
        }
        Path base = given;
        if (Files.isRegularFile(given) && given.getFileName().toString().equals("server.xml")
                && given.getParent() != null && given.getParent().getParent() != null) {
            base = given.getParent().getParent();
        } else if (given.getFileName() != null && given.getFileName().toString().equals("conf")
                && Files.isRegularFile(given.resolve("server.xml")) && given.getParent() != null) {
            base = given.getParent();
        }
        if (!Files.isRegularFile(base.resolve("conf").resolve("server.xml"))) {
            throw new Refused("no conf/server.xml in " + given + ". Name the Tomcat, Jira or Confluence "
                    + "installation directory (the one with bin/, conf/ and lib/), or a CATALINA_BASE");
        }
        Path home = findHome(base, homeOption, env);
        if (home == null && needHome) {
            throw new Refused("no lib/catalina.jar in " + base + (homeOption != null ? " or " + homeOption : "")
                    + ". If " + base + " is a CATALINA_BASE, name Tomcat's home with --catalina-home "
                    + "(or set CATALINA_HOME)");
        }
        return new TomcatLayout(base, home);
    }

    private static Path findHome(Path base, Path homeOption, Map<String, String> env) {
        if (homeOption != null) {
            Path home = homeOption.toAbsolutePath().normalize();
            return hasCatalinaJar(home) ? home : null;
        }
        if (hasCatalinaJar(base)) {
            return base;
        }
        String fromEnv = env.get("CATALINA_HOME");
        if (fromEnv != null && !fromEnv.trim().isEmpty()) {
            Path home = base.resolve(fromEnv.trim()).toAbsolutePath().normalize();
            if (hasCatalinaJar(home)) {
                return home;
            }
        }
        return null;
    }

    private static boolean hasCatalinaJar(Path home) {
        return Files.isRegularFile(home.resolve("lib").resolve("catalina.jar"));
    }
}
