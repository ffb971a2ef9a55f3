package org.maintenancevalve.install;

import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.config.ValveAttributes;
import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.response.TemplateFile;
import org.maintenancevalve.state.FlagPath;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code install <install-dir> [options]}: the command-line face of {@link Installer}. */
public final class InstallVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: install/install.sh <install-dir> [options]\n"
            + "       java -jar maintenance-valve.jar install <install-dir> [options]\n"
            + "\n"
            + "Installs Maintenance Valve into a Jira, Confluence or plain Tomcat (8.5 or later):\n"
            + "copies the jar into <install-dir>/lib (replacing an older one) and adds one <Valve>\n"
            + "line, with a comment, as the first child of the default <Host> in\n"
            + "<install-dir>/conf/server.xml, after a backup (server.xml.bak-<time>). Nothing else in\n"
            + "server.xml changes. Run it again to change options: only the options given change,\n"
            + "and an empty value (--allow '') removes one.\n"
            + "\n"
            + "In Atlassian's official Docker images (" + OfficialImage.TEMPLATE + " exists) the\n"
            + "line goes into conf/context.xml instead, as the first child of its <Context>: the\n"
            + "images' entrypoint rewrites server.xml at every start, never context.xml. Every web\n"
            + "application's Context then gets the valve. See docs/containers.md.\n"
            + "\n"
            + "  <install-dir>          the directory with conf/server.xml: the Jira or Confluence\n"
            + "                         installation directory, CATALINA_HOME, or a CATALINA_BASE\n"
            + "\n"
            + "Options (each sets the Valve attribute named in brackets):\n"
            + "  --flag FILE            the flag file; maintenance is on while it exists [flagFile]\n"
            + "                         (default: <install-dir>/maintenance.flag)\n"
            + "  --allow LIST           client addresses and CIDR blocks that always get through,\n"
            + "                         comma-separated: 10.1.2.3,192.168.0.0/24,::1 [allow]\n"
            + "  --admin-port PORTS     ports of the connectors whose requests always get through (an\n"
            + "                         HTTP admin connector, not AJP), comma-separated [adminPort]\n"
            + "  --admin-users LIST     user names whose logged-in session always gets through,\n"
            + "                         comma-separated [adminUsers]\n"
            + "  --poll-interval MS     how often the valve looks at the flag file, 10 to 3600000\n"
            + "                         (default 1000) [pollInterval]\n"
            + "  --preset NAME          jira, confluence or none: the paths that always get through\n"
            + "                         (default: jira for Jira, confluence for Confluence, else none)\n"
            + "                         [preset]\n"
            + "  --template FILE        your own maintenance page (HTML with placeholders, UTF-8, at\n"
            + "                         most 256 KiB), e.g. conf/maintenance.html [template]\n"
            + "  --catalina-home DIR    Tomcat's home, when <install-dir> is a CATALINA_BASE without\n"
            + "                         lib/catalina.jar (default: $CATALINA_HOME)\n"
            + "  --jar FILE             the maintenance-valve jar to install (default: the one running)\n"
            + "  --context-xml          put the line into conf/context.xml (default in the official\n"
            + "                         images, and where install put it before)\n"
            + "  --server-xml           put the line into conf/server.xml (default elsewhere)\n"
            + "  --image-build          this runs in a Dockerfile: the flag's directory (the shared\n"
            + "                         home) is mounted only when containers run; check says so\n"
            + "  --dry-run              print what would change (a diff of the file), change nothing\n"
            + "  --check                then run 'check <install-dir>', the preflight check of what the\n"
            + "                         next restart loads (install.sh always does)\n"
            + "  --help                 this text\n"
            + "\n"
            + "Every value is checked with the valve's own parsing first: a value the valve would\n"
            + "refuse (and with it the whole Tomcat) is refused here, and nothing is written.\n"
            + "\n"
            + "Exit codes: 0 done (or nothing to do), 1 refused (the reason is printed, nothing was\n"
            + "changed) or, with --check, installed but check found a problem, 2 bad usage or a value\n"
            + "the valve would refuse (nothing was changed).\n";

    /** How an option's value becomes the attribute's. */
    private enum Kind {
        /** Written as given, trimmed. */
        VALUE,
        /** Repeatable, comma-separated; the items are joined with commas. */
        LIST,
        /** A path on this machine, written absolute. */
        PATH
    }

    /** An option that sets a Valve attribute. */
    private static final class AttributeOption {
        final String option;
        final ValveAttributes.Attribute attribute;
        final Kind kind;

        AttributeOption(String option, ValveAttributes.Attribute attribute, Kind kind) {
            this.option = option;
            this.attribute = attribute;
            this.kind = kind;
        }
    }

    /** The options that set an attribute, one line each; each value is parsed by the valve's parser. */
    private static final List<AttributeOption> ATTRIBUTE_OPTIONS = Arrays.asList(
            new AttributeOption("--flag", ValveAttributes.FLAG_FILE, Kind.PATH),
            new AttributeOption("--allow", ValveAttributes.ALLOW, Kind.LIST),
            new AttributeOption("--admin-port", ValveAttributes.ADMIN_PORT, Kind.LIST),
            new AttributeOption("--admin-users", ValveAttributes.ADMIN_USERS, Kind.LIST),
            new AttributeOption("--poll-interval", ValveAttributes.POLL_INTERVAL, Kind.VALUE),
            new AttributeOption("--preset", ValveAttributes.PRESET, Kind.VALUE),
            new AttributeOption("--template", ValveAttributes.TEMPLATE, Kind.PATH));

    /** The install option that sets an attribute, or null when there is none. */
    static String optionFor(String attribute) {
        for (AttributeOption o : ATTRIBUTE_OPTIONS) {
            if (o.attribute.name().equals(attribute)) {
                return o.option;
            }
        }
        return null;
    }

    private final Map<String, String> env;

    public InstallVerb() {
        this(System.getenv());
    }

    public InstallVerb(Map<String, String> env) {
        super("install", "put the valve into a Tomcat, Jira or Confluence (jar + one server.xml or context.xml line)", USAGE,
                options());
        this.env = env;
    }

    private static Args.Spec options() {
        Args.Spec spec = Args.spec().values("--catalina-home", "--jar")
                .switches("--dry-run", "--check", "--context-xml", "--server-xml", "--image-build");
        for (AttributeOption o : ATTRIBUTE_OPTIONS) {
            if (o.kind == Kind.LIST) {
                spec.repeatable(o.option);
            } else {
                spec.values(o.option);
            }
        }
        return spec;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        Installer.Request request = new Installer.Request();
        request.dir = path(args.onlyPositional("<install-dir>"), "<install-dir>");
        request.dryRun = args.has("--dry-run");
        if (args.has("--context-xml") && args.has("--server-xml")) {
            throw new UsageException("give --context-xml or --server-xml, not both");
        }
        request.file = args.has("--context-xml") ? ValveFile.CONTEXT_XML : args.has("--server-xml") ? ValveFile.SERVER_XML : null;
        request.imageBuild = args.has("--image-build");
        if (args.given("--catalina-home")) {
            request.catalinaHome = path(args.value("--catalina-home"), "--catalina-home");
        }
        for (AttributeOption o : ATTRIBUTE_OPTIONS) {
            if (args.given(o.option)) {
                request.changes.put(o.attribute.name(), attributeValue(o, args));
            }
        }
        request.jar = args.given("--jar") ? path(args.value("--jar"), "--jar") : runningJar();
        Installer installer = new Installer(new AtomicReplace(), Clock.systemDefaultZone(), env);
        boolean check = args.has("--check") && !request.dryRun;
        TomcatLayout layout = installer.install(request, out, !check);
        if (!check) {
            return ExitCode.OK;
        }
        out.println();
        Preflight.Request preflight = new Preflight.Request();
        preflight.dir = layout.base;
        preflight.catalinaHome = layout.home;
        preflight.login = JmxLogin.fromEnvironment(env);
        preflight.imageBuild = request.imageBuild;
        return Preflight.report(preflight, env, out);
    }

    /**
     * The attribute value an option asks for, checked with the valve's own parser: a value the
     * valve would refuse is a usage error here, before anything is written. Empty removes it.
     */
    private static String attributeValue(AttributeOption o, Args args) throws UsageException {
        String value;
        if (o.kind == Kind.LIST) {
            value = String.join(",", listItems(args.all(o.option)));
        } else {
            value = args.value(o.option).trim();
        }
        if (value.isEmpty()) {
            return "";
        }
        if (o.kind == Kind.PATH) {
            value = path(value, o.option).toAbsolutePath().normalize().toString();
        }
        try {
            o.attribute.check(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(o.option + " " + (o.attribute.isSecret() ? "(hidden)" : value) + ": " + e.getMessage()
                    + " (the valve would refuse it, and Tomcat would not start); nothing was changed");
        }
        if (o.attribute == ValveAttributes.PRESET) {
            value = value.toLowerCase(Locale.ROOT);
            return value.equals(Product.TOMCAT.preset) ? "" : value;
        }
        if (o.attribute == ValveAttributes.POLL_INTERVAL) {
            return String.valueOf(ValveAttributes.POLL_INTERVAL.parse(value));
        }
        if (o.attribute == ValveAttributes.FLAG_FILE && Files.isDirectory(Paths.get(value))) {
            throw new UsageException("--flag " + value + " is a directory; name the flag file in it, e.g. "
                    + Paths.get(value, FlagPath.DEFAULT_NAME));
        }
        if (o.attribute == ValveAttributes.TEMPLATE) {
            requireUsableTemplate(Paths.get(value));
        }
        return value;
    }

    /** The valve starts without its template (it serves the built-in page), but install asks for one that works. */
    private static void requireUsableTemplate(Path template) throws UsageException {
        String unusable = TemplateFile.unusable(template);
        if (unusable != null) {
            throw new UsageException("--template " + template + " " + unusable
                    + (Files.exists(template) ? "" : "; name an HTML file (install/maintenance.html.example is one to start from)"));
        }
    }

    static Path path(String value, String what) throws UsageException {
        try {
            if (value.trim().isEmpty()) {
                throw new UsageException(what + " is empty");
            }
            return Paths.get(value);
        } catch (InvalidPathException e) {
            throw new UsageException(what + " is not a valid path: " + e.getMessage());
        }
    }

    /** The items of a repeatable list option: {@code --allow a --allow b,c} is {@code a, b, c}. */
    private static List<String> listItems(List<String> values) {
        List<String> items = new ArrayList<>();
        for (String value : values) {
            items.addAll(AccessConfig.split(value));
        }
        return items;
    }

    /** The jar this code runs from; install copies it unless told otherwise. */
    private static Path runningJar() throws Refused {
        CodeSource source = InstallVerb.class.getProtectionDomain().getCodeSource();
        try {
            Path location = source == null ? null : Paths.get(source.getLocation().toURI());
            if (location != null && location.getFileName().toString().endsWith(".jar")) {
                return location;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // reported below
        }
        throw new Refused("not running from a maintenance-valve jar: name the jar to install with --jar");
    }
}
