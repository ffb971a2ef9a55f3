package org.maintenancevalve.install;

import org.maintenancevalve.cli.AbstractVerb;
import org.maintenancevalve.cli.Args;
import org.maintenancevalve.cli.ExitCode;
import org.maintenancevalve.cli.Refused;
import org.maintenancevalve.cli.UsageException;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
            + "  <install-dir>          the directory with conf/server.xml: the Jira or Confluence\n"
            + "                         installation directory, CATALINA_HOME, or a CATALINA_BASE\n"
            + "\n"
            + "Options (each sets the Valve attribute named in brackets):\n"
            + "  --flag FILE            the flag file; maintenance is on while it exists [flagFile]\n"
            + "                         (default: <install-dir>/maintenance.flag)\n"
            + "  --allow LIST           client addresses and CIDR blocks that always get through,\n"
            + "                         comma-separated: 10.1.2.3,192.168.0.0/24,::1 [allow]\n"
            + "  --admin-port PORTS     local connector ports whose requests always get through (an\n"
            + "                         admin connector), comma-separated [adminPort]\n"
            + "  --admin-users LIST     user names whose logged-in session always gets through,\n"
            + "                         comma-separated [adminUsers]\n"
            + "  --poll-interval MS     how often the valve looks at the flag file, 10 to 3600000\n"
            + "                         (default 1000) [pollInterval]\n"
            + "  --preset NAME          jira, confluence or none: the paths that always get through\n"
            + "                         (default: jira for Jira, confluence for Confluence, else none)\n"
            + "                         [preset]\n"
            + "  --catalina-home DIR    Tomcat's home, when <install-dir> is a CATALINA_BASE without\n"
            + "                         lib/catalina.jar (default: $CATALINA_HOME)\n"
            + "  --jar FILE             the maintenance-valve jar to install (default: the one running)\n"
            + "  --dry-run              print what would change (a diff of server.xml), change nothing\n"
            + "  --help                 this text\n"
            + "\n"
            + "Exit codes: 0 done (or nothing to do), 1 refused (the reason is printed, nothing was\n"
            + "changed), 2 bad usage.\n";

    public InstallVerb() {
        super("install", "put the valve into a Tomcat, Jira or Confluence (jar + one server.xml line)", USAGE,
                Args.spec()
                        .values("--flag", "--poll-interval", "--preset", "--catalina-home", "--jar")
                        .repeatable("--allow", "--admin-port", "--admin-users")
                        .switches("--dry-run"));
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        Installer.Request request = new Installer.Request();
        request.dir = path(args.onlyPositional("<install-dir>"), "<install-dir>");
        request.dryRun = args.has("--dry-run");
        if (args.given("--catalina-home")) {
            request.catalinaHome = path(args.value("--catalina-home"), "--catalina-home");
        }
        Map<String, String> changes = request.changes;
        if (args.given("--flag")) {
            String flag = args.value("--flag").trim();
            changes.put("flagFile", flag.isEmpty() ? "" : path(flag, "--flag").toAbsolutePath().normalize().toString());
        }
        if (args.given("--preset")) {
            String preset = args.value("--preset").trim();
            if (!Product.isPreset(preset)) {
                throw new UsageException("--preset must be jira, confluence or none, not '" + preset + "'");
            }
            changes.put("preset", preset.equals(Product.TOMCAT.preset) ? "" : preset);
        }
        list(args, "--allow", "allow", changes);
        list(args, "--admin-users", "adminUsers", changes);
        list(args, "--admin-port", "adminPort", changes);
        if (changes.containsKey("adminPort")) {
            for (String port : changes.get("adminPort").split(",")) {
                number(port, "--admin-port", 1, 65535);
            }
        }
        if (args.given("--poll-interval")) {
            changes.put("pollInterval", number(args.value("--poll-interval"), "--poll-interval", 10, 3_600_000));
        }
        request.jar = args.given("--jar") ? path(args.value("--jar"), "--jar") : runningJar();
        new Installer(new AtomicReplace(), Clock.systemDefaultZone(), System.getenv()).install(request, out);
        return ExitCode.OK;
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

    /** Joins the values of a repeatable list option: {@code --allow a --allow b,c} is {@code a,b,c}. */
    private static void list(Args args, String option, String attribute, Map<String, String> changes) {
        if (!args.given(option)) {
            return;
        }
        List<String> items = new ArrayList<>();
        for (String value : args.all(option)) {
            for (String item : value.split(",")) {
                if (!item.trim().isEmpty()) {
                    items.add(item.trim());
                }
            }
        }
        changes.put(attribute, String.join(",", items));
    }

    private static String number(String value, String option, long min, long max) throws UsageException {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return "";
        }
        try {
            long n = Long.parseLong(trimmed);
            if (n >= min && n <= max) {
                return Long.toString(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
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
