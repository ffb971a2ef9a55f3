package org.maintenancevalve.access;

import org.maintenancevalve.state.Mode;

import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a request may pass while maintenance is in force. Immutable: a new policy is
 * built whenever the configuration or the flag file changes. Cheap rules are asked first; the
 * session is looked at last, and only when admin users are configured.
 */
public final class AccessPolicy {


    /** Lets nobody through: used when the policy itself cannot be built. */
    public static final AccessPolicy NOBODY = new AccessPolicy(Mode.FULL, AddressRule.NONE,
            Collections.<Integer>emptySet(), null, Collections.<String>emptySet(), null, PathRule.NONE, Preset.NONE,
            ReadRequests.NONE);

    private final Mode mode;
    private final AddressRule addresses;
    /** An array, not a set: asking it per request boxes no port number. */
    private final int[] adminPorts;
    private final BypassSecret bypass;
    private final Set<String> adminUsers;
    private final String sessionUserAttribute;
    private final PathRule paths;
    private final Preset preset;
    private final ReadOnlyRule reads;

    AccessPolicy(Mode mode, AddressRule addresses, Set<Integer> adminPorts, BypassSecret bypass,
            Set<String> adminUsers, String sessionUserAttribute, PathRule paths, Preset preset,
            ReadRequests namedReads) {
        this.mode = mode;
        this.addresses = addresses;
        this.adminPorts = new int[adminPorts.size()];
        int i = 0;
        for (int port : adminPorts) {
            this.adminPorts[i++] = port;
        }
        this.bypass = bypass;
        this.adminUsers = adminUsers;
        this.sessionUserAttribute = sessionUserAttribute;
        this.paths = paths;
        this.preset = preset;
        this.reads = new ReadOnlyRule(preset.reads().plus(namedReads), preset != Preset.NONE);
    }

    /** A policy with read-only handling only; for tests and the simplest setups. */
    public AccessPolicy(Mode mode) {
        this(mode, AddressRule.NONE, Collections.<Integer>emptySet(), null, Collections.<String>emptySet(), null,
                PathRule.NONE, Preset.NONE, ReadRequests.NONE);
    }

    /**
     * @param nowSeconds the present time, for the bypass cookie's expiry
     * @return the way the request is admitted by, or {@code null} when it must be blocked
     */
    public AdmittedBy admit(RequestFacts request, long nowSeconds) {
        if (adminPorts.length > 0 && isAdminPort(request.connectorPort())) {
            return AdmittedBy.PORT;
        }
        if (admitsByPath(request)) {
            return AdmittedBy.PATH;
        }
        if (mode == Mode.READ_ONLY && reads.admits(request)) {
            return AdmittedBy.READ_ONLY;
        }
        return clientWay(request, nowSeconds);
    }

    /**
     * Whether the client itself is let in, whatever it asks for: it came in on an admin port, or
     * its address, a bypass cookie or an admin's session admits it. An allowed path and read-only
     * mode admit requests, not clients, and are not asked. What {@code status.json} says as
     * "admitted" while maintenance is in force.
     */
    public boolean admitsClient(RequestFacts request, long nowSeconds) {
        return adminPorts.length > 0 && isAdminPort(request.connectorPort()) || clientWay(request, nowSeconds) != null;
    }

    /** The way the client's address, cookie or session admits it by, or {@code null}. */
    private AdmittedBy clientWay(RequestFacts request, long nowSeconds) {
        // Behind a proxy every user arrives from the proxy's address: a forwarding header means
        // the address does not say who the client is. RemoteIpValve removes the header once it
        // has applied it for a trusted proxy.
        if (!addresses.isEmpty() && addresses.matches(request.remoteAddr()) && !request.hasForwardingHeaders()) {
            return AdmittedBy.ADDRESS;
        }
        if (bypass != null && hasValidBypassCookie(request, nowSeconds)) {
            return AdmittedBy.BYPASS;
        }
        if (!adminUsers.isEmpty()) {
            String user = request.sessionUser(sessionUserAttribute);
            if (user != null && adminUsers.contains(user)) {
                return AdmittedBy.USER;
            }
        }
        return null;
    }

    /** Tries every cookie of that name: one planted by someone else must not lock an admin out. */
    private boolean hasValidBypassCookie(RequestFacts request, long nowSeconds) {
        List<String> values = request.cookies(BypassLink.NAME);
        if (values.isEmpty()) {
            return false;
        }
        String contextPath = request.contextPath();
        for (int i = 0; i < values.size(); i++) {
            if (bypass.accepts(values.get(i), contextPath, nowSeconds)) {
                return true;
            }
        }
        return false;
    }

    private boolean isAdminPort(int port) {
        for (int adminPort : adminPorts) {
            if (adminPort == port) {
                return true;
            }
        }
        return false;
    }

    /**
     * The allowed paths (any method) and the preset's (its methods, static files only), when the
     * raw path agrees with the decoded one the rules matched and no protocol upgrade is asked for.
     */
    private boolean admitsByPath(RequestFacts request) {
        if (paths.isEmpty() && preset == Preset.NONE) {
            return false;
        }
        String path = request.path();
        if (!paths.matches(path) && !preset.admits(request.method(), path)) {
            return false;
        }
        return CanonicalPath.agrees(request.rawPath(), path) && !ReadOnlyRule.asksForUpgrade(request);
    }

    /**
     * The secret a bypass link must carry, bound to this policy's window (it issues the cookies),
     * or {@code null} when bypass links are off.
     */
    public BypassSecret bypass() {
        return bypass;
    }
}
