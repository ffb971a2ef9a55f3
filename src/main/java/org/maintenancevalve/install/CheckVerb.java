package org.maintenancevalve.install;

import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.jmxclient.JmxLogin;

import java.io.PrintStream;
import java.util.Map;

/** {@code check <install-dir>}: the preflight check, {@link Preflight}. */
public final class CheckVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar check <install-dir> [options]\n"
            + "\n"
            + "The preflight check: will the next restart of this Tomcat start the valve? Reads\n"
            + "<install-dir>/conf/server.xml and conf/context.xml with the valve's own parsers, looks at\n"
            + "what the restart depends on, and says for each problem how to fix it. It changes\n"
            + "nothing. install.sh runs it at the end; run it again before every restart after editing\n"
            + "server.xml by hand.\n"
            + "\n"
            + "It checks: the Tomcat version; server.xml is well-formed and it (or conf/context.xml)\n"
            + "has a MaintenanceValve where Tomcat loads one (Engine, Host or Context; the root Context\n"
            + "of context.xml), not in both; every attribute is one the valve takes (a bad\n"
            + "one stops the valve, and with it the whole Tomcat); the valve's jar is in lib/ exactly\n"
            + "once and Tomcat's user can read it; the flag file's directory exists and Tomcat's user\n"
            + "can look into it and write in it; the template is usable; every adminPort has a\n"
            + "Connector, and none is an AJP connector (every user of the front end arrives there);\n"
            + "JMX: the port bin/setenv.sh opens, whether it asks for a password (a warning when not)\n"
            + "and whether it answers, or how to open one with a password.\n"
            + "In a container (an official Atlassian image, --image-build, or a shared home named by\n"
            + "JIRA_SHARED_HOME, ATL_PRODUCT_HOME_SHARED or CONFLUENCE_SHARED_HOME): the flag file is\n"
            + "an absolute path in that shared home, which is mounted; a Valve in a server.xml the\n"
            + "image's entrypoint rewrites at every start.\n"
            + "\n"
            + "  <install-dir>        the directory with conf/server.xml (as for install)\n"
            + "  --catalina-home DIR  Tomcat's home, when <install-dir> is a CATALINA_BASE without\n"
            + "                       lib/catalina.jar (default: $CATALINA_HOME)\n"
            + "  --user NAME          the user Tomcat runs as (default: the owner of <install-dir>/logs,\n"
            + "                       else of work/ or temp/)\n"
            + "  --jmx HOST:PORT      the JMX port to try (default: the one bin/setenv.sh opens; as root, only\n"
            + "                       when setenv.sh and the directories above it are root's alone)\n"
            + JmxLogin.USAGE
            + "  --image-build        this runs in a Dockerfile: a missing flag directory (the shared\n"
            + "                       home, mounted when containers run) is a note, not a warning\n"
            + "  --help               this text\n"
            + "\n"
            + "Exit codes: 0 a restart starts the valve (warnings may be printed: read them),\n"
            + "1 it would not (each problem and its fix are printed), 2 bad usage.\n";

    private final Map<String, String> env;

    public CheckVerb() {
        this(System.getenv());
    }

    public CheckVerb(Map<String, String> env) {
        super("check", "preflight: will the next restart start the valve? (reads server.xml, changes nothing)",
                USAGE, JmxLogin.options(Args.spec().values("--catalina-home", "--user", "--jmx").switches("--image-build")));
        this.env = env;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        Preflight.Request request = new Preflight.Request();
        request.dir = InstallVerb.path(args.onlyPositional("<install-dir>"), "<install-dir>");
        request.imageBuild = args.has("--image-build");
        if (args.given("--catalina-home")) {
            request.catalinaHome = InstallVerb.path(args.value("--catalina-home"), "--catalina-home");
        }
        if (args.given("--user")) {
            request.user = args.value("--user").trim();
            if (request.user.isEmpty()) {
                throw new UsageException("--user is empty");
            }
        }
        if (args.given("--jmx")) {
            String jmx = args.value("--jmx").trim();
            if (!jmx.matches("\\[?[A-Za-z0-9.:-]+]?:\\d{1,5}")) {
                throw new UsageException("--jmx must be HOST:PORT, not '" + jmx + "'");
            }
            request.jmx = jmx;
        }
        request.login = JmxLogin.from(args, env);
        return Preflight.report(request, env, out);
    }
}
