package org.maintenancevalve;

import org.apache.catalina.AccessLog;
import org.apache.catalina.Container;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.maintenancevalve.access.AdmittedBy;
import org.maintenancevalve.banner.BannerPath;
import org.maintenancevalve.config.AjpAdminPort;
import org.maintenancevalve.config.ValveAttributes;
import org.maintenancevalve.config.Version;
import org.maintenancevalve.drain.InFlightRequests;
import org.maintenancevalve.gate.Gate;
import org.maintenancevalve.gate.Gatekeeper;
import org.maintenancevalve.mail.MailPause;
import org.maintenancevalve.mail.PauseIncomingMail;
import org.maintenancevalve.response.DefaultMessages;
import org.maintenancevalve.response.MaintenanceAnswer;
import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.Mode;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the application behind it into maintenance while a flag file exists: requests get a fast
 * {@code 503} maintenance answer, except those the configured rules admit.
 * <p>
 * Configure it in {@code server.xml} at Engine, Host or Context level:
 * <pre>{@code <Valve className="org.maintenancevalve.MaintenanceValve" flagFile="maintenance.flag"/>}</pre>
 * Tomcat registers it in JMX as {@code Catalina:type=Valve,...,name=MaintenanceValve}; see
 * {@code mbeans-descriptors.xml} for what is shown there.
 * <p>
 * This class is the Tomcat glue only: each attribute is parsed by {@link ValveAttributes}; the
 * flag file, the gate in force, the counters and the JMX operations belong to the
 * {@link Gatekeeper}; a request meets {@link DuringMaintenance} while maintenance is in force
 * (who may pass is decided by the gate's {@code AccessPolicy}, the answers are rendered in
 * {@code response}), and {@link BannerRequests} answers the banner's endpoints.
 * <p>
 * It is also an {@link AccessLog}, to hear when Tomcat has finished a request: an asynchronous
 * request stays in flight until then ({@link AsyncInFlight}). It writes no log of its own.
 */
public class MaintenanceValve extends ValveBase implements AccessLog {

    private static final Log log = LogFactory.getLog(MaintenanceValve.class);

    private final Gatekeeper gatekeeper = new Gatekeeper(Clock.systemUTC());
    /** The gatekeeper's, held here too: the request path reads it without a hop. */
    private final InFlightRequests inFlight = gatekeeper.inFlight();
    private final RequestPathErrors errors = new RequestPathErrors(log);
    private final DuringMaintenance duringMaintenance = new DuringMaintenance(gatekeeper, errors);
    private final BannerRequests bannerRequests = new BannerRequests(gatekeeper.counts(), errors);
    private final AsyncInFlight asyncInFlight = new AsyncInFlight(inFlight);

    private String flagFile = "";
    private long pollInterval = 1000;
    private int retryAfter = 300;
    private String template;
    private BannerPath bannerPath = BannerPath.parse(BannerPath.DEFAULT);
    private PauseIncomingMail pauseIncomingMail = PauseIncomingMail.AUTO;
    /** Attribute problems found by the setters; the valve refuses to start while there are any. */
    private final List<String> invalidAttributes = new ArrayList<>();

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
        return ValveAttributes.flagFile(flagFile, catalinaBase()).toString();
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
        return gatekeeper.access().allow();
    }

    public void setAllow(String allow) {
        changeAccess(ValveAttributes.ALLOW, allow);
    }

    /**
     * Ports of connectors whose requests pass, comma-separated (an admin connector): the connector
     * the socket arrived on, never a port the request or a front end names.
     */
    public String getAdminPort() {
        return gatekeeper.access().adminPort();
    }

    public void setAdminPort(String adminPort) {
        changeAccess(ValveAttributes.ADMIN_PORT, adminPort);
    }

    /** User names whose existing session passes, comma-separated, compared exactly. Writable in JMX. */
    public String getAdminUsers() {
        return gatekeeper.access().adminUsers();
    }

    public void setAdminUsers(String adminUsers) {
        changeAccess(ValveAttributes.ADMIN_USERS, adminUsers);
    }

    /** The session attribute holding the logged-in {@link Principal}. Default Seraph's. */
    public String getSessionUserAttribute() {
        return gatekeeper.access().sessionUserAttribute();
    }

    public void setSessionUserAttribute(String attribute) {
        changeAccess(ValveAttributes.SESSION_USER_ATTRIBUTE, attribute);
    }

    /**
     * Paths that pass, comma-separated, relative to the context: {@code /status, /s/}. An entry
     * ending in {@code /} is a prefix of whole segments. Writable in JMX.
     */
    public String getAllowPaths() {
        return gatekeeper.access().allowPaths();
    }

    public void setAllowPaths(String allowPaths) {
        changeAccess(ValveAttributes.ALLOW_PATHS, allowPaths);
    }

    /**
     * {@code none} (default), {@code jira} or {@code confluence}: adds that product's health check,
     * login endpoints and static files, and in read-only mode its POSTs that only read.
     */
    public String getPreset() {
        return gatekeeper.access().preset();
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
        return gatekeeper.access().readOnlyReads();
    }

    public void setReadOnlyReads(String readOnlyReads) {
        changeAccess(ValveAttributes.READ_ONLY_READS, readOnlyReads);
    }

    /** Whether a bypass secret is configured as an attribute (the secret itself is never shown). */
    public boolean isBypassSecretSet() {
        return gatekeeper.access().hasBypassSecret();
    }

    /**
     * The secret of the bypass link {@code ?maintenance-bypass=<secret>} (at least 16 characters).
     * The flag file's {@code bypassSecret} wins over it.
     */
    public void setBypassSecret(String bypassSecret) {
        changeAccess(ValveAttributes.BYPASS_SECRET, bypassSecret);
    }

    /**
     * The admin's own maintenance page: an HTML file with placeholders ({@code {{message}}},
     * {@code {{until}}}, {@code {{untilIso}}}, {@code {{retryAfter}}}, {@code {{mode}}}, ...; see
     * {@code response/PageTemplate}), e.g. {@code conf/maintenance.html}. A relative path is
     * resolved against {@code catalina.base}. A template per language beside it
     * ({@code maintenance.de.html}) wins for visitors who prefer that language. A missing or
     * unusable template is logged as a WARN and the built-in page is served; changes are picked up
     * while maintenance is on, within the poll interval. Default: none, the built-in page.
     *
     * @return the absolute path of the main template, or {@code null} for the built-in page
     */
    public String getTemplate() {
        Path file = ValveAttributes.template(template, catalinaBase());
        return file == null ? null : file.toString();
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

    /**
     * In which windows the valve pauses the products' incoming mail (Jira's mail handlers,
     * Confluence's mail archive) by setting the JVM system property
     * {@code atlassian.mail.fetchdisabled=true}, putting back what was there when the window ends:
     * {@code auto} (default: {@code full-and-read-only} with a preset, {@code off} without),
     * {@code off}, {@code full} or {@code full-and-read-only}. Outgoing mail is never touched.
     */
    public String getPauseIncomingMail() {
        return pauseIncomingMail.text();
    }

    public void setPauseIncomingMail(String pauseIncomingMail) {
        this.pauseIncomingMail = parsed(ValveAttributes.PAUSE_INCOMING_MAIL, pauseIncomingMail, PauseIncomingMail.AUTO);
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

    /**
     * A change of the ways through, parsed by {@link ValveAttributes}. Before start a bad value is
     * remembered and stops the valve from starting; afterwards (JMX) it is refused and nothing
     * changes.
     */
    private synchronized void changeAccess(ValveAttributes.Access attribute, String value) {
        boolean started = gatekeeper.isWatching();
        try {
            gatekeeper.setAccess(attribute.applyTo(gatekeeper.access(), value));
        } catch (IllegalArgumentException e) {
            String problem = attribute.problem(value, e.getMessage());
            if (!started) {
                invalidAttributes.add(problem);
                return;
            }
            throw new IllegalArgumentException(problem, e);
        }
        if (started) {
            log.info("MaintenanceValve " + attribute.name() + " changed through JMX to "
                    + (attribute.isSecret() ? "(hidden)" : AuditLine.quote(value)));
            if (attribute == ValveAttributes.ALLOW) {
                warnIfLoopbackWithoutRemoteIp();
            }
        }
    }

    private void warnIfLoopbackWithoutRemoteIp() {
        if (gatekeeper.access().allowHoldsLoopback() && !remoteIpValveRunsFirst()) {
            log.warn("MaintenanceValve allow=" + AuditLine.quote(getAllow()) + " lets a loopback address in,"
                    + " and no RemoteIpValve runs before this valve: behind a proxy on this host that sends no"
                    + " forwarding header, every request comes from the loopback address and passes. Put a"
                    + " RemoteIpValve that trusts that proxy before this valve, or let admins in by adminPort");
        }
    }

    /** An AJP connector in adminPort lets every user of the front end in (adminPort is not writable in JMX). */
    private void warnIfAdminPortIsAjp() {
        for (Connector connector : ArrivalConnector.ofServiceOf(getContainer())) {
            int port = ArrivalConnector.portOf(connector);
            if (gatekeeper.access().isAdminPort(port) && ArrivalConnector.isAjp(connector)) {
                log.warn("MaintenanceValve " + AjpAdminPort.problem(port) + ". Unless that is what you want, "
                        + AjpAdminPort.FIX);
            }
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

    // ------------------------------------------------------------ JMX view

    /** The version of the valve jar Tomcat loaded. */
    public String getVersion() {
        return Version.current();
    }

    /** Whether requests are being held out right now. */
    public boolean isActive() {
        return gatekeeper.gate().state().isActive();
    }

    /** {@code off}, {@code scheduled}, {@code on} or {@code overdue}: as the banner shows it. */
    public String getPhase() {
        return gatekeeper.gate().state().phaseText();
    }

    /** {@code off}, {@code scheduled}, {@code full} or {@code read-only}. */
    public String getMode() {
        return gatekeeper.gate().state().modeText();
    }

    /** The message in force (the admin's, or the default when none was given); null when off. */
    public String getMessage() {
        FlagSettings settings = gatekeeper.gate().state().settings();
        if (settings == null) {
            return null;
        }
        return settings.message() != null ? settings.message() : DefaultMessages.defaultMessage(settings.mode());
    }

    /** When the maintenance in force began (ISO-8601), or null. */
    public String getSince() {
        Instant since = gatekeeper.gate().state().since();
        return since == null ? null : since.toString();
    }

    /** The announced end (ISO-8601), or null. */
    public String getUntil() {
        FlagSettings settings = gatekeeper.gate().state().settings();
        return settings == null || settings.until() == null ? null : settings.until().toString();
    }

    /**
     * What this valve has applied: a fingerprint of the flag file's settings in force
     * ({@link FlagSettings#fingerprint()}), or {@code none} when no flag file is in force. The
     * command line compares it with what it wrote to know the change is in force here.
     */
    public String getAppliedFlag() {
        return gatekeeper.appliedFlag();
    }

    /** Requests answered with the maintenance answer since the valve started. */
    public long getBlockedCount() {
        return gatekeeper.counts().blocked();
    }

    /** Requests let through during maintenance, all ways together. */
    public long getAdmittedCount() {
        return gatekeeper.counts().admitted();
    }

    /** Requests let through by an allowed address. */
    public long getAdmittedByAddress() {
        return gatekeeper.counts().admittedBy(AdmittedBy.ADDRESS);
    }

    /** Requests let through because they came in on an admin port. */
    public long getAdmittedByPort() {
        return gatekeeper.counts().admittedBy(AdmittedBy.PORT);
    }

    /** Requests let through by a bypass cookie. */
    public long getAdmittedByBypass() {
        return gatekeeper.counts().admittedBy(AdmittedBy.BYPASS);
    }

    /** Requests let through by an admin user's session. */
    public long getAdmittedByUser() {
        return gatekeeper.counts().admittedBy(AdmittedBy.USER);
    }

    /** Requests let through by an allowed path. */
    public long getAdmittedByPath() {
        return gatekeeper.counts().admittedBy(AdmittedBy.PATH);
    }

    /** Reading requests let through in read-only mode. */
    public long getAdmittedByReadOnly() {
        return gatekeeper.counts().admittedBy(AdmittedBy.READ_ONLY);
    }

    /**
     * Whether incoming mail is paused in this JVM now: {@code atlassian.mail.fetchdisabled} reads
     * {@code true}, set by a window or before it (what the products' mail pollers see).
     */
    public boolean isIncomingMailPaused() {
        return gatekeeper.mail().isPaused();
    }

    /** Where incoming mail stands, in words: paused by this valve's window, by another's, not paused and why. */
    public String getIncomingMail() {
        return gatekeeper.mail().describe(gatekeeper.gate().state());
    }

    /**
     * {@code status.json} answers given while maintenance was in force (each asked the rules
     * whether that browser is inside; neither blocked nor admitted).
     */
    public long getStatusCount() {
        return gatekeeper.counts().statusAnswers();
    }

    /**
     * Requests being processed right now (all of them, admitted or not, old or new; an
     * asynchronous one until it completes).
     */
    public long getInFlight() {
        return inFlight.total();
    }

    /**
     * Requests still running that entered before maintenance began, asynchronous ones until they
     * complete: what a backup must wait for.
     */
    public long getInFlightBeforeMaintenance() {
        return inFlight.retiredInFlight();
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
        return gatekeeper.turnOn(Mode.FULL, message, minutes, "JMX");
    }

    /**
     * Turns read-only maintenance on: reading requests pass for everyone, changes get the
     * maintenance answer. Otherwise as {@link #enable(String, int)}.
     */
    public String enableReadOnly(String message, int minutes) throws IOException {
        return gatekeeper.turnOn(Mode.READ_ONLY, message, minutes, "JMX");
    }

    /** Turns maintenance off by removing the flag file, and applies it at once. */
    public void disable() throws IOException {
        gatekeeper.turnOff("JMX");
    }

    /**
     * Reads the flag file now instead of at the next poll, applies what it says, and returns
     * {@link #getAppliedFlag()}. Lets the command line confirm a change without waiting for the poll.
     */
    public String refresh() {
        return gatekeeper.refresh();
    }

    /**
     * Waits until every request that entered before maintenance began has finished (an
     * asynchronous one: completed, failed or timed out).
     *
     * @param seconds how long to wait at most
     * @return the number still running when it returns (0 = drained)
     */
    public int awaitIdle(int seconds) throws InterruptedException {
        return gatekeeper.awaitIdle(seconds);
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
        warnIfLoopbackWithoutRemoteIp();
        warnIfAdminPortIsAjp();
        if (isBypassSecretSet()) {
            log.warn("MaintenanceValve bypassSecret is set in server.xml: a standing key. A bypass link with it,"
                    + " also one found in an old access log, lets its holder in during every window for as long"
                    + " as this secret stays set. Prefer 'on --bypass', which puts a fresh secret in the flag file"
                    + " for each window");
        }
        // The setters have checked both paths. The flag is read before Tomcat serves the first
        // request, so a restart during maintenance never lets that request through.
        Path base = catalinaBase();
        Path flag = ValveAttributes.flagFile(flagFile, base);
        MailPause mail = MailPause.forValve(pauseIncomingMail, gatekeeper.access().hasProductPreset());
        gatekeeper.start(flag, pollInterval, retryAfter, ValveAttributes.template(template, base), threadName(), mail);
        log.info("MaintenanceValve watching " + flag + " every " + pollInterval + " ms; maintenance is "
                + getMode() + " (version " + Version.current() + "); incoming mail " + mail.policyText());
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
        if (gatekeeper.isWatching()) {
            gatekeeper.stop();
            log.info("MaintenanceValve stopped watching " + gatekeeper.flagFile());
        }
    }

    private String threadName() {
        String container = getContainer() == null ? "" : getContainer().getName();
        return "MaintenanceValve-flag-watcher[" + (container == null || container.isEmpty() ? "/" : container) + "]";
    }

    private static Path catalinaBase() {
        String base = System.getProperty("catalina.base");
        return Paths.get(base == null ? "." : base);
    }

    // ------------------------------------------------------------ request path

    @Override
    public void invoke(Request request, Response response) throws IOException {
        BannerPath.Endpoint endpoint = bannerPath.match(request); // null for every other request
        if (endpoint != null) {
            bannerRequests.answer(endpoint, gatekeeper.gate(), request, response);
            return;
        }
        InFlightRequests.Generation generation = inFlight.enter();
        boolean passedOn = false;
        try {
            Gate gate = gatekeeper.gate();
            // An async dispatch (AsyncContext.dispatch, how Spring's DeferredResult resumes) is a
            // request that passed already, going on: like a forward, it is not asked again.
            if (gate.isOpen() || request.isAsyncDispatching()
                    || duringMaintenance.letsThrough(gate, request, response)) {
                passedOn = true;
                invokeNext(request, response);
            }
        } finally {
            if (!passedOn || !asyncInFlight.keep(request, generation)) {
                inFlight.exit(generation);
            }
        }
    }

    /**
     * Tomcat has finished a request (also an asynchronous one, when it completes): ends the place
     * in flight {@link AsyncInFlight} kept for it. Called for every request in this valve's
     * container; writes nothing.
     */
    @Override
    public void log(Request request, Response response, long time) {
        asyncInFlight.finished(request);
    }

    /** Part of {@link AccessLog}; the valve records no request attributes, so there is nothing to turn on. */
    @Override
    public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
        // nothing: see above
    }

    @Override
    public boolean getRequestAttributesEnabled() {
        return false;
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
}
