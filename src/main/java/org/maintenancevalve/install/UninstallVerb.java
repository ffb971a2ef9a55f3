package org.maintenancevalve.install;

import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** {@code uninstall <install-dir>}: the command-line face of {@link Uninstaller}. */
public final class UninstallVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: install/uninstall.sh <install-dir> [--dry-run]\n"
            + "       java -jar maintenance-valve.jar uninstall <install-dir> [--dry-run]\n"
            + "\n"
            + "Removes what install added: the comment and <Valve> line in conf/server.xml or\n"
            + "conf/context.xml (after a backup; earlier backups are kept) and the maintenance-valve\n"
            + "jar(s) in lib/. When nothing else was changed since install, the file is byte for byte\n"
            + "what it was before install. Refuses (and changes nothing) when the file has a\n"
            + "MaintenanceValve install did not add.\n"
            + "\n"
            + "  <install-dir>   the directory with conf/server.xml, as given to install\n"
            + "  --dry-run       print what would change (a diff of the file), change nothing\n"
            + "  --help          this text\n"
            + "\n"
            + "Exit codes: 0 done (or nothing to do), 1 refused (the reason is printed), 2 bad usage.\n";

    private final Map<String, String> env;

    public UninstallVerb() {
        this(System.getenv());
    }

    public UninstallVerb(Map<String, String> env) {
        super("uninstall", "take out what install put in", USAGE,
                Args.spec().switches("--dry-run"));
        this.env = env;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        String dir = args.onlyPositional("<install-dir>");
        new Uninstaller(new AtomicReplace(), Clock.systemDefaultZone(), env)
                .uninstall(InstallVerb.path(dir, "<install-dir>"), args.has("--dry-run"), out);
        return ExitCode.OK;
    }
}
