package org.maintenancevalve.access;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Paths an Atlassian product needs during maintenance so that an admin can log in and load
 * balancers keep the node: the login page and REST login endpoints, static resources, {@code /status}.
 */
public enum Preset {
    /** Adds nothing. */
    NONE(Collections.<String>emptyList()),
    /** Jira: {@code /login.jsp}, REST and gadget login, static resources, {@code /status}. */
    JIRA(Arrays.asList("/status", "/login.jsp", "/rest/auth/1/session", "/rest/gadget/1.0/login",
            "/s/", "/images/", "/static-assets/", "/download/resources/", "/download/batch/", "/favicon.ico")),
    /** Confluence: {@code /login.action}, {@code /dologin.action}, REST login, static resources, {@code /status}. */
    CONFLUENCE(Arrays.asList("/status", "/login.action", "/dologin.action", "/rest/auth/1/session",
            "/s/", "/images/", "/static-assets/", "/download/resources/", "/download/batch/", "/favicon.ico"));

    private final List<String> paths;

    Preset(List<String> paths) {
        this.paths = Collections.unmodifiableList(paths);
    }

    public List<String> paths() {
        return paths;
    }

    /** @throws IllegalArgumentException for a name other than none, jira or confluence */
    public static Preset named(String name) {
        String trimmed = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Preset preset : values()) {
            if (preset.name().toLowerCase(Locale.ROOT).equals(trimmed)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("must be none, jira or confluence");
    }
}
