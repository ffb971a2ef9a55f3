package org.maintenancevalve.cli;

import org.maintenancevalve.state.FlagFileWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** {@code off}: removes the flag file, so every valve watching it lets users in again. */
public final class OffVerb extends AbstractVerb {

    static final String USAGE = ""
            + "Usage: java -jar maintenance-valve.jar off (--flag FILE | --catalina-base DIR)\n"
            + "\n"
            + "Turns maintenance off by removing the flag file. Every valve watching it lets users in\n"
            + "again within its pollInterval (default 1 s).\n"
            + "\n"
            + "  --flag FILE          the flag file\n"
            + "  --catalina-base DIR  use the flagFile of the MaintenanceValve in DIR/conf/server.xml\n"
            + "                       (without either: $MAINTENANCE_FLAG)\n"
            + "\n"
            + "Exit codes: 0 done (also when maintenance was not on), 1 refused, 2 bad usage.\n";

    private final Map<String, String> env;

    public OffVerb(Map<String, String> env) {
        super("off", "turn maintenance off by removing the flag file", USAGE,
                FlagLocation.options(Args.spec()));
        this.env = env;
    }

    @Override
    protected int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused {
        args.noPositional();
        Path flag = FlagLocation.resolve(args, env);
        boolean removed;
        try {
            removed = FlagFileWriter.delete(flag);
        } catch (IOException e) {
            throw new Refused(e.getMessage());
        }
        out.println(removed ? "Maintenance is off (removed " + flag + ")."
                : "Maintenance was not on (no " + flag + ").");
        return ExitCode.OK;
    }
}
