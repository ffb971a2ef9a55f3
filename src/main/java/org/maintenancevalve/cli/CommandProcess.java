package org.maintenancevalve.cli;

import org.maintenancevalve.jmxclient.JmxLogin;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command {@code run} runs inside the window: started with this terminal (its input, output
 * and error are run's), and stopped, with what it started, when run is told to stop.
 */
final class CommandProcess {

    /** The shells' exit codes for a command that cannot be executed, or is not found. */
    static final int CANNOT_EXECUTE = 126;
    static final int NOT_FOUND = 127;

    /** How long a command told to stop (SIGTERM) may take before it is killed (SIGKILL). */
    static final long GRACE_MILLIS = 10_000;

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CommandProcess() {
    }

    /** A command that could not be started, with the exit code a shell would give. */
    static final class NotStarted extends Exception {
        private static final long serialVersionUID = 1L;
        final int exitCode;

        NotStarted(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /**
     * Starts the command with run's environment, less the JMX password: run needs it to log in, the
     * command (a backup, a script someone else wrote) does not.
     */
    static Process start(List<String> command) throws NotStarted {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().remove(JmxLogin.PASSWORD_VARIABLE);
            return builder.start();
        } catch (IOException e) {
            // The JDK gives errno only in the text: "Cannot run program "x": error=2, No such file or directory".
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            boolean notFound = message.contains("error=2,");
            throw new NotStarted(message, notFound ? NOT_FOUND : CANNOT_EXECUTE);
        } catch (RuntimeException e) {
            throw new NotStarted(e.toString(), CANNOT_EXECUTE);
        }
    }

    /**
     * Tells the command and every process it started to stop (SIGTERM, as {@code timeout} does), and
     * kills those still running after {@code graceMillis} (SIGKILL). A shell script's children are
     * told too (on Java 9 and later), so a {@code kill} of run alone stops all of it, as Ctrl-C does
     * (the terminal sends it to the whole foreground process group).
     *
     * @return whether everything had stopped by itself within the grace time
     */
    static boolean stop(Process process, long graceMillis) {
        List<Object> family = descendants(process);
        process.destroy();
        for (Object handle : family) {
            call(handle, "destroy");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        boolean stopped = waitFor(process, deadline);
        for (Object handle : family) {
            while (stopped && Boolean.TRUE.equals(call(handle, "isAlive"))) {
                if (System.nanoTime() - deadline >= 0) {
                    stopped = false;
                    break;
                }
                pause();
            }
        }
        if (!stopped) {
            process.destroyForcibly();
            for (Object handle : family) {
                call(handle, "destroyForcibly");
            }
            waitFor(process, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        }
        return stopped;
    }

    /** The command as a shell would show it, quoted where needed. */
    static String display(List<String> command) {
        List<String> words = new ArrayList<>();
        for (String word : command) {
            words.add(PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'");
        }
        return String.join(" ", words);
    }

    private static boolean waitFor(Process process, long deadline) {
        try {
            return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code Process.descendants()} (Java 9+: the jar is built for Java 8), or nothing. */
    private static List<Object> descendants(Process process) {
        try {
            Method descendants = Process.class.getMethod("descendants");
            try (Stream<?> stream = (Stream<?>) descendants.invoke(process)) {
                return stream.collect(Collectors.<Object>toList());
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Collections.emptyList();
        }
    }

    /** Calls a no-argument method of {@code java.lang.ProcessHandle} (Java 9+). */
    private static Object call(Object handle, String method) {
        try {
            return Class.forName("java.lang.ProcessHandle").getMethod(method).invoke(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
