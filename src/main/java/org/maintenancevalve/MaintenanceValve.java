package org.maintenancevalve;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Session;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.session.StandardSession;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.buf.Ascii;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.MessageBytes;
import org.apache.tomcat.util.http.MimeHeaders;
import org.apache.tomcat.util.http.ServerCookie;
import org.apache.tomcat.util.http.ServerCookies;
import org.maintenancevalve.access.AccessConfig;
import org.maintenancevalve.access.AccessPolicy;
import org.maintenancevalve.access.AdmittedBy;
import org.maintenancevalve.access.BypassLink;
import org.maintenancevalve.access.BypassSecret;
import org.maintenancevalve.access.FlagAccess;
import org.maintenancevalve.access.RequestFacts;
import org.maintenancevalve.banner.BannerEndpoints;
import org.maintenancevalve.banner.BannerPath;
import org.maintenancevalve.config.ValveAttributes;
import org.maintenancevalve.config.Version;
import org.maintenancevalve.drain.InFlightRequests;
import org.maintenancevalve.files.PrivateDirectory;
import org.maintenancevalve.files.UnsafeDirectoryException;
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
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts the application behind it into maintenance while a flag file exists: requests get a fast
 * {@code 503} maintenance answer, except those the configured rules admit.
 * <p>
 * Configure it in {@code server.xml} at Engine, Host or Context level:
 * <pre>{@code <Valve className="org.maintenancevalve.MaintenanceValve" flagFile="maintenance.flag"/>}</pre>
 * Tomcat registers it in JMX as {@code Catalina:type=Valve,...,name=MaintenanceValve}; see
 * {@code mbeans-descriptors.xml} for what is shown there.
 * <p>
 * This class is the Tomcat glue only: the flag file is watched by {@link FlagFileWatcher}, who
 * may pass is decided by {@link AccessPolicy}, and the answer is rendered by
 * {@link MaintenanceAnswer}.
 */
public class MaintenanceValve extends ValveBase {

    private static final Log log = LogFactory.getLog(MaintenanceValve.class);

    /** How long between two request-path error reports, so a broken state cannot flood the log. */
    private static final long ERROR_LOG_INTERVAL_MILLIS = 60_000;

    // ------------------------------------------------------------ configuration

    private String flagFile = "maintenance.flag";
    private long pollInterval = 1000;
    private int retryAfter = 300;
    private volatile AccessConfig access = AccessConfig.NONE;
    private String template;
    private BannerPath bannerPath = BannerPath.parse(BannerPath.DEFAULT);
    /** Attribute problems found by the setters; the valve refuses to start while there are any. */
    private final List<String> invalidAttributes = new ArrayList<>();

    // ------------------------------------------------------------ state

    private final Clock clock = Clock.systemUTC();
    private volatile Gate gate = Gate.OPEN;
    /**
     * Serialises rebuilding the gate (state, template and JMX changes come from different threads);
     * always the innermost lock, so the watcher can never deadlock stop().
     */
    private final Object gateLock = new Object();
    private volatile FlagFileWatcher watcher;
    /** The admin's page templates while started with a {@code template}; read off the request path. */
    private volatile TemplateReloader templateFiles;
    /** The templates the gate in force was rendered from; guarded by gateLock. */
    private TemplateSet renderedWith = TemplateSet.NONE;
    private final LongAdder blockedCount = new LongAdder();
    private final InFlightRequests inFlight = new InFlightRequests();
    private final LongAdder[] admittedCounts = newCounters(AdmittedBy.values().length);
    private final AtomicLong lastErrorLogMillis = new AtomicLong(Long.MIN_VALUE);
    /** Whether the hint about a bypass cookie without Secure behind a TLS proxy was logged. */
    private final AtomicBoolean insecureCookieWarned = new AtomicBoolean();
    private final BannerEndpoints banner = new BannerEndpoints();

    public MaintenanceValve() {
        super(true);
    }

    // ------------------------------------------------------------ attributes

    /**
     * The flag file: while it exists, maintenance is on. A relative path is resolved against
     * {@code catalina.base}. Default {@code maintenance.flag}.
     *
     * @return the absolute path of the flag file
     */
    public String getFlagFile() {
        try {
            return flagPath().toString();
        } catch (InvalidPathException e) {
            return flagFile;
        }
    }

    public void setFlagFile(String flagFile) {
        this.flagFile = parsed(ValveAttributes.FLAG_FILE, flagFile, "");
    }

    /** Milliseconds between two looks at the flag file's attributes. Default 1000. */
    public long getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = parsed(ValveAttributes.POLL_INTERVAL, pollInterval, 1000L);
    }

    /** The {@code Retry-After} in seconds when the flag file announces no end. Default 300. */
    public int getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(String retryAfter) {
        this.retryAfter = parsed(ValveAttributes.RETRY_AFTER, retryAfter, 300);
    }

    /**
     * Addresses and CIDR blocks that pass, comma-separated: {@code 10.1.2.3, 192.168.0.0/24, ::1}.
     * Matched on the parsed client address; a request carrying a forwarding header is not admitted
     * by address (use Tomcat's RemoteIpValve for proxies). Writable in JMX.
     */
    public String getAllow() {
        return access.allow();
    }

    public void setAllow(String allow) {
        changeAccess(ValveAttributes.ALLOW, allow);
    }

    /** Local connector ports whose requests pass, comma-separated (an admin connector). */
    public String getAdminPort() {
        return access.adminPort();
    }

    public void setAdminPort(String adminPort) {
        changeAccess(ValveAttributes.ADMIN_PORT, adminPort);
    }

    /** User names whose existing session passes, comma-separated, compared exactly. Writable in JMX. */
    public String getAdminUsers() {
        return access.adminUsers();
    }

    public void setAdminUsers(String adminUsers) {
        changeAccess(ValveAttributes.ADMIN_USERS, adminUsers);
    }

    /** The session attribute holding the logged-in {@link Principal}. Default Seraph's. */
    public String getSessionUserAttribute() {
        return access.sessionUserAttribute();
    }

    public void setSessionUserAttribute(String attribute) {
        changeAccess(ValveAttributes.SESSION_USER_ATTRIBUTE, attribute);
    }

    /**
     * Paths that pass, comma-separated, relative to the context: {@code /status, /s/}. An entry
     * ending in {@code /} is a prefix of whole segments. Writable in JMX.
     */
    public String getAllowPaths() {
        return access.allowPaths();
    }

    public void setAllowPaths(String allowPaths) {
        changeAccess(ValveAttributes.ALLOW_PATHS, allowPaths);
    }

    /**
     * {@code none} (default), {@code jira} or {@code confluence}: adds that product's health check,
     * login endpoints and static files, and in read-only mode its POSTs that only read.
     */
    public String getPreset() {
        return access.preset();
    }

    public void setPreset(String preset) {
        changeAccess(ValveAttributes.PRESET, preset);
    }

    /**
     * Requests that only read although their method is not GET, HEAD or OPTIONS, comma-separated
     * {@code METHOD /exact/path} entries: {@code POST /rest/api/2/search, POST /rest/foo/1/query}.
     * Read-only mode lets them through, with the preset's own. Writable in JMX.
     */
    public String getReadOnlyReads() {
        return access.readOnlyReads();
    }

    public void setReadOnlyReads(String readOnlyReads) {
        changeAccess(ValveAttributes.READ_ONLY_READS, readOnlyReads);
    }

    /** Whether a bypass secret is configured as an attribute (the secret itself is never shown). */
    public boolean isBypassSecretSet() {
        return access.hasBypassSecret();
    }

    /**
     * The secret of the bypass link {@code ?maintenance-bypass=<secret>} (at least 16 characters).
     * The flag file's {@code bypassSecret} wins over it.
     */
    public void setBypassSecret(String bypassSecret) {
        changeAccess(ValveAttributes.BYPASS_SECRET, bypassSecret);
    }

    /**
     * Applies a change of the access configuration, parsed by {@link ValveAttributes}. Before
     * start a bad value is remembered and stops the valve from starting; afterwards (JMX) it is
     * refused and nothing changes.
     */
    private synchronized void changeAccess(ValveAttributes.Access attribute, String value) {
        try {
            access = attribute.applyTo(access, value);
        } catch (IllegalArgumentException e) {
            String problem = attribute.problem(value, e.getMessage());
            if (watcher == null) {
                invalidAttributes.add(problem);
                return;
            }
            throw new IllegalArgumentException(problem, e);
        }
        if (watcher != null) {
            synchronized (gateLock) {
                gate = buildGate(gate.state);
            }
            log.info("MaintenanceValve " + attribute.name() + " changed through JMX to "
                    + (attribute.isSecret() ? "(hidden)" : AuditLine.quote(value)));
            if (attribute == ValveAttributes.ALLOW) {
                warnIfLoopbackWithoutRemoteIp();
            }
        }
    }

    /**
     * A setting parsed by {@link ValveAttributes}; a bad value is remembered (the valve then
     * refuses to start, naming it) and {@code fallback} kept meanwhile.
     */
    private synchronized <T> T parsed(ValveAttributes.Value<T> attribute, String value, T fallback) {
        try {
            return attribute.parse(value);
        } catch (IllegalArgumentException e) {
            invalidAttributes.add(attribute.problem(value, e.getMessage()));
            return fallback;
        }
    }

    private void warnIfLoopbackWithoutRemoteIp() {
        if (access.allowHoldsLoopback() && !remoteIpValveRunsFirst()) {
            log.warn("MaintenanceValve allow=" + AuditLine.quote(access.allow()) + " lets a loopback address in,"
                    + " and no RemoteIpValve runs before this valve: behind a proxy on this host that sends no"
                    + " forwarding header, every request comes from the loopback address and passes. Put a"
                    + " RemoteIpValve that trusts that proxy before this valve, or let admins in by adminPort");
        }
    }

    /**
     * Whether Tomcat's RemoteIpValve runs before this valve: earlier in this container's pipeline,
     * or in a parent's (Engine valves run before Host valves, Host valves before Context valves).
     */
    boolean remoteIpValveRunsFirst() {
        Container container = getContainer();
        if (container == null) {
            return false;
        }
        for (Valve valve : container.getPipeline().getValves()) {
            if (valve == this) {
                break;
            }
            if (valve instanceof RemoteIpValve) {
                return true;
            }
        }
        for (Container parent = container.getParent(); parent != null; parent = parent.getParent()) {
            for (Valve valve : parent.getPipeline().getValves()) {
                if (valve instanceof RemoteIpValve) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The admin's own maintenance page: an HTML file with placeholders ({@code {{message}}},
     * {@code {{until}}}, {@code {{untilIso}}}, {@code {{retryAfter}}}, {@code {{mode}}}, ...; see
     * {@link org.maintenancevalve.response.PageTemplate}), e.g. {@code conf/maintenance.html}. A
     * relative path is resolved against {@code catalina.base}. A template per language beside it
     * ({@code maintenance.de.html}) wins for visitors who prefer that language. A missing or
     * unusable template is logged as a WARN and the built-in page is served; changes are picked up
     * while maintenance is on, within the poll interval. Default: none, the built-in page.
     *
     * @return the absolute path of the main template, or {@code null} for the built-in page
     */
    public String getTemplate() {
        if (template == null) {
            return null;
        }
        try {
            return baseRelative(template).toString();
        } catch (InvalidPathException e) {
            return template;
        }
    }

    public void setTemplate(String template) {
        this.template = parsed(ValveAttributes.TEMPLATE, template, null);
    }

    /**
     * Where in each context the valve itself answers {@code status.json} and {@code banner.js}, in
     * every state: {@code <context><bannerPath>status.json}. {@code off} turns both off. Default
     * {@code /maintenance-valve/}.
     */
    public String getBannerPath() {
        return bannerPath.text();
    }

    public void setBannerPath(String bannerPath) {
        this.bannerPath = BannerPath.parse(parsed(ValveAttributes.BANNER_PATH, bannerPath, this.bannerPath.text()));
    }

    // ------------------------------------------------------------ JMX view

    /** The version of the valve jar Tomcat loaded. */
    public String getVersion() {
        return Version.current();
    }

    /** Whether requests are being held out right now. */
    public boolean isActive() {
        return gate.state.isActive();
    }

    /** {@code off}, {@code scheduled}, {@code on} or {@code overdue}: as the banner shows it. */
    public String getPhase() {
        return gate.state.phaseText();
    }

    /** {@code off}, {@code scheduled}, {@code full} or {@code read-only}. */
    public String getMode() {
        return gate.state.modeText();
    }

    /** The message in force (the admin's, or the default when none was given); null when off. */
    public String getMessage() {
        FlagSettings settings = gate.state.settings();
        if (settings == null) {
            return null;
        }
        return settings.message() != null ? settings.message()
                : org.maintenancevalve.response.DefaultMessages.defaultMessage(settings.mode());
    }

    /** When the maintenance in force began (ISO-8601), or null. */
    public String getSince() {
        Instant since = gate.state.since();
        return since == null ? null : since.toString();
    }

    /** The announced end (ISO-8601), or null. */
    public String getUntil() {
        FlagSettings settings = gate.state.settings();
        return settings == null || settings.until() == null ? null : settings.until().toString();
    }

    /** Requests answered with the maintenance answer since the valve started. */
    public long getBlockedCount() {
        return blockedCount.sum();
    }

    /** Requests being processed right now (all of them, admitted or not, old or new). */
    public long getInFlight() {
        return inFlight.total();
    }

    /** Requests still running that entered before maintenance began: what a backup must wait for. */
    public long getInFlightBeforeMaintenance() {
        return inFlight.retiredInFlight();
    }

    /**
     * Waits until every request that entered before maintenance began has finished.
     *
     * @param seconds how long to wait at most
     * @return the number still running when it returns (0 = drained)
     */
    public int awaitIdle(int seconds) throws InterruptedException {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must be 0 or more, not " + seconds);
        }
        return (int) Math.min(Integer.MAX_VALUE, inFlight.awaitRetired(seconds * 1000L));
    }

    /** Requests let through during maintenance, all ways together. */
    public long getAdmittedCount() {
        long sum = 0;
        for (LongAdder count : admittedCounts) {
            sum += count.sum();
        }
        return sum;
    }

    /** Requests let through by an allowed address. */
    public long getAdmittedByAddress() {
        return admitted(AdmittedBy.ADDRESS);
    }

    /** Requests let through because they came in on an admin port. */
    public long getAdmittedByPort() {
        return admitted(AdmittedBy.PORT);
    }

    /** Requests let through by a bypass cookie. */
    public long getAdmittedByBypass() {
        return admitted(AdmittedBy.BYPASS);
    }

    /** Requests let through by an admin user's session. */
    public long getAdmittedByUser() {
        return admitted(AdmittedBy.USER);
    }

    /** Requests let through by an allowed path. */
    public long getAdmittedByPath() {
        return admitted(AdmittedBy.PATH);
    }

    /** Reading requests let through in read-only mode. */
    public long getAdmittedByReadOnly() {
        return admitted(AdmittedBy.READ_ONLY);
    }

    private long admitted(AdmittedBy way) {
        return admittedCounts[way.ordinal()].sum();
    }

    private static LongAdder[] newCounters(int n) {
        LongAdder[] counters = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            counters[i] = new LongAdder();
        }
        return counters;
    }

    // ------------------------------------------------------------ JMX operations

    /**
     * Turns full maintenance on, or changes the window in force, by writing the flag file
     * (atomically); in force in this valve when the call returns. The same meaning as the command
     * line's {@code on --full}: what is given changes, the rest of the present window stays (its
     * message, end, addresses, bypass secret, automatic end, unknown fields); a scheduled start is
     * brought forward to now. A flag file without a window, or whose window has ended, starts a new
     * window.
     *
     * @param message the message shown to users; empty keeps the present one (a new window: the default)
     * @param minutes the expected end, this many minutes from now; 0 keeps the present end (a new
     *                window: none announced); -1 removes the announced end (and an automatic end)
     * @return what is in force now, and what was kept that ends the window by itself
     */
    public String enable(String message, int minutes) throws IOException {
        return turnOn(Mode.FULL, message, minutes);
    }

    /**
     * Turns read-only maintenance on: reading requests pass for everyone, changes get the
     * maintenance answer. Otherwise as {@link #enable(String, int)}.
     */
    public String enableReadOnly(String message, int minutes) throws IOException {
        return turnOn(Mode.READ_ONLY, message, minutes);
    }

    private String turnOn(Mode mode, String message, int minutes) throws IOException {
        if (minutes < -1) {
            throw new IllegalArgumentException("minutes must be more than 0 (the expected end), 0 (keep the present"
                    + " end) or -1 (no announced end), not " + minutes);
        }
        FlagFileWatcher running = runningWatcher();
        FlagChange.Builder change = FlagChange.builder().mode(mode).startNow().by("JMX");
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
            outcome = FlagUpdate.apply(running.flagFile(), change.build(), clock,
                    FlagAccess::requireAccepted);
        } catch (FlagChangeRefused e) {
            log.error("JMX change refused, the flag file is unchanged: " + e.getMessage());
            // JDK types only, without the cause: a JMX client (jmxterm) has none of our classes.
            if (e.isBadValue()) {
                throw new IllegalArgumentException(e.getMessage());
            }
            throw new IllegalStateException(e.getMessage());
        } catch (UnsafeDirectoryException e) {
            log.error("JMX change failed, the state in force is unchanged: " + e.getMessage());
            throw new IOException(e.getMessage()); // JDK types only: JMX clients must be able to read it
        } catch (IOException e) {
            log.error("JMX change failed, the state in force is unchanged: " + e.getMessage());
            throw e;
        }
        MaintenanceState now = running.refresh("JMX");
        String note = outcome.autoEndNote();
        if (note != null) {
            log.warn("MaintenanceValve JMX " + (mode == Mode.FULL ? "enable" : "enableReadOnly") + ": " + note);
        }
        return "In force on this node: " + now.modeText() + (outcome.newWindow() ? " (a new window)"
                : " (the present window changed" + (outcome.kept().isEmpty() ? "" : "; kept: "
                + String.join(", ", outcome.kept())) + ")")
                + (now.settings() != null && now.settings().until() != null ? ", expected end " + now.settings().until() : "")
                + ". Every other valve watching " + running.flagFile() + " applies it within its pollInterval."
                + (note == null ? "" : " " + note);
    }

    /** Turns maintenance off by removing the flag file, and applies it at once. */
    public void disable() throws IOException {
        FlagFileWatcher running = runningWatcher();
        try {
            FlagFileWriter.delete(running.flagFile());
        } catch (IOException e) {
            log.error("JMX disable failed: " + e.getMessage());
            throw e;
        }
        running.refresh("JMX");
    }

    /**
     * What this valve has applied: a fingerprint of the flag file's settings in force
     * ({@link FlagSettings#fingerprint()}), or {@code none} when no flag file is in force. The
     * command line compares it with what it wrote to know the change is in force here.
     */
    public String getAppliedFlag() {
        FlagSettings settings = gate.state.settings();
        return settings == null ? "none" : settings.fingerprint();
    }

    /**
     * Reads the flag file now instead of at the next poll, applies what it says, and returns
     * {@link #getAppliedFlag()}. Lets the command line confirm a change without waiting for the poll.
     */
    public String refresh() {
        runningWatcher().refresh(FlagFileWatcher.SOURCE_FILE);
        return getAppliedFlag();
    }

    private FlagFileWatcher runningWatcher() {
        FlagFileWatcher running = watcher;
        if (running == null) {
            throw new IllegalStateException("The MaintenanceValve is not started");
        }
        return running;
    }

    // ------------------------------------------------------------ lifecycle

    @Override
    protected synchronized void startInternal() throws LifecycleException {
        if (!invalidAttributes.isEmpty()) {
            throw refuseToStart(String.join("; ", invalidAttributes));
        }
        try {
            MaintenanceAnswer.linkToTomcat();
        } catch (LinkageError e) {
            log.fatal("MaintenanceValve not started: this Tomcat cannot give it a response's output stream", e);
            throw new LifecycleException("MaintenanceValve: this Tomcat cannot give it a response's output stream", e);
        }
        Path path;
        try {
            path = flagPath();
        } catch (InvalidPathException e) {
            throw refuseToStart("flagFile=" + AuditLine.quote(flagFile) + ": not a valid path (" + e.getMessage() + ")");
        }
        if (template != null) {
            TemplateReloader files;
            try {
                files = new TemplateReloader(baseRelative(template));
            } catch (InvalidPathException e) {
                throw refuseToStart("template=" + AuditLine.quote(template) + ": not a valid path (" + e.getMessage() + ")");
            }
            files.refresh(); // says at once (WARN) when the template is missing
            templateFiles = files;
        }
        warnIfLoopbackWithoutRemoteIp();
        if (access.hasBypassSecret()) {
            log.warn("MaintenanceValve bypassSecret is set in server.xml: a standing key. A bypass link with it,"
                    + " also one found in an old access log, lets its holder in during every window for as long"
                    + " as this secret stays set. Prefer 'on --bypass', which puts a fresh secret in the flag file"
                    + " for each window");
        }
        FlagFileWatcher started = new FlagFileWatcher(path, pollInterval, clock, threadName(), this::stateChanged);
        started.onEachPoll(this::templatesPolled);
        // Reads the flag before Tomcat serves the first request, so a restart during maintenance
        // never lets that request through.
        started.start();
        watcher = started;
        log.info("MaintenanceValve watching " + path + " every " + pollInterval + " ms; maintenance is "
                + gate.state.modeText() + " (version " + Version.current() + ")");
        super.startInternal();
    }

    /** One SEVERE line naming attribute and value; Tomcat then does not start the container. */
    private static LifecycleException refuseToStart(String problem) {
        log.fatal("MaintenanceValve not started, invalid attribute: " + problem);
        return new LifecycleException("MaintenanceValve: invalid attribute: " + problem);
    }

    @Override
    protected synchronized void stopInternal() throws LifecycleException {
        setState(LifecycleState.STOPPING);
        FlagFileWatcher stopping = watcher;
        watcher = null;
        if (stopping != null) {
            stopping.stop();
            log.info("MaintenanceValve stopped watching " + stopping.flagFile());
        }
    }

    private String threadName() {
        String container = getContainer() == null ? "" : getContainer().getName();
        return "MaintenanceValve-flag-watcher[" + (container == null || container.isEmpty() ? "/" : container) + "]";
    }

    private Path flagPath() {
        Path path = Paths.get(flagFile.isEmpty() ? "maintenance.flag" : flagFile);
        if (!path.isAbsolute()) {
            String base = System.getProperty("catalina.base");
            path = Paths.get(base == null ? "." : base).resolve(path);
        }
        return path.toAbsolutePath().normalize();
    }

    /** Called by the watcher (and by JMX refreshes) whenever the state in force changes. */
    private void stateChanged(MaintenanceState previous, MaintenanceState current, String source) {
        synchronized (gateLock) {
            gate = buildGate(current);
        }
        if (current.isActive() && !previous.isActive()) {
            // After the gate is published: whatever entered before is now the work to drain.
            inFlight.maintenanceBegan();
        }
        log.info(AuditLine.describe(previous, current, source, watcherPath()));
    }

    private Path watcherPath() {
        FlagFileWatcher running = watcher;
        return running != null ? running.flagFile() : flagPath();
    }

    private Gate buildGate(MaintenanceState state) {
        if (!state.isActive()) {
            return new Gate(state, null, null);
        }
        try {
            AccessPolicy policy = access.policyFor(state,
                    problem -> log.warn("Maintenance flag file " + watcherPath() + ": " + problem));
            TemplateSet templates = templates();
            renderedWith = templates;
            return new Gate(state, policy, MaintenanceAnswer.render(state, retryAfter, templates));
        } catch (RuntimeException e) {
            log.error("Cannot prepare the maintenance answer; serving the default answer to everyone", e);
            return new Gate(state, AccessPolicy.NOBODY, MaintenanceAnswer.fallback(retryAfter));
        }
    }

    /** The templates as they are now (read from disk if changed); never called on a request. */
    private TemplateSet templates() {
        TemplateReloader files = templateFiles;
        return files == null ? TemplateSet.NONE : files.refresh();
    }

    /** Runs on the watcher thread after each poll: re-renders the answer when a template changed. */
    private void templatesPolled() {
        if (templateFiles == null || gate.isOpen()) {
            return;
        }
        synchronized (gateLock) {
            Gate current = gate;
            if (!current.isOpen() && templates() != renderedWith) {
                gate = buildGate(current.state);
                log.info("MaintenanceValve: a maintenance page template changed; the page was rendered again");
            }
        }
    }

    private static Path baseRelative(String file) {
        Path path = Paths.get(file);
        if (!path.isAbsolute()) {
            String base = System.getProperty("catalina.base");
            path = Paths.get(base == null ? "." : base).resolve(path);
        }
        return path.toAbsolutePath().normalize();
    }

    // ------------------------------------------------------------ request path

    @Override
    public void invoke(Request request, Response response) throws IOException {
        BannerPath.Endpoint endpoint = bannerPath.match(request); // null for every other request
        if (endpoint != null) {
            answerBannerEndpoint(endpoint, request, response);
            return;
        }
        InFlightRequests.Generation generation = inFlight.enter();
        try {
            Gate current = gate;
            if (current.isOpen()) {
                invokeNext(request, response);
            } else {
                invokeDuringMaintenance(current, request, response);
            }
        } finally {
            inFlight.exit(generation);
        }
    }

    /**
     * {@code status.json} and {@code banner.js}: answered here in every state, to anyone, never
     * passed on and never counted as blocked or admitted.
     */
    private void answerBannerEndpoint(BannerPath.Endpoint endpoint, Request request, Response response)
            throws IOException {
        if (response.isError()) {
            return; // Tomcat rejected the request itself: keep its answer
        }
        try {
            if (endpoint == BannerPath.Endpoint.SCRIPT) {
                banner.answerScript(request, response);
                return;
            }
            Gate current = gate;
            long now = System.currentTimeMillis();
            AdmittedBy way = current.isOpen() ? null : wayInFor(current, request, now);
            banner.answerStatus(request, response, current.state, current.isOpen() || way != null, way, now);
        } catch (RuntimeException e) {
            logRequestPathError("answering " + endpoint.fileName() + "; it gets an empty 503", e);
            if (!response.isCommitted()) {
                response.reset();
                response.setStatus(MaintenanceAnswer.STATUS);
                response.setHeader("Cache-Control", "no-store");
                response.setContentLength(0);
            }
        }
    }

    /** The way this browser's changes would pass by, asked without side effects; null if none. */
    private AdmittedBy wayInFor(Gate current, Request request, long nowMillis) {
        try {
            return current.policy.admit(new StatusProbeFacts(request), nowMillis / 1000);
        } catch (RuntimeException e) {
            logRequestPathError("working out status.json's \"admitted\"; it says false", e);
            return null;
        }
    }

    private void invokeDuringMaintenance(Gate current, Request request, Response response) throws IOException {
        if (response.isError()) {
            // Tomcat rejected the request itself (an invalid URI, say) and only passes it along
            // for logging: keep its 400, and let nothing of it reach the application.
            return;
        }
        if (answeredBypassLink(current, request, response)) {
            return;
        }
        CatalinaRequestFacts facts = new CatalinaRequestFacts(request);
        AdmittedBy way = admission(current, facts);
        if (way != null) {
            admittedCounts[way.ordinal()].increment();
            invokeNext(request, response);
            return;
        }
        blockedCount.increment();
        block(current, facts, response);
    }

    /** The way the request may pass by, or {@code null}; an error in our code blocks it. */
    private AdmittedBy admission(Gate current, CatalinaRequestFacts facts) {
        try {
            return current.policy.admit(facts, System.currentTimeMillis() / 1000);
        } catch (RuntimeException e) {
            logRequestPathError("deciding whether a request may pass; it is blocked", e);
            return null;
        }
    }

    /**
     * A GET with the right {@code ?maintenance-bypass=<secret>} gets the bypass cookie and a
     * {@code 303} to the same path without the secret. A wrong secret is treated like any request.
     */
    private boolean answeredBypassLink(Gate current, Request request, Response response) {
        BypassSecret secret = current.policy.bypass();
        String query = request.getQueryString();
        if (secret == null || !BypassLink.mayHoldLink(query) || !"GET".equals(request.getMethod())) {
            return false;
        }
        try {
            if (!secret.matches(BypassLink.secretIn(query))) {
                return false;
            }
            String contextPath = CatalinaRequestFacts.contextPathOf(request);
            StringBuilder cookie = new StringBuilder(BypassLink.NAME).append('=')
                    .append(secret.issue(contextPath, System.currentTimeMillis() / 1000))
                    .append("; Path=").append(BypassLink.cookiePath(contextPath))
                    .append("; Max-Age=").append(BypassSecret.VALIDITY_SECONDS)
                    .append("; HttpOnly; SameSite=Lax");
            // isSecure() is what Tomcat knows: the connector's own TLS, its secure attribute, or
            // RemoteIpValve's protocolHeader for a TLS-terminating proxy it trusts.
            if (request.isSecure()) {
                cookie.append("; Secure");
            } else if ("https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"))
                    && insecureCookieWarned.compareAndSet(false, true)) {
                log.warn("MaintenanceValve issued a bypass cookie without Secure: Tomcat sees plain HTTP, though"
                        + " the request says X-Forwarded-Proto: https. Behind a TLS-terminating proxy, let a"
                        + " RemoteIpValve that trusts the proxy run before this valve (it reads X-Forwarded-Proto),"
                        + " or set secure=\"true\" scheme=\"https\" on the connector the proxy uses"
                        + " (logged once)");
            }
            response.setStatus(303);
            response.setHeader("Location", BypassLink.locationWithout(request.getDecodedRequestURI(), query));
            response.addHeader("Set-Cookie", cookie.toString());
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("Referrer-Policy", "no-referrer");
            response.setContentLength(0);
            admittedCounts[AdmittedBy.BYPASS.ordinal()].increment();
            log.info("MaintenanceValve issued a bypass cookie to " + AuditLine.quote(String.valueOf(request.getRemoteAddr())));
            return true;
        } catch (RuntimeException e) {
            logRequestPathError("answering a bypass link; it gets the maintenance answer", e);
            return false;
        }
    }

    private void block(Gate current, CatalinaRequestFacts facts, Response response) throws IOException {
        Request request = facts.request;
        try {
            current.answer.writeTo(response, request.getCoyoteRequest().getMimeHeaders(), facts.path(),
                    "HEAD".equals(request.getMethod()), System.currentTimeMillis());
        } catch (RuntimeException e) {
            logRequestPathError("writing the maintenance answer; sending the plain one", e);
            if (!response.isCommitted()) {
                response.reset();
                MaintenanceAnswer.fallback(retryAfter).writeTo(response, false, false, System.currentTimeMillis());
            }
        }
    }

    private void logRequestPathError(String what, RuntimeException e) {
        long now = System.currentTimeMillis();
        long last = lastErrorLogMillis.get();
        if (now - last >= ERROR_LOG_INTERVAL_MILLIS && lastErrorLogMillis.compareAndSet(last, now)) {
            log.error("MaintenanceValve: unexpected error while " + what
                    + " (further errors are logged at most once a minute)", e);
        }
    }

    /**
     * Passes the request on. Checked exceptions of the next valve are rethrown unchanged without
     * naming their type: the servlet API's exception is javax on Tomcat 9 and jakarta on 10.1, and
     * naming either would stop the class from loading on the other.
     */
    private void invokeNext(Request request, Response response) throws IOException {
        try {
            getNext().invoke(request, response);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw Rethrow.<RuntimeException>unchecked(e);
        }
    }

    /** Lets a checked exception through a method that does not declare it. */
    private static final class Rethrow {
        @SuppressWarnings("unchecked")
        static <T extends Throwable> T unchecked(Throwable t) throws T {
            throw (T) t;
        }
    }

    /** The request as the rules see it (a status.json probe adjusts it: {@link StatusProbeFacts}). */
    static class CatalinaRequestFacts implements RequestFacts {
        final Request request;
        /** The relative path, worked out once per request (the rules and the answer both need it). */
        private String path;

        CatalinaRequestFacts(Request request) {
            this.request = request;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            String known = path;
            if (known == null) {
                known = relativePath(request);
                path = known;
            }
            return known;
        }

        @Override
        public int localPort() {
            return request.getLocalPort();
        }

        @Override
        public String remoteAddr() {
            return request.getRemoteAddr();
        }

        @Override
        public boolean hasForwardingHeaders() {
            // One pass over the headers as Tomcat holds them: no String, no allocation.
            MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
            for (int i = 0, n = headers.size(); i < n; i++) {
                if (isForwardingHeader(headers.getName(i))) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether a header is one by which a proxy or CDN says whom it forwards for (or that it
         * forwarded at all: {@code Via}). The length first: most headers are none of them.
         */
        static boolean isForwardingHeader(MessageBytes name) {
            switch (name.getLength()) {
                case 3:
                    return name.equalsIgnoreCase("Via");
                case 9:
                    return name.equalsIgnoreCase("Forwarded") || name.equalsIgnoreCase("X-Real-IP");
                case 11:
                    return name.equalsIgnoreCase("X-Client-IP");
                case 14:
                    return name.equalsIgnoreCase("True-Client-IP");
                case 15:
                    return name.equalsIgnoreCase("X-Forwarded-For");
                case 16:
                    return name.equalsIgnoreCase("CF-Connecting-IP") || name.equalsIgnoreCase("Fastly-Client-IP");
                case 19:
                    return name.equalsIgnoreCase("X-Cluster-Client-IP");
                default:
                    return false;
            }
        }

        @Override
        public List<String> cookies(String name) {
            ServerCookies cookies = request.getServerCookies();
            String first = null;
            List<String> more = null;
            for (int i = 0; i < cookies.getCookieCount(); i++) {
                ServerCookie cookie = cookies.getCookie(i);
                if (cookie.getName().equals(name)) { // compares the bytes: no String per cookie
                    String value = cookie.getValue().toString();
                    if (first == null) {
                        first = value;
                    } else {
                        if (more == null) {
                            more = new ArrayList<>();
                            more.add(first);
                        }
                        more.add(value);
                    }
                }
            }
            return more != null ? more : first != null ? Collections.singletonList(first) : Collections.<String>emptyList();
        }

        @Override
        public String contextPath() {
            return contextPathOf(request);
        }

        /** The context path as Tomcat reports it ({@code ""} for the root context). */
        static String contextPathOf(Request request) {
            Context context = request.getContext();
            String path = context == null ? null : context.getPath();
            return path == null ? "" : path;
        }

        @Override
        public String sessionUser(String attribute) {
            // Never create a session: getSessionInternal(false) only finds an existing one.
            Session session = request.getSessionInternal(false);
            if (!(session instanceof StandardSession) || !session.isValid()) {
                return null;
            }
            try {
                Object user = ((StandardSession) session).getAttribute(attribute);
                // The Principal's class is the webapp's: only the JDK interface is safe to use.
                return user instanceof Principal ? ((Principal) user).getName() : null;
            } catch (IllegalStateException invalidated) {
                return null;
            }
        }

        /** The decoded, normalised URI without the context path. */
        static String relativePath(Request request) {
            String uri = request.getDecodedRequestURI();
            if (uri == null) {
                return "/";
            }
            Context context = request.getContext();
            String contextPath = context == null ? null : context.getPath();
            if (contextPath != null && !contextPath.isEmpty() && uri.startsWith(contextPath)) {
                uri = uri.substring(contextPath.length());
            }
            return uri.isEmpty() ? "/" : uri;
        }

        @Override
        public String rawPath() {
            String uri = request.getRequestURI();
            Context context = request.getContext();
            String contextPath = context == null ? null : context.getPath();
            if (uri == null || contextPath == null || contextPath.isEmpty()) {
                return uri;
            }
            // A context path written differently in the URI (encoded, say) is not the plain form.
            return uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : null;
        }

        @Override
        public String rawQuery() {
            return request.getQueryString();
        }

        @Override
        public boolean hasHeader(String name) {
            MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
            for (int i = 0, n = headers.size(); i < n; i++) {
                if (headers.getName(i).equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean headerContains(String name, String lowerCaseText) {
            MimeHeaders headers = request.getCoyoteRequest().getMimeHeaders();
            for (int i = 0, n = headers.size(); i < n; i++) {
                if (headers.getName(i).equalsIgnoreCase(name) && contains(headers.getValue(i), lowerCaseText)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether a header value contains {@code lowerCaseText} in any ASCII case: HTTP/1.1 values
         * are read in place as bytes, HTTP/2 ones are Strings.
         */
        static boolean contains(MessageBytes value, String lowerCaseText) {
            if (value == null || value.isNull()) {
                return false;
            }
            if (value.getType() == MessageBytes.T_BYTES) {
                ByteChunk chunk = value.getByteChunk();
                byte[] bytes = chunk.getBuffer();
                for (int i = chunk.getStart(), last = chunk.getEnd() - lowerCaseText.length(); i <= last; i++) {
                    int k = 0;
                    while (k < lowerCaseText.length()
                            && Ascii.toLower(bytes[i + k] & 0xff) == lowerCaseText.charAt(k)) {
                        k++;
                    }
                    if (k == lowerCaseText.length()) {
                        return true;
                    }
                }
                return false;
            }
            String text = value.toString();
            for (int i = 0, last = text.length() - lowerCaseText.length(); i <= last; i++) {
                if (text.regionMatches(true, i, lowerCaseText, 0, lowerCaseText.length())) {
                    return true;
                }
            }
            return false;
        }
    }
}
