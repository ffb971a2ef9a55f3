package org.maintenancevalve.state;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.files.FileStamp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the flag file by polling its attributes on one daemon thread, and re-reads it whole
 * when they change (and every {@link #REREAD_EVERY_POLLS} polls: opening the file revalidates
 * what an NFS client caches about it). Each poll also opens its directory (NFS revalidation, see
 * {@link #revalidate}) and checks that it is still the directory the state in force came from.
 * Also re-evaluates the clock each poll, so a scheduled start or an automatic end happens without
 * any file change. Requests never touch the file system: they read the state this class
 * publishes through its {@link Listener}.
 */
public final class FlagFileWatcher {

    /** Receives every change of the state in force. */
    public interface Listener {
        /**
         * Applies a change. The watcher keeps the new state only once this returns: when it throws
         * (anything, an {@code Error} too), the state in force stays {@code previous} and the same
         * change is offered again at the next poll.
         *
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
    /** The flag file's directory; {@code null} when it has none (a file at the root). */
    private final Path directory;
    /** The directory the state in force was read from; {@code null} until one is seen. */
    private DirectoryIdentity trustedDirectory;
    /** The directory the last look found, so an unchanged one costs one {@code stat}. */
    private DirectoryIdentity seenDirectory;
    /** The other directory last warned about; {@code null} while none is. */
    private String reportedDirectory;
    /** The failure last reported for a state the listener could not apply; {@code null} while none. */
    private String applyFailure;
    /** A state the listener could not apply yet, and its cause, named again when it is applied. */
    private MaintenanceState pendingState;
    private String pendingCause;

    public FlagFileWatcher(Path flagFile, long pollMillis, Clock clock, String threadName, Listener listener) {
        this.flagFile = Objects.requireNonNull(flagFile, "flagFile");
        this.directory = flagFile.toAbsolutePath().getParent();
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
     * the change throws, nothing is applied. An admin's change acts on the flag file's directory as
     * it is now, so it also accepts a directory that is not the one it was (see {@link #poll}).
     *
     * @return what the change returned
     */
    public synchronized <T> T change(String source, Change<T> change) throws IOException, FlagChangeRefused {
        T result = change.apply();
        poll(source, true, true);
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
        return poll(source, forceRead, false);
    }

    /**
     * One look at the flag file, between two looks at its directory. What a look finds counts
     * only in the directory the state in force was read from (the first one the valve saw, or the
     * last it accepted): when the path leads to another directory (a shared home unmounted leaves
     * its empty mount point; a link swapped), the look may turn maintenance on or keep it on, but
     * never end it (nor drop a scheduled window). The valve then keeps the last state, says so
     * once, and follows the file again once the directory is back. While no flag is in force,
     * another directory is accepted at once (a shared home mounted after Tomcat started).
     *
     * @param acceptDirectory whether the directory as it is now becomes the one the state comes
     *                        from, whatever it was (an admin's change through JMX)
     */
    private MaintenanceState poll(String source, boolean forceRead, boolean acceptDirectory) {
        Instant now = clock.instant();
        revalidate(directory);
        DirectoryIdentity before = directory == null ? null : DirectoryIdentity.of(directory, seenDirectory);
        FlagSettings previousSettings = settings;
        FileStamp previousStamp = stamp;
        boolean previouslyExamined = examined;
        Finding finding = lookAtFlagFile(forceRead);
        DirectoryIdentity after = directory == null ? null : DirectoryIdentity.of(directory, before);
        seenDirectory = after;

        Instant modified = stamp == null ? null : stamp.modified();
        MaintenanceState next = MaintenanceState.evaluate(settings, modified, now, current);
        // Steady: the same directory before and after the look, so the look was made in it.
        boolean steady = directory == null || (before != null && before.sameKeyAs(after));
        boolean same = directory == null || (steady && (trustedDirectory == null || after.isSameDirectoryAs(trustedDirectory)));
        // What another directory may not do: let users in, or drop a window that is scheduled.
        boolean loses = current.isActive() && !next.isActive() || current.settings() != null && next.settings() == null;
        if (!same && loses && !(steady && acceptDirectory)) {
            // A look into another directory (or one that changed while looked at) does not end maintenance.
            settings = previousSettings;
            stamp = previousStamp;
            examined = previouslyExamined;
            modified = stamp == null ? null : stamp.modified();
            next = MaintenanceState.evaluate(settings, modified, now, current);
            if (steady) {
                reportDirectory(trustedDirectory, after);
            }
        } else {
            report(finding.problem, finding.consequence);
            if (same && directory != null) {
                if (reportedDirectory != null) {
                    log.info("Maintenance flag file " + flagFile + ": its directory " + directory + " is the one it"
                            + " was again (" + after.describe() + "); the flag file there is followed again");
                    reportedDirectory = null;
                }
                trustedDirectory = after; // the same directory; a share mounted again may have a new device number
            } else if (steady) {
                accepted(after, next, acceptDirectory ? source : null);
            }
        }
        return publish(next, previousSettings, source, forceRead);
    }

    /**
     * Opens the directory and closes it again, reading no entry. On NFS an open revalidates what
     * the client caches about the directory (close-to-open consistency, unless mounted
     * {@code nocto}), and with it the cached answers for the names in it: a flag file created or
     * removed on another node is seen at this poll, where a {@code stat} alone may answer from the
     * attribute cache for up to {@code acdirmax} (60 s by default). Elsewhere it costs a syscall.
     */
    private static void revalidate(Path directory) {
        if (directory == null) {
            return;
        }
        try (DirectoryStream<Path> opened = Files.newDirectoryStream(directory)) {
            // Opening it is the point.
        } catch (IOException | RuntimeException e) {
            // A missing or unreadable directory is told by the looks that follow.
        }
    }

    /** The directory the state in force was read from is no longer there: one WARN per new one seen. */
    private void reportDirectory(DirectoryIdentity was, DirectoryIdentity now) {
        String text = now.describe();
        if (text.equals(reportedDirectory)) {
            return;
        }
        reportedDirectory = text;
        log.warn("Maintenance flag file " + flagFile + ": its directory " + directory + " is not the one the"
                + " state in force was read from (was: " + was.describe() + "; now: " + text + "). The shared"
                + " home may have been unmounted, or the directory replaced. Keeping the last known state ("
                + current.modeText() + "): a look into another directory does not end maintenance. Fix: mount"
                + " the shared home at " + directory + " again; the valve follows the flag file there again by"
                + " itself. If the new directory is meant to stay, a flag file written there is applied, and JMX"
                + " disable on this node or a restart of Tomcat accepts it as it is");
    }

    /**
     * Another directory, accepted: nobody was held out, what it holds keeps them out, or an admin's
     * change ({@code by}, else {@code null}) acted on it.
     */
    private void accepted(DirectoryIdentity now, MaintenanceState next, String by) {
        DirectoryIdentity was = trustedDirectory;
        trustedDirectory = now;
        reportedDirectory = null;
        String change = "Maintenance flag file " + flagFile + ": its directory " + directory + " is another one"
                + " now (was: " + was.describe() + "; now: " + now.describe() + ")";
        if (by != null) {
            log.info(change + "; accepted by a change through " + by + ": maintenance is " + next.modeText()
                    + ", and the flag file in this directory is followed from now on");
        } else if (next.isActive()) {
            log.info(change + " and it holds a flag file: applying it, and following the flag file in this"
                    + " directory from now on");
        } else {
            log.info(change + ". Maintenance is " + next.modeText() + " here, and the flag file in this directory"
                    + " is followed from now on. If a shared home was unmounted, mount it again: a flag file"
                    + " written on it is not seen by this node until then");
        }
    }

    /** What one look at the flag file found wrong, and what that does. */
    private static final class Finding {
        final String problem;
        final Consequence consequence;

        Finding(String problem, Consequence consequence) {
            this.problem = problem;
            this.consequence = consequence;
        }
    }

    /** Looks at the flag file and reads it when needed, updating the settings and stamp it holds. */
    private Finding lookAtFlagFile(boolean forceRead) {
        FlagFileLook look = FlagFileLook.look(flagFile);
        boolean present = settings != null;
        String problem = null;
        Consequence consequence = Consequence.FULL_UNTIL_FIXED;
        switch (look.outcome()) {
            case ABSENT:
                examined = true;
                settings = null;
                stamp = null;
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
        return new Finding(problem, consequence);
    }

    /**
     * Hands a changed state to the listener and keeps it only once the listener has applied it:
     * a listener that fails has not, so the same state is offered again at the next poll.
     */
    private MaintenanceState publish(MaintenanceState next, FlagSettings previousSettings, String source,
            boolean forceRead) {
        if (next.equals(current)) {
            return current;
        }
        boolean fileChanged = !Objects.equals(previousSettings, settings);
        String cause = fileChanged || forceRead ? source
                : next.equals(pendingState) ? pendingCause
                : settings != null && next.phase() == MaintenanceState.Phase.OFF ? SOURCE_AUTO_END : SOURCE_SCHEDULE;
        MaintenanceState previous = current;
        try {
            listener.stateChanged(previous, next, cause);
        } catch (Throwable t) {
            pendingState = next;
            pendingCause = cause;
            reportApplyFailure(next, t);
            return current;
        }
        current = next;
        pendingState = null;
        pendingCause = null;
        if (applyFailure != null) {
            log.info("Maintenance flag file " + flagFile + ": the state " + next.modeText() + " is applied now");
            applyFailure = null;
        }
        return current;
    }

    /** One ERROR per kind of failure while the same state keeps failing, not one per poll. */
    private void reportApplyFailure(MaintenanceState next, Throwable failure) {
        String kind = next.modeText() + ": " + failure;
        if (kind.equals(applyFailure)) {
            return;
        }
        applyFailure = kind;
        log.error("Maintenance flag file " + flagFile + ": the state " + next.modeText() + " could not be applied;"
                + " the state in force stays " + current.modeText() + ", and it is tried again at each poll", failure);
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
