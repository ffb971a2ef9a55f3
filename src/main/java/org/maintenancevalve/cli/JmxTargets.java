package org.maintenancevalve.cli;

import org.maintenancevalve.command.Args;
import org.maintenancevalve.command.UsageException;
import org.maintenancevalve.jmxclient.JmxLogin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --jmx HOST:PORT} option: repeatable, or a comma-separated list, one per node. */
final class JmxTargets {

    static final String OPTION = "--jmx";

    /** {@code host:port} or {@code [ipv6]:port}. */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[^\\s:\\[\\]/,]+):(\\d{1,5})");

    private JmxTargets() {
    }

    /** Declares the option on a verb, and the login options ({@link JmxLogin}) that go with it. */
    static Args.Spec options(Args.Spec spec) {
        return JmxLogin.options(spec.repeatable(OPTION));
    }

    /** How to log in to the ports given: the login options, else the environment. */
    static JmxLogin login(Args args, Map<String, String> env) throws UsageException {
        return JmxLogin.from(args, env);
    }

    /** Every {@code HOST:PORT} given, in order; empty when none. */
    static List<String> from(Args args) throws UsageException {
        List<String> targets = new ArrayList<>();
        for (String value : args.all(OPTION)) {
            for (String part : value.split(",", -1)) {
                targets.add(hostPort(part.trim()));
            }
        }
        return targets;
    }

    private static String hostPort(String text) throws UsageException {
        Matcher m = HOST_PORT.matcher(text);
        if (!m.matches()) {
            throw new UsageException(OPTION + ": '" + text + "' is not HOST:PORT (Tomcat's JMX remote port, e.g. 127.0.0.1:9010)");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new UsageException(OPTION + ": port " + port + " in '" + text + "' is not from 1 to 65535");
        }
        return text;
    }
}
