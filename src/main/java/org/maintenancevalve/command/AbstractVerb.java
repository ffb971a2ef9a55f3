package org.maintenancevalve.command;

import java.io.PrintStream;
import java.util.List;

/**
 * The common shape of a verb: parse the options it declares, answer {@code --help}, and turn a
 * {@link UsageException} into exit code 2 and a {@link Refused} into exit code 1, each with a
 * one-line message on stderr.
 */
public abstract class AbstractVerb implements Verb {

    private final String name;
    private final String summary;
    private final String usage;
    private final Args.Spec options;

    /**
     * @param name    what the admin types, e.g. {@code install}
     * @param summary one line for the command list of {@code --help}
     * @param usage   the full {@code --help} text
     * @param options the options this verb accepts
     */
    protected AbstractVerb(String name, String summary, String usage, Args.Spec options) {
        this.name = name;
        this.summary = summary;
        this.usage = usage;
        this.options = options;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String summary() {
        return summary;
    }

    /** Does the work; {@code args} has been parsed and is not a {@code --help} request. */
    protected abstract int execute(Args args, PrintStream out, PrintStream err) throws UsageException, Refused;

    @Override
    public final int run(List<String> args, PrintStream out, PrintStream err) {
        String prefix = PROGRAM + " " + name() + ": ";
        try {
            Args parsed = options.parse(args);
            if (parsed.has("--help")) {
                out.print(usage);
                return ExitCode.OK;
            }
            return execute(parsed, out, err);
        } catch (UsageException e) {
            err.println(prefix + e.getMessage() + ". Try '" + PROGRAM + " " + name() + " --help'.");
            return ExitCode.USAGE;
        } catch (Refused e) {
            err.println(prefix + "refused: " + e.getMessage());
            return ExitCode.REFUSED;
        } catch (RuntimeException e) {
            err.println(prefix + "failed unexpectedly: " + e + " (details below; please report this)");
            e.printStackTrace(err);
            return ExitCode.REFUSED;
        }
    }
}
