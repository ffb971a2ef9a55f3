package org.maintenancevalve.state;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.files.FileStamp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the flag file by polling its attributes on one daemon thread, and re-reads it whole
 * when they change. Also re-evaluates the clock each poll, so a scheduled start or an automatic
 * end happens without any file change. Requests never touch the file system: they read the
 * state this class publishes through its {@link Listener}.
 */
public final class FlagFileWatcher {

    /** Receives every change of the state in force. */
    public interface Listener {
        /**
         * @param previous the state until now
         * @param current  the state from now on
         * @param source   what caused the change: {@code file}, {@code JMX}, {@code schedule}, ...
         */
        void stateChanged(MaintenanceState previous, MaintenanceState current, String source);
    }

    /** Source name for changes seen in the file. */
    public static final String SOURCE_FILE = "file";
    /** Source name for the automatic end at {@code until} ({@code autoEnd}). */
    public static final String SOURCE_AUTO_END = "auto-end";
    /** Source name for changes caused by the clock alone. */
    public static final String SOURCE_SCHEDULE = "schedule";

    /** Re-read the content this often even when the attributes look unchanged (clock jumps, NFS). */
    static final int REREAD_EVERY_POLLS = 30;
    /** A file that keeps changing while read is applied anyway after this many tries. */
    private static final int MAX_UNSTABLE_READS = 3;

    private static final Log log = LogFactory.getLog(FlagFileWatcher.class);

    private final Path flagFile;
    private final long pollMillis;
    private final Clock clock;
    private final Listener listener;
    private final String threadName;

    private ScheduledExecutorService executor;
    private volatile Runnable pollHook;

    // Guarded by "this": only the poller thread and explicit refreshes touch these.
    private MaintenanceState current = MaintenanceState.OFF;
    private FlagSettings settings;
    private FileStamp stamp;
    private String reportedProblem;
    /**
     * Whether the flag file has been examined (found absent or present) since start. Until it has,
     * an unusable one means full maintenance: there is no last known state to keep, and "off"
     * would let everyone in while a shared home is still being mounted.
     */
    private boolean examined;
    private int pollsSinceRead;
    private int unstableReads;

    public FlagFileWatcher(Path flagFile, long pollMillis, Clock clock, String threadName, Listener listener) {
        this.flagFile = Objects.requireNonNull(flagFile, "flagFile");
        this.pollMillis = pollMillis;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.threadName = Objects.requireNonNull(threadName, "threadName");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public Path flagFile() {
        return flagFile;
    }

    /** Reads the flag file once, right now, then keeps polling it on a daemon thread. */
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        refresh(SOURCE_FILE);
        ClassLoader loader = FlagFileWatcher.class.getClassLoader();
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            // Never pin a web application's class loader from a thread we own.
            thread.setContextClassLoader(loader);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pollSafely, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops the polling thread and waits for it to end. */
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = executor;
            executor = null;
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("The flag file watcher thread [" + threadName + "] did not stop within 10 seconds");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs {@code hook} on the watcher thread after every scheduled poll (not after
     * {@link #refresh(String)}), so other files that belong to the maintenance answer (the page
     * templates) are looked at off the request path, on the same rhythm. An exception it throws is
     * logged and the polling goes on.
     *
     * @param hook what to run, or {@code null} for nothing
     */
    public void onEachPoll(Runnable hook) {
        this.pollHook = hook;
    }

    /** Whether the polling thread is running. */
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** The state in force as last published. */
    public synchronized MaintenanceState current() {
        return current;
    }

    private void pollSafely() {
        try {
            poll(SOURCE_FILE, false);
        } catch (Throwable t) {
            // Keep the thread alive and the last state in force: an exception must not end the gate.
            log.error("Unexpected error while polling the flag file " + flagFile
                    + "; keeping the state in force (" + current().modeText() + ")", t);
        }
        Runnable hook = pollHook;
        if (hook != null) {
            try {
                hook.run();
            } catch (Throwable t) {
                log.error("Unexpected error after polling the flag file " + flagFile, t);
            }
        }
    }

    /** A change this JVM makes to the flag file (writes or removes it). */
    public interface Change<T> {
        T apply() throws IOException, FlagChangeRefused;
    }

    /**
     * Makes {@code change} and applies its result at once, with no poll in between: the new state
     * is published as {@code source}'s (JMX), never as a poll's that happened to look first. When
     * the change throws, nothing is applied.
     *
     * @return what the change returned
     */
    public synchronized <T> T change(String source, Change<T> change) throws IOException, FlagChangeRefused {
        T result = change.apply();
        refresh(source);
        return result;
    }

    /**
     * Reads the flag file now, whatever its attributes say, and publishes any change at once.
     * Used after this JVM wrote or removed the file, so the change does not wait for a poll.
     *
     * @param source what to name as the cause of a change
     * @return the state in force afterwards
     */
    public synchronized MaintenanceState refresh(String source) {
        return poll(source, true);
    }

    synchronized MaintenanceState poll(String source, boolean forceRead) {
        Instant now = clock.instant();
        FlagFileLook look = FlagFileLook.look(flagFile);
        FlagSettings previousSettings = settings;
        boolean present = settings != null;
        String problem = null;
        Consequence consequence = Consequence.FULL_UNTIL_FIXED;
        switch (look.outcome()) {
            case ABSENT:
                examined = true;
                settings = null;
                stamp = null;
                present = false;
                break;
            case UNUSABLE:
                problem = look.problem();
                stamp = null;
                if (examined) {
                    // Keep the last known state: a vanished NFS mount must not end maintenance.
                    consequence = Consequence.LAST_STATE_KEPT;
                } else {
                    settings = FlagSettings.failClosed(problem);
                    consequence = Consequence.FULL_UNTIL_EXAMINED;
                }
                break;
            default:
                examined = true;
                if (forceRead || !present || !look.stamp().equals(stamp) || ++pollsSinceRead >= REREAD_EVERY_POLLS) {
                    FlagSettings read = FlagFileLook.readSettings(flagFile, clock);
                    FlagFileLook after = FlagFileLook.look(flagFile);
                    boolean stable = after.outcome() == FlagFileLook.Outcome.PRESENT
                            && look.stamp().equals(after.stamp());
                    if (!stable && ++unstableReads < MAX_UNSTABLE_READS) {
                        // Changed while we read it: take it next time, whole.
                        problem = reportedProblem;
                        break;
                    }
                    unstableReads = 0;
                    pollsSinceRead = 0;
                    if (read == null) {
                        // Removed between the look and the read.
                        settings = null;
                        stamp = null;
                    } else {
                        settings = read;
                        stamp = look.stamp();
                        problem = read.problem();
                    }
                } else if (settings != null) {
                    problem = settings.problem();
                }
        }
        report(problem, consequence);

        Instant modified = stamp == null ? null : stamp.modified();
        MaintenanceState next = MaintenanceState.evaluate(settings, modified, now, current);
        if (!next.equals(current)) {
            MaintenanceState previous = current;
            current = next;
            boolean fileChanged = !Objects.equals(previousSettings, settings);
            String cause = fileChanged || forceRead ? source
                    : settings != null && next.phase() == MaintenanceState.Phase.OFF ? SOURCE_AUTO_END : SOURCE_SCHEDULE;
            listener.stateChanged(previous, next, cause);
        }
        return current;
    }

    /** What a problem with the flag file does to the state in force. */
    private enum Consequence {
        /** A file that is there but broken: full maintenance. */
        FULL_UNTIL_FIXED,
        /** Unusable after it was examined once: the last known state stays. */
        LAST_STATE_KEPT,
        /** Unusable since start: full maintenance. */
        FULL_UNTIL_EXAMINED
    }

    /** One WARN per distinct problem, not one per poll; one INFO when it is gone. */
    private void report(String problem, Consequence consequence) {
        if (Objects.equals(problem, reportedProblem)) {
            return;
        }
        if (problem != null) {
            String effect;
            switch (consequence) {
                case LAST_STATE_KEPT:
                    effect = "keeping the last known state (" + current.modeText() + ") until this is fixed";
                    break;
                case FULL_UNTIL_EXAMINED:
                    effect = "it has not been examined since the valve started, so maintenance is on (full mode,"
                            + " default message) until it can be";
                    break;
                default:
                    effect = "maintenance is on (full mode, default message) until the file is fixed";
                    break;
            }
            // A look's problem reads on from the file's name ("is a directory"); a broken file's
            // says what is wrong with its content ("not valid JSON: ...").
            String what = consequence == Consequence.FULL_UNTIL_FIXED ? "cannot be used (" + problem + ")" : problem;
            log.warn("Maintenance flag file " + flagFile + " " + what + "; " + effect);
        } else {
            log.info("Maintenance flag file " + flagFile + " is usable again");
        }
        reportedProblem = problem;
    }
}
