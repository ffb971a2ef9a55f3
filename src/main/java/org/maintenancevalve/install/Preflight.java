package org.maintenancevalve.install;

import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.config.AjpAdminPort;
import org.maintenancevalve.config.ValveAttributes;
import org.maintenancevalve.files.IoErrors;
import org.maintenancevalve.files.RootsAlone;
import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.response.TemplateFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The preflight check: reads {@code server.xml} with the valve's own parsers and looks at what the
 * next restart of Tomcat depends on, and says for each problem how to fix it. A
 * {@link Level#PROBLEM} means a restart would not start the valve (and a bad attribute or a
 * missing jar stops the whole Tomcat); a {@link Level#WARNING} means the valve starts but
 * something will not work as the admin expects.
 */
final class Preflight {

    /** How bad a finding is. */
    enum Level {
        OK("ok"), NOTE("note"), WARNING("WARNING"), PROBLEM("PROBLEM");

        final String label;

        Level(String label) {
            this.label = label;
        }
    }

    /** One thing found, and what to do about it. */
    static final class Finding {
        final Level level;
        final String text;
        final List<String> fix;

        Finding(Level level, String text, String... fix) {
            this.level = level;
            this.text = text;
            this.fix = Collections.unmodifiableList(Arrays.asList(fix));
        }

        @Override
        public String toString() {
            return level.label + " " + text + (fix.isEmpty() ? "" : " / fix: " + String.join(" ", fix));
        }
    }

    /** What the admin asked to check. */
    static final class Request {
        Path dir;
        Path catalinaHome;
        /** {@code --user}, or null: the owner of logs/. */
        String user;
        /** {@code --jmx host:port}, or null: the port in setenv.sh. */
        String jmx;
        /** How to log in to it. */
        JmxLogin login = JmxLogin.NONE;
        /** {@code --image-build}: runs in a Dockerfile, where the shared home is not mounted yet. */
        boolean imageBuild;
    }

    /** The port the setenv.sh snippet suggests. */
    static final int SUGGESTED_JMX_PORT = 9010;

    private final Map<String, String> env;
    private final List<Finding> findings = new ArrayList<>();
    private TomcatLayout layout;
    private TomcatUser user;
    private TomcatProperties properties;
    private boolean imageBuild;
    /** Every Connector of server.xml: what a Valve in conf/context.xml meets. */
    private List<ServerXmlDom.FoundConnector> serverConnectors = Collections.emptyList();

    Preflight(Map<String, String> env) {
        this.env = env;
    }

    /** Runs every check and prints the report. */
    static int report(Request request, Map<String, String> env, PrintStream out) throws Refused {
        Preflight preflight = new Preflight(env);
        List<Finding> found = preflight.check(request);
        out.println("Maintenance Valve check of " + preflight.layout.base + ": will the next restart start the valve?");
        int problems = 0;
        int warnings = 0;
        for (Finding finding : found) {
            out.println(String.format("  %-8s %s", finding.level.label, wrap(finding.text, WIDTH - 11, "\n           ")));
            for (String line : finding.fix) {
                out.println("           " + line);
            }
            problems += finding.level == Level.PROBLEM ? 1 : 0;
            warnings += finding.level == Level.WARNING ? 1 : 0;
        }
        if (problems > 0) {
            out.println("No: a restart would not start the valve. Fix the " + count(problems, "problem")
                    + " above before you restart Tomcat" + (warnings > 0 ? " (and see the " + count(warnings, "warning") + ")" : "")
                    + ", then run check again.");
            return 1;
        }
        out.println("Yes: a restart starts the valve" + (warnings > 0 ? "; see the " + count(warnings, "warning") + " above" : "")
                + ".");
        return 0;
    }

    /** Report lines are wrapped at this width (fixes are not: they hold commands to copy). */
    private static final int WIDTH = 110;

    /** Breaks the text at spaces into lines of at most {@code width}; a longer word stays whole. */
    static String wrap(String text, int width, String lineBreak) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > width) {
                out.append(lineBreak);
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Every finding, in the order they are reported. */
    List<Finding> check(Request request) throws Refused {
        layout = TomcatLayout.locate(request.dir, request.catalinaHome, env, false);
        properties = TomcatProperties.of(layout.base, layout.home);
        user = request.user != null ? TomcatUser.named(request.user) : TomcatUser.ownerOfLogs(layout.base);
        imageBuild = request.imageBuild;
        checkVersion();
        checkUser(request.user != null);
        List<ServerXmlDom.FoundValve> valves = checkConfiguration();
        checkJars(!valves.isEmpty());
        for (ServerXmlDom.FoundValve valve : valves) {
            checkValve(valve, valves.size() > 1);
        }
        checkJmx(request.jmx, request.login);
        return findings;
    }

    private void add(Level level, String text, String... fix) {
        findings.add(new Finding(level, text, fix));
    }

    // ------------------------------------------------------------ Tomcat and its user

    private void checkVersion() {
        if (layout.home == null) {
            add(Level.WARNING, "no lib/catalina.jar in " + layout.base + ": cannot tell the Tomcat version",
                    "if " + layout.base + " is a CATALINA_BASE, name Tomcat's home with --catalina-home DIR");
            return;
        }
        try {
            TomcatVersion version = TomcatVersion.read(layout.catalinaJar());
            if (version.isSupported()) {
                add(Level.OK, "Tomcat " + version + " (" + layout.catalinaJar() + ")");
            } else {
                add(Level.PROBLEM, "this is Tomcat " + version + "; the valve needs Tomcat 8.5 or later",
                        "run it on Tomcat 8.5, 9.0, 10.1 or 11.0 (Jira 7 or later, Confluence 6 or later)");
            }
        } catch (Refused e) {
            add(Level.WARNING, "cannot tell the Tomcat version: " + e.getMessage());
        }
    }

    private void checkUser(boolean given) {
        if (user == null) {
            add(Level.NOTE, "cannot tell which user Tomcat runs as (no logs/, work/ or temp/ in " + layout.base
                    + "): the permissions below are not checked for it", "give it with --user NAME");
            return;
        }
        if (user.unknownGroups != null) {
            add(Level.WARNING, "cannot look up the user " + user.name + " (" + user.source + "): " + user.unknownGroups
                    + ". The permissions below are not checked", "give the user Tomcat runs as with --user NAME");
            user = null;
            return;
        }
        add(Level.NOTE, "Tomcat runs as " + user.name + " (" + user.source + ")"
                + (given ? "" : "; if not, give its user with --user NAME"));
        TomcatUser.Denied serverXml = user.cannotRead(layout.serverXml);
        if (serverXml != null) {
            add(Level.PROBLEM, serverXml + ": Tomcat cannot read its own configuration and will not start",
                    letRead(serverXml));
        }
        TomcatUser.Denied contextXml = Files.isRegularFile(layout.contextXml) ? user.cannotRead(layout.contextXml) : null;
        if (contextXml != null) {
            add(Level.PROBLEM, contextXml + ": Tomcat cannot read the defaults of every web application's Context, "
                    + "and starts none of them", letRead(contextXml));
        }
    }

    /** The command that lets Tomcat's user through what denies it. */
    private String letRead(TomcatUser.Denied denied) {
        return (denied.above ? "chmod o+x " : "chmod o+r ") + denied.blocker + "   (or let a group " + user.name
                + " is in do it)";
    }

    // ------------------------------------------------------------ server.xml

    /** The MaintenanceValves of server.xml and conf/context.xml, and what their places mean. */
    private List<ServerXmlDom.FoundValve> checkConfiguration() {
        ServerXmlDom dom;
        try {
            dom = ServerXmlDom.read(layout.serverXml);
        } catch (Refused e) {
            add(Level.PROBLEM, e.getMessage().replace("; it was left untouched", "")
                    + ": Tomcat cannot start with it either", "correct " + layout.serverXml
                    + " (install made a backup before each change: " + layout.serverXml.getFileName() + ".bak-<time>)");
            return Collections.emptyList();
        }
        serverConnectors = dom.allConnectors();
        List<ServerXmlDom.FoundValve> inServerXml = dom.maintenanceValves();
        List<ServerXmlDom.FoundValve> inContextXml = contextXmlValves();
        if (inServerXml.isEmpty() && inContextXml.isEmpty()) {
            add(Level.PROBLEM, "no MaintenanceValve in " + layout.serverXml + " or " + layout.contextXml
                            + ": nothing will hold users out",
                    "install it: install/install.sh " + layout.base);
        }
        if (!inServerXml.isEmpty()) {
            add(Level.OK, layout.serverXml + ": " + count(inServerXml.size(), "MaintenanceValve"));
        }
        if (!inContextXml.isEmpty()) {
            add(Level.OK, "in conf/context.xml (" + layout.contextXml + ", " + count(inContextXml.size(), "MaintenanceValve")
                    + "): every web application's Context gets it");
        }
        if (!inContextXml.isEmpty()) {
            for (String path : dom.contextsIgnoringContextXml()) {
                add(Level.WARNING, "<Context path=\"" + path + "\" override=\"true\"> in " + layout.serverXml
                                + " ignores conf/context.xml: that web application gets no MaintenanceValve and stays open "
                                + "during maintenance",
                        "remove override=\"true\" from it, or add the Valve to that <Context> by hand");
            }
        }
        if (!inServerXml.isEmpty() && !inContextXml.isEmpty()) {
            add(Level.WARNING, "a MaintenanceValve in both server.xml and conf/context.xml: every request passes two "
                            + "gates, each watching its own flag file, and the command line's --catalina-base refuses "
                            + "when they differ",
                    "keep one: install/uninstall.sh " + layout.base + " takes out what install added, then install/install.sh "
                            + layout.base + " (with --context-xml in an official image); a Valve added by hand, remove by hand");
        }
        if (!inServerXml.isEmpty() && OfficialImage.isHere(env)) {
            add(Level.WARNING, "this is an official Atlassian image: its entrypoint rewrites " + layout.serverXml + " from "
                            + OfficialImage.template(env) + " at every container start, so the MaintenanceValve in it is "
                            + "gone after the next start (unless server.xml is mounted read-only, as with Helm's "
                            + "tomcatConfig.customServerXml)",
                    "move it into conf/context.xml: install/uninstall.sh " + layout.base + ", then install/install.sh "
                            + layout.base + " --context-xml (docs/containers.md)");
        }
        List<ServerXmlDom.FoundValve> all = new ArrayList<>(inServerXml);
        all.addAll(inContextXml);
        return all;
    }

    /** The MaintenanceValves of conf/context.xml (none when there is no such file). */
    private List<ServerXmlDom.FoundValve> contextXmlValves() {
        if (!Files.isRegularFile(layout.contextXml)) {
            return Collections.emptyList();
        }
        try {
            return ServerXmlDom.read(layout.contextXml).maintenanceValves();
        } catch (Refused e) {
            add(Level.PROBLEM, e.getMessage().replace("; it was left untouched", "")
                    + ": Tomcat cannot start a web application with it", "correct " + layout.contextXml
                    + " (install made a backup before each change: " + layout.contextXml.getFileName() + ".bak-<time>)");
            return Collections.emptyList();
        }
    }

    private void checkJars(boolean named) {
        List<Path> jars = new ArrayList<>();
        List<Path> libs = new ArrayList<>(Collections.singletonList(layout.lib));
        if (layout.home != null && !layout.home.equals(layout.base)) {
            libs.add(layout.home.resolve("lib"));
        }
        for (Path lib : libs) {
            try {
                jars.addAll(ValveJars.find(lib));
            } catch (IOException e) {
                add(Level.WARNING, "cannot look into " + lib + " (" + IoErrors.describe(e) + ")");
            }
        }
        String install = "install/install.sh " + layout.base + (libs.size() > 1 ? " --catalina-home " + layout.home : "");
        if (jars.isEmpty()) {
            if (named) {
                add(Level.PROBLEM, "the configuration names " + ValveAttributes.CLASS_NAME + " but no jar in "
                                + String.join(" or ", toStrings(libs)) + " has it: Tomcat will not start at all (ClassNotFoundException)",
                        "put the jar back: " + install);
            }
            return;
        }
        if (jars.size() > 1) {
            add(Level.PROBLEM, "the valve is in " + jars.size() + " jars: " + String.join(", ", toStrings(jars))
                            + ". Tomcat loads one of them, which one is not defined",
                    "keep one: " + install + " removes the others from " + layout.lib
                            + (libs.size() > 1 ? "; remove any in " + libs.get(1) + " by hand" : ""));
            return;
        }
        Path jar = jars.get(0);
        TomcatUser.Denied unreadable = user == null ? null : user.cannotRead(jar);
        if (unreadable != null) {
            add(Level.PROBLEM, unreadable + ": Tomcat cannot load the valve and will not start", letRead(unreadable));
        } else {
            add(Level.OK, "the valve's jar, once: " + jar);
        }
    }

    // ------------------------------------------------------------ one valve

    private void checkValve(ServerXmlDom.FoundValve valve, boolean several) {
        String where = several ? " (the MaintenanceValve in " + (valve.isInContextXml() ? "conf/context.xml" : valve.container)
                + ")" : "";
        if (!valve.isWhereTomcatLoadsIt()) {
            add(Level.PROBLEM, "the MaintenanceValve in " + valve.container + " (" + valve.path + ") is in no Engine, "
                            + "Host or Context: Tomcat skips it, so no valve starts (" + valve.file + ")",
                    "move it into the <Host> of server.xml, or make it a child of the root <Context> of conf/context.xml "
                            + "(install/install.sh puts it there)");
            return;
        }
        boolean valid = true;
        boolean flagKnown = true;
        String flagFile = null;
        String template = null;
        String adminPort = null;
        for (Map.Entry<String, String> attribute : valve.attributes.entrySet()) {
            String name = attribute.getKey();
            String value = properties.expand(attribute.getValue());
            String unresolved = TomcatProperties.unresolved(value);
            if (!ValveAttributes.isKnown(name)) {
                add(Level.WARNING, name + "=\"" + shown(name, value) + "\" is not an attribute of the valve: Tomcat ignores it"
                        + " (with a warning in catalina.out)" + where, fixForUnknown(name));
                continue;
            }
            if (unresolved != null) {
                flagKnown &= !name.equals(ValveAttributes.FLAG_FILE.name());
                add(Level.WARNING, name + "=\"" + shown(name, attribute.getValue()) + "\" uses " + unresolved
                                + ", which check cannot resolve: its value is not checked" + where,
                        "make sure Tomcat starts with -D" + unresolved.substring(2, unresolved.length() - 1)
                                + "=... (setenv.sh), or write the value itself");
                continue;
            }
            String problem = ValveAttributes.problem(name, value);
            if (problem != null) {
                valid = false;
                flagKnown &= !name.equals(ValveAttributes.FLAG_FILE.name());
                String option = InstallVerb.optionFor(name);
                add(Level.PROBLEM, problem + where + ". The valve refuses to start, and with it the whole Tomcat",
                        "correct it in " + valve.file + (option == null ? ""
                                : ", or for the Valve install added: install/install.sh " + layout.base + " " + option + " <a valid value>"));
                continue;
            }
            if (name.equals(ValveAttributes.FLAG_FILE.name())) {
                flagFile = value;
            } else if (name.equals(ValveAttributes.TEMPLATE.name())) {
                template = value;
            } else if (name.equals(ValveAttributes.ADMIN_PORT.name())) {
                adminPort = value;
            }
        }
        if (valid) {
            add(Level.OK, "every attribute is one the valve takes" + where);
        }
        if (flagKnown) {
            checkFlagFile(ValveAttributes.flagFile(flagFile, layout.base), isRelative(flagFile), where);
        }
        Path templateFile = ValveAttributes.template(template, layout.base);
        if (templateFile != null) {
            checkTemplate(templateFile, where);
        }
        if (adminPort != null) {
            checkAdminPorts(adminPort, valve.isInContextXml() ? serverConnectors : valve.connectors, where);
        }
    }

    private static String shown(String name, String value) {
        ValveAttributes.Attribute attribute = ValveAttributes.named(name);
        return attribute != null && attribute.isSecret() ? "(hidden)" : value;
    }

    private static String[] fixForUnknown(String name) {
        for (ValveAttributes.Attribute attribute : ValveAttributes.all()) {
            if (attribute.name().equalsIgnoreCase(name) || attribute.name().equalsIgnoreCase(name + "s")
                    || (attribute.name() + "s").equalsIgnoreCase(name)) {
                return new String[] {"did you mean " + attribute.name() + "? (names are case-sensitive)"};
            }
        }
        List<String> names = new ArrayList<>();
        ValveAttributes.all().forEach(a -> names.add(a.name()));
        return new String[] {"remove it, or use one of: " + String.join(", ", names)};
    }

    /** Whether a flagFile value (null: the default) is resolved against catalina.base. */
    private static boolean isRelative(String flagFile) {
        try {
            return flagFile == null || flagFile.trim().isEmpty() || !Paths.get(flagFile.trim()).isAbsolute();
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private void checkFlagFile(Path flag, boolean relative, String where) {
        Path dir = flag.getParent();
        add(Level.NOTE, "the flag file is " + flag + where);
        boolean container = checkContainerFlag(flag, relative, where);
        if (!Files.isDirectory(dir)) {
            String missing = "the flag file's directory " + dir + " does not exist" + (Files.exists(dir) ? " as a directory" : "");
            if (imageBuild && !Files.exists(dir)) {
                add(Level.NOTE, missing + " now: at image build time nothing is mounted yet. Every container must mount the "
                        + "shared home there (docker run -v, compose volumes, Helm volumes.sharedHome), or maintenance "
                        + "cannot be turned on in it" + where);
            } else if (container) {
                add(Level.WARNING, missing + ": the shared home is not mounted there, so maintenance cannot be turned "
                                + "on" + where,
                        "mount the shared volume at " + dir + " in every container (docs/containers.md); check does not "
                                + "create it, as an empty directory there would be one per container");
            } else {
                add(Level.WARNING, missing + ": maintenance cannot be turned on until it does",
                        "mkdir -p " + dir + (user != null && !user.root ? " && chown " + user.name + " " + dir : ""));
            }
            return;
        }
        if (user != null) {
            TomcatUser.Denied search = user.cannotSearch(dir);
            if (search != null) {
                add(Level.WARNING, search + ": the valve cannot see the flag file, and holds everyone out (fail closed) "
                        + "as soon as it cannot tell", "chmod o+x " + search.blocker + "   (or let a group " + user.name
                        + " is in do it)");
                return;
            }
            TomcatUser.Denied write = user.cannotWriteIn(dir);
            if (write != null) {
                add(Level.WARNING, write + ": JMX enable/disable (they write the flag as Tomcat's user) will fail; "
                                + "the file itself and the command line run as root still work",
                        "chown " + user.name + " " + dir + "   (or a group " + user.name + " is in, with g+w)");
            }
        }
        if (Files.exists(flag, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(flag, LinkOption.NOFOLLOW_LINKS)) {
                add(Level.WARNING, flag + " exists but is not a regular file: the valve keeps the last state it knew "
                        + "and logs a WARN", "remove it: rm -r " + flag);
                return;
            }
            TomcatUser.Denied read = user == null ? null : user.cannotRead(flag);
            if (read != null) {
                add(Level.WARNING, read + ": the valve holds everyone out (full maintenance) and logs a WARN",
                        "chown " + user.name + " " + flag + "   (or chmod o+r " + flag + ")");
            }
            add(Level.NOTE, "the flag file exists now: users are held out from the first request after the restart",
                    "remove it if that is not what you want: rm " + flag);
        }
    }

    /**
     * What matters about the flag file in a container: the flag must be one file for every node,
     * so in the shared home the images and Atlassian's Helm charts name (JIRA_SHARED_HOME,
     * ATL_PRODUCT_HOME_SHARED, CONFLUENCE_SHARED_HOME). Reported, never guessed: check does not
     * pick a location.
     *
     * @return whether this looks like a container (an official image, an image build, or a
     *         shared home named in the environment)
     */
    private boolean checkContainerFlag(Path flag, boolean relative, String where) {
        List<String> named = new ArrayList<>();
        for (String variable : OfficialImage.SHARED_HOME_VARIABLES) {
            String value = env.get(variable);
            if (value != null && !value.trim().isEmpty()) {
                named.add(variable);
            }
        }
        boolean container = imageBuild || OfficialImage.isHere(env) || !named.isEmpty();
        if (!container) {
            return false;
        }
        String sharedHome = OfficialImage.SHARED_HOME;
        for (String variable : named) {
            String value = env.get(variable).trim();
            Path home;
            try {
                home = Paths.get(value);
            } catch (InvalidPathException e) {
                home = null;
            }
            if (home == null || !home.isAbsolute()) {
                add(Level.WARNING, variable + "=\"" + value + "\" is not an absolute path: what it is relative to depends on "
                                + "who reads it, so check does not guess where the shared home is" + where,
                        "set " + variable + " to the absolute path the shared volume is mounted at, e.g. " + sharedHome);
                continue;
            }
            home = home.normalize();
            sharedHome = home.toString();
            if (relative) {
                continue; // said below
            }
            if (flag.normalize().startsWith(home)) {
                add(Level.OK, "the flag file is in the shared home (" + variable + "=" + value + "): every node that "
                        + "mounts it sees the same flag" + where);
            } else {
                add(Level.WARNING, "the flag file " + flag + " is not in the shared home " + variable + "=" + value
                                + ": the other nodes do not see it, and one node's maintenance is not the cluster's" + where,
                        "name a flag there: install/install.sh " + layout.base + " --flag " + home.resolve("maintenance.flag"));
            }
        }
        if (relative) {
            add(Level.WARNING, "the flag file is a relative path, resolved against catalina.base " + layout.base
                            + ": in a container that is the image's own file system, so every container (pod) has its own "
                            + "flag and one command cannot switch them all" + where,
                    "name a flag file in the shared home: install/install.sh " + layout.base + " --flag " + sharedHome
                            + "/maintenance.flag");
        }
        return true;
    }

    private void checkTemplate(Path template, String where) {
        String problem = TemplateFile.unusable(template);
        if (problem == null && user != null) {
            TomcatUser.Denied read = user.cannotRead(template);
            if (read != null) {
                add(Level.WARNING, read + ": the valve will serve its built-in page instead of the template" + where,
                        letRead(read));
                return;
            }
        }
        if (problem != null) {
            add(Level.WARNING, "the template " + template + " " + problem + ": the valve starts, but serves its built-in "
                    + "page instead" + where, "correct the file, or name another with install/install.sh " + layout.base
                    + " --template FILE");
        } else {
            add(Level.OK, "the template " + template + " is usable" + where);
        }
    }

    private void checkAdminPorts(String adminPort, List<ServerXmlDom.FoundConnector> connectors, String where) {
        List<String> connectorPorts = new ArrayList<>();
        List<String> ajpPorts = new ArrayList<>();
        boolean unknown = false;
        for (ServerXmlDom.FoundConnector connector : connectors) {
            String port = number(properties.expand(connector.port));
            unknown |= TomcatProperties.unresolved(port) != null;
            connectorPorts.add(port);
            if (ServerXmlDom.FoundConnector.isAjp(properties.expand(connector.protocol))) {
                ajpPorts.add(port);
            }
        }
        for (String entry : AccessConfig.split(adminPort)) {
            String port = number(entry);
            if (ajpPorts.contains(port)) {
                add(Level.WARNING, AjpAdminPort.problem(Integer.parseInt(port)) + where,
                        AjpAdminPort.FIX + ":",
                        "  <Connector port=\"8081\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"/>   (any free port, in the"
                                + " <Service> of " + layout.serverXml + ")",
                        "  adminPort=\"8081\" instead of " + port + ", and: ssh -L 8081:127.0.0.1:8081 <this host>");
                continue;
            }
            if (connectorPorts.contains(port)) {
                continue;
            }
            if (unknown) {
                add(Level.NOTE, "adminPort " + port + ": a Connector's port uses a property check cannot resolve; "
                        + "make sure one listens on " + port + where);
            } else {
                add(Level.WARNING, "adminPort " + port + ": no <Connector port=\"" + port + "\"> in the <Service> of the valve"
                                + ": nobody can arrive on that port" + where,
                        "add one to the <Service> in " + layout.serverXml + ", bound to the loopback address:",
                        "  <Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"/>",
                        "and reach it through an SSH tunnel: ssh -L " + port + ":127.0.0.1:" + port + " <this host>");
            }
        }
    }

    /** A port as Tomcat reads it ({@code 08081} is 8081); anything else as written. */
    private static String number(String port) {
        try {
            return String.valueOf(Integer.parseInt(port.trim()));
        } catch (NumberFormatException e) {
            return port;
        }
    }

    // ------------------------------------------------------------ JMX

    private void checkJmx(String given, JmxLogin login) {
        if (given != null) {
            add(Level.NOTE, "JMX: " + JmxSetup.probe(given, login));
            return;
        }
        JmxSetup jmx = JmxSetup.of(layout);
        if (jmx.port == null) {
            List<String> fix = new ArrayList<>();
            fix.add("to open it on this machine only, with a password, add to " + jmx.setenv + ":");
            indent(fix, JmxSetup.snippet(SUGGESTED_JMX_PORT, layout.base));
            fix.add("and create the password and Tomcat's two files, readable by " + tomcatUser() + " only (as root):");
            indent(fix, JmxSetup.passwordFiles(layout.base, user == null ? null : user.name, JmxSetup.ROOTS_PASSWORD_FILE));
            fix.add("restart Tomcat, then: java -jar <maintenance-valve.jar> status --jmx 127.0.0.1:" + SUGGESTED_JMX_PORT
                    + " " + JmxSetup.loginOptions());
            add(Level.NOTE, "JMX: no remote JMX port in " + jmx.setenv + ". The valve does not need one; on, off, status, "
                    + "wait-idle and run do (to confirm and count), unless they run as Tomcat's user with a full JDK (Jira's "
                    + "and Confluence's bundled JRE has no attach API)", fix.toArray(new String[0]));
            return;
        }
        if (jmx.unauthenticated()) {
            List<String> fix = new ArrayList<>();
            fix.add("in " + jmx.setenv + ", replace -Dcom.sun.management.jmxremote.authenticate=" + jmx.authenticate
                    + " (and bind the port to 127.0.0.1) with:");
            indent(fix, JmxSetup.snippet(jmx.port, layout.base));
            fix.add("create the password and Tomcat's two files, readable by " + tomcatUser() + " only (as root):");
            indent(fix, JmxSetup.passwordFiles(layout.base, user == null ? null : user.name, JmxSetup.ROOTS_PASSWORD_FILE));
            fix.add("restart Tomcat; the commands then log in with " + JmxSetup.loginOptions());
            add(Level.WARNING, "JMX: port " + jmx.port + " in " + jmx.setenv + " asks for no password (-Dcom.sun.management."
                    + "jmxremote.authenticate=" + jmx.authenticate + "): " + (jmx.loopbackOnly() ? "every local account"
                    : "anyone who reaches this machine (it is not bound to 127.0.0.1)") + " can connect, call disable() or"
                    + " widen allow, and use Tomcat's other MBeans", fix.toArray(new String[0]));
        }
        String notRoots = setenvNotRoots(jmx.setenv);
        if (notRoots != null) {
            String owner = user == null ? "<tomcat-user>" : user.name;
            add(Level.NOTE, "JMX: port " + jmx.port + " in " + jmx.setenv + "; not tried: " + notRoots + ", and as root "
                    + "check does not connect to a port another user can name (a JMX client reads what the port sends)",
                    "to try it, run check as that user: sudo -u " + owner + " java -jar <maintenance-valve.jar> check "
                            + layout.base,
                    "or, having read " + jmx.setenv + " yourself, name the port: java -jar <maintenance-valve.jar> check "
                            + layout.base + " --jmx " + jmx.address());
            return;
        }
        String reach = "--jmx " + jmx.address() + (jmx.unauthenticated() ? ""
                : login.given() ? login.asOptions() : " --jmx-user NAME --jmx-password-file FILE");
        add(Level.NOTE, "JMX: port " + jmx.port + " in " + jmx.setenv + "; " + JmxSetup.probe(jmx.address(), login),
                "on, off, status, wait-idle and run reach it with " + reach);
    }

    /** The user Tomcat runs as, for the report. */
    private String tomcatUser() {
        return user == null ? "Tomcat's user" : user.name;
    }

    private static void indent(List<String> fix, List<String> lines) {
        for (String line : lines) {
            fix.add("  " + line);
        }
    }

    /**
     * As root, why setenv.sh could name a port another user chose (it, or a directory above it, is
     * not root's alone), or null: not root, or only root can change it.
     */
    private static String setenvNotRoots(Path setenv) {
        if (!RootsAlone.processIsRoot()) {
            return null;
        }
        try {
            return RootsAlone.whoElseCanChange(setenv);
        } catch (IOException e) {
            return "cannot tell who can change it (" + IoErrors.describe(e) + ")";
        }
    }

    private static List<String> toStrings(List<Path> paths) {
        List<String> strings = new ArrayList<>();
        for (Path path : paths) {
            strings.add(path.toString());
        }
        return strings;
    }
}
