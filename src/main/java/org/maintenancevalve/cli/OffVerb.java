package org.maintenancevalve.cli;

import org.maintenancevalve.command.AbstractVerb;
import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
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
            + "has let users in again (each is asked to re-read the file at once).\n"
            + "\n"
            + "  --no-wait            do not wait (the valves apply it within their pollInterval, default 1 s)\n"
            + "  --jmx HOST:PORT      the valves to wait for, one per node (repeatable, or a comma list);\n"
            + "                       without it: the local Tomcats found with the JDK's attach API\n"
            + "  --flag FILE          the flag file\n"
            + "  --catalina-base DIR  use the flagFile of the MaintenanceValve in DIR/conf/server.xml\n"
            + "                       or DIR/conf/context.xml\n"
            + "                       (without either: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "Exit codes: 0 done (also when maintenance was not on, or no valve watching it was found),\n"
            + "1 refused, or a valve reached did not let users in within its pollInterval; 2 bad usage.\n";

    private final Map<String, String> env;

    public OffVerb(Map<String, String> env) {
        super("off", "turn maintenance off by removing the flag file, and wait until it applies", USAGE,
                FlagLocation.options(JmxTargets.options(Args.spec().switches("--no-wait"))));
        this.env = env;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        Path flag = FlagLocation.resolve(args, env);
        List<String> jmx = JmxTargets.from(args);
        if (args.has("--no-wait") && !jmx.isEmpty()) {
            throw new UsageException("give --jmx or --no-wait, not both");
        }
        String done = remove(flag, out);
        if (args.has("--no-wait")) {
            out.println(NOT_CONFIRMED);
            return ExitCode.OK;
        }
        return Confirmation.run(jmx, flag, "none", done, false, out, err, env);
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
