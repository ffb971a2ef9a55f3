package org.maintenancevalve.command;

import java.io.PrintStream;
import java.util.List;

/**
 * One command of {@code java -jar maintenance-valve.jar <verb> ...}. Register a new one with one
 * line in {@code Main.allVerbs}.
 */
public interface Verb {

    /** What the program calls itself in its messages. */
    String PROGRAM = "maintenance-valve";

    /** What the admin types, e.g. {@code install}. */
    String name();

    /** One line for the command list of {@code --help}. */
    String summary();

    /**
     * Runs the verb. Every verb answers {@code --help} with its usage and {@link ExitCode#OK}.
     *
     * @param args the arguments after the verb's name
     * @return an {@link ExitCode}
     */
    int run(List<String> args, PrintStream out, PrintStream err);
}
