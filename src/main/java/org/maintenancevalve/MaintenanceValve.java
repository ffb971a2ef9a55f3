package org.maintenancevalve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.access.AccessPolicy;
import org.maintenancevalve.access.RequestFacts;
import org.maintenancevalve.response.ContentNegotiation;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.response.TemplateFiles;
import org.maintenancevalve.response.Templates;
import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.FlagFileWatcher;
import org.maintenancevalve.state.FlagFileWriter;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
    private String template;
    /** Attribute problems found by the setters; the valve refuses to start while there are any. */
    private final List<String> invalidAttributes = new ArrayList<>();

    // ------------------------------------------------------------ state

    private final Clock clock = Clock.systemUTC();
    private volatile Gate gate = Gate.OPEN;
    private volatile FlagFileWatcher watcher;
    /** The admin's page templates while started with a {@code template}; read off the request path. */
    private volatile TemplateFiles templateFiles;
    /** Serialises rebuilding the gate: state changes and template changes come from different threads. */
    private final Object gateLock = new Object();
    /** The templates the gate in force was rendered from; guarded by gateLock. */
    private Templates renderedWith = Templates.NONE;
    private final LongAdder blockedCount = new LongAdder();
    private final AtomicLong lastErrorLogMillis = new AtomicLong(Long.MIN_VALUE);

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
        this.flagFile = flagFile == null ? "" : flagFile.trim();
    }

    /** Milliseconds between two looks at the flag file's attributes. Default 1000. */
    public long getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(String pollInterval) {
        this.pollInterval = parseLong("pollInterval", pollInterval, 10, 3_600_000);
    }

    /** The {@code Retry-After} in seconds when the flag file announces no end. Default 300. */
    public int getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(String retryAfter) {
        this.retryAfter = (int) parseLong("retryAfter", retryAfter, 1, 86_400 * 7);
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
        this.template = template == null || template.trim().isEmpty() ? null : template.trim();
    }

    // ------------------------------------------------------------ JMX view

    /** Whether requests are being held out right now. */
    public boolean isActive() {
        return gate.state.isActive();
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
                : org.maintenancevalve.response.Messages.defaultMessage(settings.mode());
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

    // ------------------------------------------------------------ JMX operations

    /**
     * Turns full maintenance on by writing the flag file (atomically), and applies it at once.
     * Fields of an existing flag file that this call does not set (a bypass secret, addresses)
     * are kept.
     *
     * @param message the message shown to users; empty for the default
     * @param minutes the expected duration; 0 for no announced end
     */
    public void enable(String message, int minutes) throws IOException {
        if (minutes < 0) {
            throw new IllegalArgumentException("minutes must be 0 (no announced end) or more, not " + minutes);
        }
        FlagFileWatcher running = runningWatcher();
        ObjectNode content = FlagFileWriter.readForEdit(running.flagFile());
        content.put("mode", "full");
        if (message == null || message.trim().isEmpty()) {
            content.remove("message");
        } else {
            content.put("message", message);
        }
        content.remove("from");
        if (minutes > 0) {
            content.put("until", clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(minutes, ChronoUnit.MINUTES).toString());
        } else {
            content.remove("until");
        }
        content.put("by", "JMX");
        write(running, content);
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

    private void write(FlagFileWatcher running, ObjectNode content) throws IOException {
        try {
            FlagFileWriter.write(running.flagFile(), content);
        } catch (IOException e) {
            log.error("JMX change failed, the state in force is unchanged: " + e.getMessage());
            throw e;
        }
        running.refresh("JMX");
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
            String problems = String.join("; ", invalidAttributes);
            log.fatal("MaintenanceValve not started, invalid attribute: " + problems);
            throw new LifecycleException("MaintenanceValve: invalid attribute: " + problems);
        }
        Path path;
        try {
            path = flagPath();
        } catch (InvalidPathException e) {
            String problem = "flagFile=\"" + flagFile + "\": not a valid path (" + e.getMessage() + ")";
            log.fatal("MaintenanceValve not started, invalid attribute: " + problem);
            throw new LifecycleException("MaintenanceValve: invalid attribute: " + problem);
        }
        if (template != null) {
            TemplateFiles files;
            try {
                files = new TemplateFiles(baseRelative(template));
            } catch (InvalidPathException e) {
                String problem = "template=\"" + template + "\": not a valid path (" + e.getMessage() + ")";
                log.fatal("MaintenanceValve not started, invalid attribute: " + problem);
                throw new LifecycleException("MaintenanceValve: invalid attribute: " + problem);
            }
            files.refresh(); // says at once (WARN) when the template is missing
            templateFiles = files;
        }
        FlagFileWatcher started = new FlagFileWatcher(path, pollInterval, clock, threadName(), this::stateChanged);
        started.onEachPoll(this::templatesPolled);
        // Reads the flag before Tomcat serves the first request, so a restart during maintenance
        // never lets that request through.
        started.start();
        watcher = started;
        log.info("MaintenanceValve watching " + path + " every " + pollInterval + " ms; maintenance is "
                + gate.state.modeText());
        super.startInternal();
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
            Templates templates = templates();
            renderedWith = templates;
            return new Gate(state, new AccessPolicy(state.settings().mode()),
                    MaintenanceAnswer.render(state, retryAfter, templates));
        } catch (RuntimeException e) {
            log.error("Cannot prepare the maintenance answer; serving the default answer to everyone", e);
            return new Gate(state, new AccessPolicy(null), MaintenanceAnswer.fallback(retryAfter));
        }
    }

    /** The templates as they are now (read from disk if changed); never called on a request. */
    private Templates templates() {
        TemplateFiles files = templateFiles;
        return files == null ? Templates.NONE : files.refresh();
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
        Gate current = gate;
        if (current.isOpen()) {
            invokeNext(request, response);
            return;
        }
        if (admits(current, request)) {
            invokeNext(request, response);
            return;
        }
        blockedCount.increment();
        block(current, request, response);
    }

    private boolean admits(Gate current, Request request) {
        try {
            return current.policy.admit(new CatalinaRequestFacts(request)) != null;
        } catch (RuntimeException e) {
            logRequestPathError("deciding whether a request may pass; it is blocked", e);
            return false;
        }
    }

    private void block(Gate current, Request request, Response response) throws IOException {
        try {
            String path = CatalinaRequestFacts.relativePath(request);
            boolean json = ContentNegotiation.wantsJson(request.getHeader("Accept"),
                    request.getHeader("X-Requested-With"), path);
            current.answer.writeTo(response, json, "HEAD".equals(request.getMethod()), System.currentTimeMillis(),
                    json ? null : request.getHeader("Accept-Language"));
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
     * naming their type: {@code ServletException} is javax on Tomcat 9 and jakarta on 10.1.
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

    // ------------------------------------------------------------ attribute parsing

    private long parseLong(String name, String value, long min, long max) {
        String trimmed = value == null ? "" : value.trim();
        try {
            long parsed = Long.parseLong(trimmed);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        invalidAttributes.add(name + "=\"" + value + "\": must be a whole number from " + min + " to " + max);
        return min;
    }

    /** Lets a checked exception through a method that does not declare it. */
    private static final class Rethrow {
        @SuppressWarnings("unchecked")
        static <T extends Throwable> T unchecked(Throwable t) throws T {
            throw (T) t;
        }
    }

    /** The request as the rules see it. */
    static final class CatalinaRequestFacts implements RequestFacts {
        private final Request request;

        CatalinaRequestFacts(Request request) {
            this.request = request;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return relativePath(request);
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
    }
}
