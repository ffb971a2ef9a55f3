package org.maintenancevalve.access;

import org.maintenancevalve.state.AuditLine;
import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;
import org.maintenancevalve.state.Mode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ways through as configured on the valve, validated. Immutable: each {@code with...} returns
 * a new configuration or throws {@link IllegalArgumentException} with a message fit for the admin.
 */
public final class AccessConfig {

    /** Where Jira and Confluence (Seraph) keep the logged-in user in the session. */
    public static final String DEFAULT_SESSION_USER_ATTRIBUTE = "seraph_defaultauthenticator_user";

    /** Nothing allowed: only read-only mode lets anything through. */
    public static final AccessConfig NONE = new AccessConfig("", AddressRule.NONE, "", Collections.<Integer>emptySet(),
            "", Collections.<String>emptySet(), "", PathRule.NONE, Preset.NONE, null, DEFAULT_SESSION_USER_ATTRIBUTE,
            "", ReadRequests.NONE);

    private final String allowText;
    private final AddressRule allow;
    private final String adminPortText;
    private final Set<Integer> adminPorts;
    private final String adminUsersText;
    private final Set<String> adminUsers;
    private final String allowPathsText;
    private final PathRule allowPaths;
    private final Preset preset;
    private final BypassSecret bypassSecret;
    private final String sessionUserAttribute;
    private final String readOnlyReadsText;
    private final ReadRequests readOnlyReads;

    private AccessConfig(String allowText, AddressRule allow, String adminPortText, Set<Integer> adminPorts,
            String adminUsersText, Set<String> adminUsers, String allowPathsText, PathRule allowPaths, Preset preset,
            BypassSecret bypassSecret, String sessionUserAttribute, String readOnlyReadsText,
            ReadRequests readOnlyReads) {
        this.allowText = allowText;
        this.allow = allow;
        this.adminPortText = adminPortText;
        this.adminPorts = adminPorts;
        this.adminUsersText = adminUsersText;
        this.adminUsers = adminUsers;
        this.allowPathsText = allowPathsText;
        this.allowPaths = allowPaths;
        this.preset = preset;
        this.bypassSecret = bypassSecret;
        this.sessionUserAttribute = sessionUserAttribute;
        this.readOnlyReadsText = readOnlyReadsText;
        this.readOnlyReads = readOnlyReads;
    }

    /** Splits a comma-separated attribute into trimmed, non-empty entries. */
    public static List<String> split(String text) {
        List<String> entries = new ArrayList<>();
        if (text != null) {
            for (String entry : text.split(",")) {
                if (!entry.trim().isEmpty()) {
                    entries.add(entry.trim());
                }
            }
        }
        return entries;
    }

    public AccessConfig withAllow(String text) {
        return new AccessConfig(normal(text), AddressRule.of(split(text)), adminPortText, adminPorts, adminUsersText,
                adminUsers, allowPathsText, allowPaths, preset, bypassSecret, sessionUserAttribute,
                readOnlyReadsText, readOnlyReads);
    }

    public AccessConfig withAdminPort(String text) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (String entry : split(text)) {
            int port;
            try {
                port = Integer.parseInt(entry);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(AuditLine.quote(entry) + " is not a port number (1-65535)");
            }
            ports.add(port);
        }
        return new AccessConfig(allowText, allow, normal(text), Collections.unmodifiableSet(ports), adminUsersText,
                adminUsers, allowPathsText, allowPaths, preset, bypassSecret, sessionUserAttribute,
                readOnlyReadsText, readOnlyReads);
    }

    public AccessConfig withAdminUsers(String text) {
        Set<String> users = Collections.unmodifiableSet(new LinkedHashSet<>(split(text)));
        return new AccessConfig(allowText, allow, adminPortText, adminPorts, normal(text), users, allowPathsText,
                allowPaths, preset, bypassSecret, sessionUserAttribute, readOnlyReadsText, readOnlyReads);
    }

    public AccessConfig withAllowPaths(String text) {
        return new AccessConfig(allowText, allow, adminPortText, adminPorts, adminUsersText, adminUsers, normal(text),
                PathRule.of(split(text)), preset, bypassSecret, sessionUserAttribute, readOnlyReadsText, readOnlyReads);
    }

    public AccessConfig withPreset(String name) {
        return new AccessConfig(allowText, allow, adminPortText, adminPorts, adminUsersText, adminUsers,
                allowPathsText, allowPaths, Preset.named(name), bypassSecret, sessionUserAttribute,
                readOnlyReadsText, readOnlyReads);
    }

    public AccessConfig withBypassSecret(String secret) {
        BypassSecret parsed = secret == null || secret.isEmpty() ? null : new BypassSecret(secret);
        return new AccessConfig(allowText, allow, adminPortText, adminPorts, adminUsersText, adminUsers,
                allowPathsText, allowPaths, preset, parsed, sessionUserAttribute, readOnlyReadsText, readOnlyReads);
    }

    public AccessConfig withSessionUserAttribute(String attribute) {
        if (attribute == null || attribute.trim().isEmpty()) {
            throw new IllegalArgumentException("must name a session attribute");
        }
        return new AccessConfig(allowText, allow, adminPortText, adminPorts, adminUsersText, adminUsers,
                allowPathsText, allowPaths, preset, bypassSecret, attribute.trim(), readOnlyReadsText, readOnlyReads);
    }

    /**
     * Requests that read although their method is not GET, HEAD or OPTIONS, comma-separated
     * {@code METHOD /exact/path} entries, added to the preset's in read-only mode.
     */
    public AccessConfig withReadOnlyReads(String text) {
        return new AccessConfig(allowText, allow, adminPortText, adminPorts, adminUsersText, adminUsers,
                allowPathsText, allowPaths, preset, bypassSecret, sessionUserAttribute, normal(text),
                ReadRequests.of(split(text)));
    }

    public String allow() {
        return allowText;
    }

    /** Whether {@link #allow()} lets a loopback address in (see {@link AddressRule#holdsLoopback()}). */
    public boolean allowHoldsLoopback() {
        return allow.holdsLoopback();
    }

    public String adminPort() {
        return adminPortText;
    }

    /** Whether requests arriving on a connector with this port pass ({@code adminPort}). */
    public boolean isAdminPort(int port) {
        return adminPorts.contains(port);
    }

    public String adminUsers() {
        return adminUsersText;
    }

    public String allowPaths() {
        return allowPathsText;
    }

    public String preset() {
        return preset.name().toLowerCase(Locale.ROOT);
    }

    /** Whether a product's preset is configured ({@code jira} or {@code confluence}, not {@code none}). */
    public boolean hasProductPreset() {
        return preset != Preset.NONE;
    }

    public String readOnlyReads() {
        return readOnlyReadsText;
    }

    public boolean hasBypassSecret() {
        return bypassSecret != null;
    }

    public String sessionUserAttribute() {
        return sessionUserAttribute;
    }

    /**
     * The policy for one maintenance window: this configuration plus what the flag file adds
     * (addresses for this window; a bypass secret, which wins over the attribute). A flag-file
     * entry that does not parse grants nothing and is reported through {@code problems}. Bypass
     * cookies are bound to the window ({@link BypassSecret#windowOf(MaintenanceState)}).
     */
    public AccessPolicy policyFor(MaintenanceState state, Consumer<String> problems) {
        return policyFor(state.settings(), BypassSecret.windowOf(state), problems);
    }

    /**
     * {@link #policyFor(MaintenanceState, Consumer)} for settings alone: a window known by its id
     * or {@code from}, else one whose start is unknown (for tests and tools, not the valve).
     */
    public AccessPolicy policyFor(FlagSettings settings, Consumer<String> problems) {
        return policyFor(settings, BypassSecret.windowOf(settings, null), problems);
    }

    private AccessPolicy policyFor(FlagSettings settings, String window, Consumer<String> problems) {
        AddressRule addresses = allow;
        if (!settings.allow().isEmpty()) {
            try {
                addresses = allow.plus(AddressRule.of(settings.allow()));
            } catch (IllegalArgumentException e) {
                problems.accept("its \"allow\" list is ignored: " + e.getMessage());
            }
        }
        BypassSecret bypass = bypassSecret;
        if (settings.bypassSecret() != null) {
            try {
                bypass = new BypassSecret(settings.bypassSecret());
            } catch (IllegalArgumentException e) {
                bypass = null; // a weak secret in the file must not fall back to another one silently
                problems.accept("its \"bypassSecret\" is ignored and bypass links are off: it " + e.getMessage());
            }
        }
        if (bypass != null) {
            bypass = bypass.forWindow(window);
        }
        Mode mode = settings.problem() == null ? settings.mode() : Mode.FULL;
        return new AccessPolicy(mode, addresses, adminPorts, bypass, adminUsers, sessionUserAttribute, allowPaths,
                preset, readOnlyReads);
    }

    private static String normal(String text) {
        return String.join(", ", split(text));
    }

    @Override
    public String toString() {
        return "allow=[" + allowText + "], adminPort=[" + adminPortText + "], adminUsers=[" + adminUsersText
                + "], allowPaths=[" + allowPathsText + "], preset=" + preset() + ", bypassSecret="
                + (bypassSecret == null ? "none" : "set") + ", sessionUserAttribute=" + sessionUserAttribute
                + ", readOnlyReads=[" + readOnlyReadsText + "]";
    }
}
