package org.maintenancevalve.cli;

import org.maintenancevalve.command.Refused;
import org.maintenancevalve.jmxclient.JmxLogin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every valve the tools can reach for one flag file: on the nodes named with {@code --jmx}, or
 * else on the trusted local Tomcats ({@link LocalTomcats}). Keeps what it could not reach and why,
 * so each verb can say it.
 */
final class Valves implements AutoCloseable {

    private final Path flag;
    private final boolean named;
    private final List<ValveConnection> connections;
    private final List<String> unreachable;
    private final List<String> skipped;

    private Valves(Path flag, boolean named, List<ValveConnection> connections, List<String> unreachable,
            List<String> skipped) {
        this.flag = flag;
        this.named = named;
        this.connections = connections;
        this.unreachable = unreachable;
        this.skipped = skipped;
    }

    /**
     * @param jmx   the {@code --jmx} targets; when empty, the local Tomcats are looked for
     * @param login how to log in to the {@code --jmx} targets
     * @param flag  the flag file
     */
    static Valves find(List<String> jmx, JmxLogin login, Path flag, Map<String, String> env) {
        List<ValveConnection> connections = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (!jmx.isEmpty()) {
            for (String target : jmx) {
                try {
                    ValveConnection connection = ValveConnection.remote(target, login, flag);
                    connections.add(connection);
                    if (connection.valves().isEmpty()) {
                        unreachable.add(target + ": no MaintenanceValve there watches " + flag
                                + (connection.otherFlags().isEmpty() ? "" : " (it watches " + String.join(", ", connection.otherFlags()) + ")"));
                    }
                } catch (Refused e) {
                    unreachable.add(e.getMessage());
                }
            }
            return new Valves(flag, true, connections, unreachable, skipped);
        }
        List<LocalTomcats.Found> locals;
        try {
            locals = LocalTomcats.find(flag, env);
        } catch (Refused e) {
            skipped.add(e.getMessage());
            return new Valves(flag, false, connections, unreachable, skipped);
        }
        for (LocalTomcats.Found local : locals) {
            if (local.skipped != null) {
                skipped.add(local.target() + " " + local.skipped);
                continue;
            }
            try {
                connections.add(ValveConnection.open(local.address, local.target(), flag));
            } catch (Refused e) {
                skipped.add(e.getMessage());
            }
        }
        return new Valves(flag, false, connections, unreachable, skipped);
    }

    /** Whether the nodes were named with {@code --jmx} (rather than found locally). */
    boolean named() {
        return named;
    }

    /** The connections with at least one valve watching the flag file. */
    List<ValveConnection> watching() {
        List<ValveConnection> watching = new ArrayList<>();
        for (ValveConnection connection : connections) {
            if (!connection.valves().isEmpty()) {
                watching.add(connection);
            }
        }
        return watching;
    }

    /** Nodes named with {@code --jmx} that could not be reached or do not watch the flag file, each with why. */
    List<String> unreachable() {
        return Collections.unmodifiableList(unreachable);
    }

    /** Local Tomcats whose valves watch another file: {@code local Tomcat pid N watches /x}. */
    List<String> watchingOtherFiles() {
        List<String> others = new ArrayList<>();
        if (!named) {
            for (ValveConnection connection : connections) {
                for (String other : connection.otherFlags()) {
                    others.add(connection.target() + " has a valve watching " + other);
                }
            }
        }
        return others;
    }

    /**
     * Why no valve watching the flag file was reached, in one paragraph: what was seen instead, and
     * what to do.
     */
    String nobodyWatches() {
        List<String> seen = new ArrayList<>(unreachable);
        seen.addAll(watchingOtherFiles());
        seen.addAll(skipped);
        if (!named && connections.isEmpty() && skipped.isEmpty()) {
            seen.add("no Tomcat runs on this machine that this user can see");
        }
        return "no running valve watching " + flag + " was reached"
                + (named ? "" : " on this machine") + (seen.isEmpty() ? "" : " (" + String.join("; ", seen) + ")")
                + (named ? "" : "; for another machine, or a Tomcat this user cannot attach to, give --jmx HOST:PORT");
    }

    @Override
    public void close() {
        for (ValveConnection connection : connections) {
            connection.close();
        }
    }
}
