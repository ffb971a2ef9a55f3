package org.maintenancevalve.cli;

import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.jmxclient.JmxLogin;
import org.maintenancevalve.state.FlagFileWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code off}: removes the flag file, then waits until every valve it can reach has let users in
 * again.
 */
public final class OffVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar off [--no-wait] [--jmx HOST:PORT]...\n"
            + "                                     (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Turns maintenance off by removing the flag file, then waits until every valve watching it\n"
            + "has let users in again (each is asked to re-read the file at once). It removes only a flag\n"
            + "file: a regular file (not a link) that is empty, or a JSON object of flag fields (or with the\n"
            + "window id the tools write), a broken one too; anything else is refused and left for you to\n"
            + "look at and remove by hand. Run it as the user Tomcat runs as. Run as root, it runs again as\n"
            + "the user who can already change the flag file's location (see 'on --help'); where only root\n"
            + "can, root removes it itself.\n"
            + "\n"
            + "  --no-wait            do not wait (the valves apply it within their pollInterval, default 1 s)\n"
            + "  --jmx HOST:PORT      the valves to wait for, one per node (repeatable, or a comma list);\n"
            + "                       without it: the local Tomcats found with the JDK's attach API\n"
            + JmxLogin.USAGE
            + "  --flag FILE          the flag file\n"
            + "  --catalina-base DIR  use the flagFile of the MaintenanceValve in DIR/conf/server.xml\n"
            + "                       or DIR/conf/context.xml\n"
            + "                       (without either: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "Exit codes: 0 done (also when maintenance was not on, or no valve watching it was found),\n"
            + "1 refused (nothing removed), or a valve reached did not let users in within its pollInterval;\n"
            + "2 bad usage.\n";

    private final Map<String, String> env;

    public OffVerb(Map<String, String> env) {
        super("off", "turn maintenance off by removing the flag file, and wait until it applies", USAGE, options());
        this.env = env;
    }

    /** The options of {@code off}. */
    static Args.Spec options() {
        return FlagLocation.options(JmxTargets.options(Args.spec().switches("--no-wait")));
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        Path flag = FlagLocation.resolve(args, env, name());
        List<String> jmx = JmxTargets.from(args);
        JmxLogin login = JmxTargets.login(args, env);
        if (args.has("--no-wait") && !jmx.isEmpty()) {
            throw new UsageException("give --jmx or --no-wait, not both");
        }
        PrivateFlagDirectory.requireWhenRoot(flag, name(), true);
        String done = remove(flag, out);
        if (args.has("--no-wait")) {
            out.println(NOT_CONFIRMED);
            return ExitCode.OK;
        }
        return Confirmation.run(jmx, login, flag, "none", done, false, out, err, env);
    }

    /** What {@code --no-wait} says instead of confirming. */
    static final String NOT_CONFIRMED = "Not confirmed (--no-wait): every valve watching this file lets users in"
            + " within its pollInterval (default 1 s).";

    /**
     * Removes the flag file and says so.
     *
     * @return how to say it once the valves have applied it: {@code Maintenance is off}, or
     *         {@code Maintenance was not on} when there was no flag file
     */
    static String remove(Path flag, PrintStream out) throws Refused {
        boolean removed;
        try {
            removed = FlagFileWriter.delete(flag);
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
        out.println(removed ? "Flag file removed: " + flag + "." : "There was no flag file " + flag + ".");
        return removed ? "Maintenance is off" : "Maintenance was not on";
    }
}
