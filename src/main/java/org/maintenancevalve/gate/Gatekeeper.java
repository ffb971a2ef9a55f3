package org.maintenancevalve.gate;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.access.AccessPolicy;
import org.maintenancevalve.access.AdmissionCounts;
import org.maintenancevalve.access.FlagAccess;
import org.maintenancevalve.drain.InFlightRequests;
import org.maintenancevalve.files.PrivateDirectory;
import org.maintenancevalve.files.UnsafeDirectoryException;
import org.maintenancevalve.mail.MailPause;
import org.maintenancevalve.mail.PauseIncomingMail;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.response.TemplateReloader;
import org.maintenancevalve.response.TemplateSet;
import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.FlagChange;
import org.maintenancevalve.state.FlagChangeRefused;
import org.maintenancevalve.state.FlagFileWatcher;
import org.maintenancevalve.state.FlagFileWriter;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.FlagUpdate;
import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The valve's state, without Tomcat: it watches the flag file, keeps the admin's page templates
 * current, and publishes one immutable {@link Gate} that requests read through a volatile field;
 * it counts the requests in flight and what the rules decided; it pauses incoming mail while a
 * window asks for it ({@link MailPause}, on state changes only); and it carries out the JMX
 * operations by changing the flag file, the one source of truth. The valve hands it its
 * attributes at start and asks it on every request; nothing here looks at a request.
 */
public final class Gatekeeper {

    private static final Log log = LogFactory.getLog(Gatekeeper.class);

    private final Clock clock;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final AdmissionCounts counts = new AdmissionCounts();
    private volatile Gate gate = Gate.OPEN;
    private volatile AccessConfig access = AccessConfig.NONE;
    /**
     * Serialises rebuilding the gate (state, template and JMX changes come from different threads);
     * always the innermost lock, so the watcher can never deadlock {@link #stop()}.
     */
    private final Object gateLock = new Object();
    private volatile FlagFileWatcher watcher;
    private volatile Path flagFile;
    private volatile int retryAfter;
    /** The admin's page templates while started with one; read off the request path. */
    private volatile TemplateReloader templates;
    /** The templates the gate in force was rendered from; guarded by gateLock. */
    private TemplateSet renderedWith = TemplateSet.NONE;
    /**
     * Why the gate in force is the closed one instead of the one its state asks for (the failure,
     * as logged), or {@code null} when it is not; guarded by gateLock.
     */
    private String closedBecause;
    /** What the closed gate answers, made at start: nothing is left to load or render when it is needed. */
    private volatile MaintenanceAnswer fallback;
    /** {@link AccessPolicy#NOBODY}, its class loaded at start. */
    private volatile AccessPolicy nobody;
    private final AnswerRenderer renderer;

    /** Renders the maintenance answer for a state (a seam: tests make it fail). */
    interface AnswerRenderer {
        MaintenanceAnswer render(MaintenanceState state, int retryAfter, TemplateSet templates);
    }
    /** This valve's part in pausing incoming mail; new at every start. */
    private volatile MailPause mail = MailPause.forValve(PauseIncomingMail.OFF, false);

    public Gatekeeper(Clock clock) {
        this(clock, MaintenanceAnswer::render);
    }

    Gatekeeper(Clock clock, AnswerRenderer renderer) {
        this.clock = clock;
        this.renderer = renderer;
    }

    // ------------------------------------------------------------ lifecycle

    /**
     * Reads the flag file (and the templates) now, so the first request already meets the state
     * in force, then watches it on a daemon thread.
     *
     * @param template the admin's main page template, or {@code null} for the built-in page
     */
    public synchronized void start(Path flagFile, long pollMillis, int retryAfter, Path template, String threadName) {
        start(flagFile, pollMillis, retryAfter, template, threadName, MailPause.forValve(PauseIncomingMail.OFF, false));
    }

    /**
     * As {@link #start(Path, long, int, Path, String)}, pausing incoming mail as {@code mail} says
     * while a window is in force (from the first read of the flag file on).
     */
    public synchronized void start(Path flagFile, long pollMillis, int retryAfter, Path template, String threadName,
            MailPause mail) {
        this.mail = mail;
        this.flagFile = flagFile;
        this.retryAfter = retryAfter;
        // Made now, so the closed gate cannot fail later on a class that does not load or a render
        // that fails; an Error here stops the valve from starting, which serves nothing.
        fallback = MaintenanceAnswer.fallback(retryAfter);
        nobody = AccessPolicy.NOBODY;
        TemplateReloader reloader = template == null ? null : new TemplateReloader(template);
        if (reloader != null) {
            reloader.refresh(); // says at once (WARN) when the template is missing
        }
        templates = reloader;
        FlagFileWatcher started = new FlagFileWatcher(flagFile, pollMillis, clock, threadName, this::stateChanged);
        started.onEachPoll(this::afterEachPoll);
        started.start();
        watcher = started;
    }

    /**
     * Stops watching; the thread has ended when this returns. A mail pause this valve holds is let
     * go: the last valve to let go puts back what was there before the window.
     */
    public synchronized void stop() {
        FlagFileWatcher stopping = watcher;
        watcher = null;
        if (stopping != null) {
            stopping.stop();
        }
        String released = mail.end();
        if (released != null) {
            log.info("MaintenanceValve stopped while its window paused incoming mail: incoming mail " + released);
        }
    }

    /** Whether it watches the flag file (between {@link #start} and {@link #stop}). */
    public boolean isWatching() {
        return watcher != null;
    }

    /** The {@code Retry-After} seconds when the flag file announces no end, as given at start. */
    public int retryAfter() {
        return retryAfter;
    }

    /** The flag file it watches (or last watched); {@code null} before the first start. */
    public Path flagFile() {
        return flagFile;
    }

    // ------------------------------------------------------------ what requests read

    /** The gate in force: one volatile read. */
    public Gate gate() {
        return gate;
    }

    /**
     * The plain answer made at start (full maintenance, default texts): what the closed gate
     * serves, and what a request gets when writing the gate's own answer fails.
     */
    public MaintenanceAnswer fallbackAnswer() {
        MaintenanceAnswer made = fallback;
        return made != null ? made : MaintenanceAnswer.fallback(retryAfter);
    }

    /** The requests in flight, by generation (see {@link InFlightRequests}). */
    public InFlightRequests inFlight() {
        return inFlight;
    }

    /** What the rules decided so far. */
    public AdmissionCounts counts() {
        return counts;
    }

    /** This valve's part in pausing incoming mail (as started; before the first start, one that never pauses). */
    public MailPause mail() {
        return mail;
    }

    // ------------------------------------------------------------ who may pass

    /** The ways through configured on the valve. */
    public AccessConfig access() {
        return access;
    }

    /** Changes the ways through; while watching, in force for the next request. */
    public void setAccess(AccessConfig changed) {
        access = changed;
        if (watcher != null) {
            synchronized (gateLock) {
                publish(gate.state());
            }
        }
    }

    // ------------------------------------------------------------ the JMX operations

    /**
     * Turns maintenance on in {@code mode}, or changes the window in force, by writing the flag
     * file; in force here when this returns. Only JDK exception types leave it, without a cause of
     * ours: a JMX client has none of our classes.
     *
     * @param message the message shown to users; empty keeps the present one
     * @param minutes the expected end this many minutes from now; 0 keeps the present end, -1 removes it
     * @param by      who asks, for the flag file and the log ({@code JMX})
     * @return what is in force now, and what was kept that ends the window by itself
     */
    public String turnOn(Mode mode, String message, int minutes, String by) throws IOException {
        if (minutes < -1) {
            throw new IllegalArgumentException("minutes must be more than 0 (the expected end), 0 (keep the present"
                    + " end) or -1 (no announced end), not " + minutes);
        }
        FlagFileWatcher running = runningWatcher();
        FlagChange.Builder change = FlagChange.builder().mode(mode).startNow().by(by);
        if (message != null && !message.trim().isEmpty()) {
            change.message(message);
        }
        if (minutes > 0) {
            change.endAfter(Duration.ofMinutes(minutes));
        } else if (minutes < 0) {
            change.noEnd();
        }
        FlagUpdate.Outcome outcome;
        try {
            // As root, refuse before even reading a flag file in a directory another user can change.
            PrivateDirectory.requireWhenRoot(running.flagFile());
            FlagChange asked = change.build();
            outcome = running.change(by,
                    () -> FlagUpdate.apply(running.flagFile(), asked, clock, FlagAccess::requireAccepted));
        } catch (FlagChangeRefused e) {
            log.error(by + " change refused, the flag file is unchanged: " + e.getMessage());
            if (e.isBadValue()) {
                throw new IllegalArgumentException(e.getMessage());
            }
            throw new IllegalStateException(e.getMessage());
        } catch (UnsafeDirectoryException e) {
            log.error(by + " change failed, the state in force is unchanged: " + e.getMessage());
            throw new IOException(e.getMessage());
        } catch (IOException e) {
            log.error(by + " change failed, the state in force is unchanged: " + e.getMessage());
            throw e;
        }
        MaintenanceState now = running.current();
        String note = outcome.autoEndNote();
        if (note != null) {
            log.warn("MaintenanceValve " + by + " " + (mode == Mode.FULL ? "enable" : "enableReadOnly") + ": " + note);
        }
        return "In force on this node: " + now.modeText() + (outcome.newWindow() ? " (a new window)"
                : " (the present window changed" + (outcome.kept().isEmpty() ? "" : "; kept: "
                + String.join(", ", outcome.kept())) + ")")
                + (now.settings() != null && now.settings().until() != null ? ", expected end " + now.settings().until() : "")
                + ". Every other valve watching " + running.flagFile() + " applies it within its pollInterval."
                + (note == null ? "" : " " + note);
    }

    /** Turns maintenance off by removing the flag file, and applies it at once. */
    public void turnOff(String by) throws IOException {
        FlagFileWatcher running = runningWatcher();
        try {
            running.change(by, () -> FlagFileWriter.delete(running.flagFile()));
        } catch (IOException e) {
            log.error(by + " disable failed: " + e.getMessage());
            throw e;
        } catch (FlagChangeRefused e) {
            throw new IllegalStateException(e.getMessage()); // a removal refuses nothing
        }
    }

    /** Reads the flag file now instead of at the next poll, applies it, and returns {@link #appliedFlag()}. */
    public String refresh() {
        runningWatcher().refresh(FlagFileWatcher.SOURCE_FILE);
        return appliedFlag();
    }

    /**
     * A fingerprint of the flag file's settings in force ({@link FlagSettings#fingerprint()}), or
     * {@code none} when no flag file is in force.
     */
    public String appliedFlag() {
        FlagSettings settings = gate.state().settings();
        return settings == null ? "none" : settings.fingerprint();
    }

    /**
     * Waits until every request that entered before maintenance began has finished.
     *
     * @return the number still running when it returns (0 = drained)
     */
    public int awaitIdle(int seconds) throws InterruptedException {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be 0 or more, not " + seconds);
        }
        return (int) Math.min(Integer.MAX_VALUE, inFlight.awaitRetired(seconds * 1000L));
    }

    private FlagFileWatcher runningWatcher() {
        FlagFileWatcher running = watcher;
        if (running == null) {
            throw new IllegalStateException("The MaintenanceValve is not started");
        }
        return running;
    }

    // ------------------------------------------------------------ building the gate

    /**
     * Called by the watcher (and by JMX refreshes) whenever the state in force changes. Returns
     * once a gate for {@code current} is in force: the one it asks for, or the closed one (see
     * {@link #publish}). Should even that fail, it throws, and the watcher offers the change again.
     */
    private void stateChanged(MaintenanceState previous, MaintenanceState current, String source) {
        // Before the gate is published: once a command line sees the new state applied (appliedFlag),
        // incoming mail is paused too; it is never on the request path.
        String incomingMail;
        try {
            incomingMail = mail.follow(current);
        } catch (RuntimeException e) { // a SecurityManager that forbids changing system properties
            incomingMail = "unchanged: " + AuditLine.quote(String.valueOf(e));
            log.error("MaintenanceValve cannot pause or resume incoming mail (" + MailPause.PROPERTY + ")", e);
        }
        Gate before;
        synchronized (gateLock) {
            before = gate;
            publish(current);
        }
        if (current.equals(before.state())) {
            return; // offered again after a failure here: already begun and logged
        }
        if (current.isActive() && !before.state().isActive()) {
            // After the gate is published: whatever entered before is now the work to drain.
            inFlight.maintenanceBegan();
        }
        log.info(AuditLine.describe(previous, current, source, flagFile, incomingMail));
    }

    /**
     * Publishes the gate for {@code state}; guarded by gateLock. Fails closed: when the gate the
     * state asks for cannot be built (any {@code Throwable}: a class that fails to load when
     * maintenance first turns on, memory, a bug), the closed one is published instead (nobody
     * admitted, the plain answer made at start), and building is tried again after each poll
     * ({@link #afterEachPoll}). The gate in force stays until the new one is published: the closed
     * one is not put up first, since requests meanwhile would get the plain answer (and admins
     * none) during every ordinary change, for the moment a render takes.
     */
    private void publish(MaintenanceState state) {
        if (!state.isActive()) {
            gate = new Gate(state, null, null);
            closedBecause = null;
            return;
        }
        Gate built;
        try {
            built = buildGate(state);
        } catch (Throwable t) {
            gate = closed(state);
            reportClosed(t);
            return;
        }
        gate = built;
        if (closedBecause != null) {
            closedBecause = null;
            log.info("MaintenanceValve: the maintenance answer could be prepared now; it is served, and the ways in"
                    + " (adminPort, allow, ...) apply again");
        }
    }

    private Gate closed(MaintenanceState state) {
        return new Gate(state, nobody, fallback);
    }

    /** One ERROR per kind of failure while it lasts, not one per poll. */
    private void reportClosed(Throwable failure) {
        String kind = String.valueOf(failure);
        if (kind.equals(closedBecause)) {
            return;
        }
        closedBecause = kind;
        log.error("MaintenanceValve: cannot prepare the maintenance answer; serving the plain maintenance answer"
                + " to everyone, nobody admitted (not by adminPort, allow, a session or a bypass link either),"
                + " and trying again after each poll", failure);
    }

    /** The gate the state asks for; throws what building it throws. */
    private Gate buildGate(MaintenanceState state) {
        AccessPolicy policy = access.policyFor(state,
                problem -> log.warn("Maintenance flag file " + flagFile + ": " + problem));
        TemplateSet templates = templates();
        Gate built = new Gate(state, policy, renderer.render(state, retryAfter, templates));
        renderedWith = templates;
        return built;
    }

    /** The templates as they are now (read from disk if changed); never called on a request. */
    private TemplateSet templates() {
        TemplateReloader reloader = templates;
        return reloader == null ? TemplateSet.NONE : reloader.refresh();
    }

    /**
     * Runs on the watcher thread after each poll: builds the gate again when a template changed, or
     * when the closed gate stands in for one that could not be built.
     */
    private void afterEachPoll() {
        if (gate.isOpen()) {
            return;
        }
        synchronized (gateLock) {
            Gate current = gate;
            if (current.isOpen()) {
                return;
            }
            if (closedBecause != null) {
                publish(current.state());
            } else if (templates != null && templates() != renderedWith) {
                publish(current.state());
                if (closedBecause == null) {
                    log.info("MaintenanceValve: a maintenance page template changed; the page was rendered again");
                }
            }
        }
    }
}
