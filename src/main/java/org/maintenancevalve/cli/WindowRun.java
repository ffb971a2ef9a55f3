package org.maintenancevalve.cli;

import org.maintenancevalve.command.ExitCode;
import org.maintenancevalve.command.Refused;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.command.Verb;
import org.maintenancevalve.state.FlagFileParser;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One maintenance window around one command, for {@code run}: turns maintenance on (as {@code on}
 * does, confirmed), waits for the requests from before it, runs the command, and ends the window
 * whatever happens. "Whatever happens" includes a signal to run (Ctrl-C, SIGTERM, SIGHUP): a JVM
 * shutdown hook stops the command and ends the window before the JVM exits.
 *
 * <p>run ends only a window it started (a new window id): a window that was there before, or one
 * another admin put in place meanwhile, is left as it is.
 */
final class WindowRun {

    /** run's own exit code: the command was not started, or the window it started could not be ended. */
    static final int NOT_RUN = 125;

    static final String PREFIX = Verb.PROGRAM + " run: ";

    /** What run was asked for besides on's options. */
    static final class Options {
        final Duration drain;
        final boolean keepOnFailure;
        final boolean inWindow;
        final boolean startAnyway;
        final boolean fresh;

        Options(Duration drain, boolean keepOnFailure, boolean inWindow, boolean startAnyway, boolean fresh) {
            this.drain = drain;
            this.keepOnFailure = keepOnFailure;
            this.inWindow = inWindow;
            this.startAnyway = startAnyway;
            this.fresh = fresh;
        }
    }

    private final OnVerb on;
    private final OnVerb.Asked asked;
    private final Options options;
    private final List<String> command;
    private final PrintStream out;
    private final Map<String, String> env;
    private final Clock clock;

    // Shared by the main thread and the shutdown hook: guarded by this.
    private Valves valves;
    private RequestCounts before;
    private String noCounts = "--no-wait: no valve was asked";
    private boolean written;
    private String ownWindow;
    private long openedAt;
    private Process child;
    private boolean stopping;
    private boolean stoppedCommand;
    private boolean ended;
    private boolean endedWell;

    /**
     * @param out where run's own lines go (run gives its stderr: the command's output stays clean)
     */
    WindowRun(OnVerb on, OnVerb.Asked asked, Options options, List<String> command, PrintStream out,
            Map<String, String> env, Clock clock) {
        this.on = on;
        this.asked = asked;
        this.options = options;
        this.command = command;
        this.out = out;
        this.env = env;
        this.clock = clock;
    }

    /**
     * @return the command's exit code; {@link #NOT_RUN} when it was not started or the window could
     *         not be ended after it succeeded; 126 or 127 when it could not be executed or found
     * @throws Refused        nothing was written (a window already there, the flag file not writable)
     * @throws UsageException a value the valve would not accept; nothing was written
     */
    int run() throws Refused, UsageException {
        checkPresentWindow();
        Thread hook = new Thread(this::stopNow, "maintenance-valve run: end the window");
        try {
            if (!asked.noWait) {
                valves = Valves.find(asked.jmx, asked.login, asked.flag, env);
            }
            Runtime.getRuntime().addShutdownHook(hook);
            return window();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // The JVM is shutting down (the hook ends the window), or the hook was never added.
            }
            synchronized (this) {
                if (valves != null) {
                    valves.close();
                }
            }
        }
    }

    /** run ends only a window it starts: one already there needs --in-window (kept) or --new (replaced). */
    private void checkPresentWindow() throws Refused {
        FlagSettings present = FlagFileParser.read(asked.flag, clock);
        String there = null;
        if (present != null && present.problem() != null) {
            there = "on: the flag file " + asked.flag + " is there but cannot be used (" + present.problem() + ")";
        } else if (present != null) {
            MaintenanceState state = MaintenanceState.evaluate(present, null, clock.instant(), MaintenanceState.OFF);
            if (state.phase() == MaintenanceState.Phase.SCHEDULED) {
                there = "scheduled from " + present.from() + " (" + Times.relative(clock.instant(), present.from()) + ")";
            } else if (state.phase() == MaintenanceState.Phase.ACTIVE) {
                there = "on (" + present.mode().text() + (present.by() == null ? "" : ", by " + present.by()) + ")";
            }
        }
        if (there != null && !options.inWindow && !options.fresh) {
            throw new Refused("maintenance is already " + there + ". run ends only a window it starts, so it will"
                    + " not end this one: give --in-window to run the command inside it (it stays on afterwards),"
                    + " or --new to replace it with a window of run's own (ended afterwards), or end it first (off)");
        }
        if (there == null && options.inWindow) {
            throw new Refused("--in-window: there is no window on or scheduled in " + asked.flag
                    + " (leave out --in-window to start one)");
        }
    }

    private int window() throws Refused, UsageException {
        OnVerb.Written window;
        synchronized (this) {
            if (stopping) {
                return NOT_RUN;
            }
            before = readCounts();
            window = on.write(asked, out);
            written = true;
            openedAt = System.nanoTime();
            if (window.outcome.newWindow()) {
                ownWindow = window.outcome.written().window();
            }
        }
        boolean finished = false;
        try {
            if (ownWindow == null && !options.inWindow) {
                out.println(PREFIX + "another window was put in place meanwhile"
                        + (window.outcome.previous().by() == null ? "" : " (by " + window.outcome.previous().by() + ")")
                        + ": run changed it as on does, and leaves it on. The command was not started.");
                end(null);
                return NOT_RUN;
            }
            if (ownWindow == null) {
                out.println("Running inside the window already there: it stays on afterwards (end it with off).");
            }
            String notReady = prepare(window);
            if (notReady != null) {
                out.println(PREFIX + "the command was not started: " + notReady + ".");
                end(null);
                return NOT_RUN;
            }
            Process process;
            long startedAt;
            synchronized (this) {
                if (stopping) {
                    return NOT_RUN;
                }
                out.println("Starting: " + CommandProcess.display(command));
                out.flush();
                startedAt = System.nanoTime();
                try {
                    process = CommandProcess.start(command);
                } catch (CommandProcess.NotStarted e) {
                    out.println(PREFIX + "the command could not be started: " + e.getMessage());
                    end(null);
                    return e.exitCode;
                }
                child = process;
            }
            int exit = waitFor(process);
            String took = Times.format(Duration.ofNanos(System.nanoTime() - startedAt));
            synchronized (this) {
                if (!ended) { // else the shutdown hook has said it, and ended the window
                    out.println((stoppedCommand ? "The command was stopped (run was told to stop)"
                            : "The command exited with " + exit + describeSignal(exit)) + " after " + took + ".");
                }
            }
            boolean endedAsMeant = end(exit);
            finished = true;
            return exit == 0 && !endedAsMeant ? NOT_RUN : exit;
        } finally {
            if (!finished) {
                end(null);
            }
        }
    }

    /**
     * Confirms the window and waits for the requests from before it.
     *
     * @return {@code null} when the command may start, else why not
     */
    private String prepare(OnVerb.Written window) throws Refused {
        FlagSettings settings = window.outcome.written();
        Instant now = clock.instant();
        Duration untilStart = settings.from() != null && settings.from().isAfter(now)
                ? Duration.between(now, settings.from()) : Duration.ZERO;
        if (valves == null) {
            if (!untilStart.isZero()) {
                return "the window starts at " + settings.from() + ", and --no-wait cannot wait for it";
            }
            out.println(window.state + " once each valve watching the flag file has read it, within its pollInterval"
                    + " (default 1 s); not confirmed, and the requests from before it not waited for (--no-wait).");
            return null;
        }
        if (Confirmation.run(valves, asked.flag, settings.fingerprint(), window.state, true, out, out) != ExitCode.OK) {
            return "maintenance is not confirmed on every valve (see above)";
        }
        if (!untilStart.isZero()) {
            out.println("Waiting for the window to start at " + settings.from() + " ("
                    + Times.relative(now, settings.from()) + "), then for the requests from before it.");
        }
        Duration timeout = untilStart.plus(options.drain);
        long remaining = WaitIdleVerb.drain(valves, System.nanoTime() + timeout.toNanos(), timeout, out);
        if (remaining == WaitIdleVerb.NOT_IN_FORCE) {
            return "maintenance is not in force on every valve";
        }
        if (remaining > 0) {
            if (!options.startAnyway) {
                return remaining + " request(s) from before maintenance still running after --drain "
                        + Times.format(options.drain) + " (--start-anyway starts the command all the same)";
            }
            out.println("Starting all the same (--start-anyway): those requests may still change data.");
        }
        return null;
    }

    /** The shutdown hook: stops the command, then ends the window. */
    private void stopNow() {
        Process process;
        boolean running;
        synchronized (this) {
            if (ended) {
                return;
            }
            stopping = true;
            process = child;
            running = process != null && process.isAlive();
            stoppedCommand = running;
        }
        Integer exit = null;
        if (running) {
            out.println(PREFIX + "told to stop: stopping the command (SIGTERM to it and what it started; SIGKILL after "
                    + CommandProcess.GRACE_MILLIS / 1000 + " s), then ending the window.");
            boolean byItself = CommandProcess.stop(process, CommandProcess.GRACE_MILLIS);
            out.println(byItself ? "The command has stopped." : "The command was killed (SIGKILL): it had not stopped"
                    + " within " + CommandProcess.GRACE_MILLIS / 1000 + " s.");
        } else {
            out.println(PREFIX + "told to stop: ending the window.");
        }
        if (process != null && !process.isAlive()) {
            exit = process.exitValue();
        }
        end(exit);
    }

    /**
     * Ends the window once, from whichever thread comes first: turns maintenance off (unless it is
     * not run's window, or the command failed and --keep-on-failure was given) and prints the summary.
     *
     * @param exit the command's exit code; {@code null} when it was not started or did not end
     * @return whether the window ended as it should (off and confirmed, or left on as meant)
     */
    private synchronized boolean end(Integer exit) {
        if (ended) {
            return endedWell;
        }
        ended = true;
        endedWell = true;
        if (!written) {
            return true;
        }
        boolean failed = child != null && (stoppedCommand || exit == null || exit != 0);
        boolean stillOn = true;
        if (ownWindow == null) {
            out.println("Maintenance stays on: run did not start this window. End it with: " + offCommand());
        } else if (failed && options.keepOnFailure) {
            out.println(PREFIX + "MAINTENANCE STAYS ON: the command " + (stoppedCommand ? "was stopped" : exit == null
                    ? "did not end" : "failed (exit " + exit + ")") + " and --keep-on-failure was given.");
            out.println(PREFIX + "users are held out until you end it: " + offCommand());
        } else {
            stillOn = !turnOff();
        }
        RequestCounts after = readCounts();
        out.println(WindowSummary.line(Duration.ofNanos(System.nanoTime() - openedAt), stillOn, before, after, noCounts));
        return endedWell;
    }

    /**
     * Removes the flag file if it still holds run's window, and confirms; says loudly what failed
     * (and clears {@link #endedWell} when it did).
     *
     * @return whether the flag file is gone
     */
    private boolean turnOff() {
        FlagSettings present = FlagFileParser.read(asked.flag, clock);
        if (present != null && (present.problem() != null || !ownWindow.equals(present.window()))) {
            out.println(PREFIX + "the flag file holds another window now (someone replaced run's): it is left as it is,"
                    + " and maintenance stays on. End it with: " + offCommand());
            return false;
        }
        String done;
        try {
            done = OffVerb.remove(asked.flag, out);
        } catch (Refused e) {
            out.println(PREFIX + "MAINTENANCE IS STILL ON: " + e.getMessage() + ". Users are held out until the flag"
                    + " file is removed: " + offCommand());
            endedWell = false;
            return false;
        }
        if (valves == null) {
            out.println(OffVerb.NOT_CONFIRMED);
        } else if (Confirmation.run(valves, asked.flag, "none", done, false, out, out) != ExitCode.OK) {
            out.println(PREFIX + "NOT CONFIRMED that every valve lets users in again (see above).");
            endedWell = false;
        }
        return true;
    }

    private RequestCounts readCounts() {
        if (valves == null) {
            return null;
        }
        try {
            return RequestCounts.read(valves);
        } catch (Refused e) {
            noCounts = e.getMessage();
            return null;
        }
    }

    private String offCommand() {
        StringBuilder off = new StringBuilder("java -jar maintenance-valve.jar off --flag ").append(asked.flag);
        for (String target : asked.jmx) {
            off.append(" --jmx ").append(target);
        }
        return off.append(asked.login.asOptions()).toString();
    }

    private static int waitFor(Process process) {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // Nobody interrupts run's main thread; a stop comes through the shutdown hook.
            }
        }
    }

    /** Java reports a command killed by signal N as 128+N, as shells do. */
    private static String describeSignal(int exit) {
        if (exit <= 128 || exit >= 160) {
            return "";
        }
        int signal = exit - 128;
        String name = signal == 2 ? "SIGINT" : signal == 9 ? "SIGKILL" : signal == 15 ? "SIGTERM" : "signal " + signal;
        return " (128+" + signal + ": " + name + ")";
    }
}
