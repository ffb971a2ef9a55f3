package org.maintenancevalve.cli;

import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.Verb;
import org.maintenancevalve.files.PathControl;
import org.maintenancevalve.files.ProcessUser;
import org.maintenancevalve.config.Version;
import org.maintenancevalve.install.CheckVerb;
import org.maintenancevalve.install.InstallVerb;
import org.maintenancevalve.install.UninstallVerb;
import org.maintenancevalve.jmxclient.SerialFilter;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar maintenance-valve-<version>.jar <verb> [args]}: dispatches to a {@link Verb}.
 */
public final class Main {

    /** Every verb, in the order {@code --help} lists them. Add a verb here, one line. */
    private static List<Verb> allVerbs(Map<String, String> env, Clock clock) {
        return Arrays.<Verb>asList(
                new OnVerb(env, clock),
                new OffVerb(env),
                new StatusVerb(env, clock),
                new WaitIdleVerb(env),
                new RunVerb(env, clock),
                new InstallVerb(env),
                new CheckVerb(env),
                new UninstallVerb(env));
    }

    private Main() {
    }

    public static void main(String[] args) {
        // Before anything deserialises: the JMX ports the commands connect to send objects.
        SerialFilter.install();
        int code = runAsTheRightUser(args, System.out, System.err, System.getenv());
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * As root, a verb that acts on a flag file runs as the user {@link ActingUser} chooses: in a
     * new process ({@link AsUser}), after one line on stderr saying as whom and why; or is refused
     * when no user can be chosen safely. Otherwise, and for every other verb, as {@link #run}.
     */
    static int runAsTheRightUser(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (args.length == 0 || !ActingUser.VERBS.containsKey(args[0]) || ProcessUser.effectiveUid() != 0) {
            return run(args, out, err, env);
        }
        String verb = args[0];
        String prefix = verb.equals("run") ? WindowRun.PREFIX + "the command was not started: "
                : Verb.PROGRAM + " " + verb + ": refused: ";
        int refused = verb.equals("run") ? WindowRun.NOT_RUN : ExitCode.REFUSED;
        Accounts accounts = Accounts.system();
        ActingUser.Decision decision = ActingUser.decide(verb, Arrays.asList(args).subList(1, args.length), env,
                PathControl::of, accounts);
        if (decision.refusal != null) {
            err.println(prefix + decision.refusal);
            return refused;
        }
        if (decision.root()) {
            return run(args, out, err, env);
        }
        try {
            AsUser asUser = AsUser.prepare(decision.account, accounts.groupIds(decision.account), Arrays.asList(args),
                    env, AsUser.java(), AsUser.jar(), AsUser.Tools.system());
            err.println(Verb.PROGRAM + " " + verb + ": as root, this runs as " + decision.account + ": " + decision.why
                    + " (" + asUser.how() + ").");
            out.flush();
            err.flush();
            return asUser.run();
        } catch (Refused e) {
            err.println(prefix + e.getMessage());
            return refused;
        }
    }

    /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System.getenv());
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with the environment given (for tests). */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        Map<String, Verb> verbs = verbs(env);
        if (args.length == 0) {
            err.println(Verb.PROGRAM + ": no command given. Try '" + Verb.PROGRAM + " --help'.");
            return ExitCode.USAGE;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.print(usage(verbs));
            return ExitCode.OK;
        }
        if (name.equals("--version")) {
            out.println(Verb.PROGRAM + " " + Version.current());
            return ExitCode.OK;
        }
        Verb verb = verbs.get(name);
        if (verb == null) {
            err.println(Verb.PROGRAM + ": unknown command '" + name + "'. Try '" + Verb.PROGRAM + " --help'.");
            return ExitCode.USAGE;
        }
        List<String> rest = Collections.unmodifiableList(Arrays.asList(args).subList(1, args.length));
        return verb.run(rest, out, err);
    }

    private static Map<String, Verb> verbs(Map<String, String> env) {
        Map<String, Verb> byName = new LinkedHashMap<>();
        for (Verb verb : allVerbs(env, Clock.systemDefaultZone())) {
            byName.put(verb.name(), verb);
        }
        return byName;
    }

    private static String usage(Map<String, Verb> verbs) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: java -jar maintenance-valve.jar <command> [arguments]\n\n");
        text.append("Maintenance Valve: holds users out of a Tomcat application (Jira, Confluence, ...)\n");
        text.append("with a 503 maintenance answer while a flag file exists.\n\nCommands:\n");
        for (Verb verb : verbs.values()) {
            text.append(String.format("  %-12s %s\n", verb.name(), verb.summary()));
        }
        text.append("\n'<command> --help' describes a command; '--version' prints the version.\n");
        text.append("Exit codes: 0 done, 1 refused or not confirmed (the reason is printed), 2 bad usage;\n");
        text.append("run gives its command's (and 125 when it did not start it).\n");
        return text.toString();
    }
}
