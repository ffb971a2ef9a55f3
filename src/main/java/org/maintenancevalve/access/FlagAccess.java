package org.maintenancevalve.access;

import org.maintenancevalve.state.FlagSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * What the valve makes of the access entries a flag file brings (its {@code allow} list and
 * {@code bypassSecret}), told with the valve's own parsing ({@link AccessConfig#policyFor}), so
 * the tools refuse to write what the valve would ignore and say what it ignores in a file.
 */
public final class FlagAccess {

    private FlagAccess() {
    }

    /** What the valve would ignore in these settings, one sentence each; empty when nothing. */
    public static List<String> ignored(FlagSettings settings) {
        List<String> problems = new ArrayList<>();
        AccessConfig.NONE.policyFor(settings, problems::add);
        return problems;
    }

    /**
     * @throws IllegalArgumentException naming what the valve would ignore in these settings
     */
    public static void requireAccepted(FlagSettings settings) {
        List<String> problems = ignored(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
