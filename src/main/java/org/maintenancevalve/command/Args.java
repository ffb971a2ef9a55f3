package org.maintenancevalve.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A verb's command line: {@code --name value}, {@code --name=value}, switches such as
 * {@code --dry-run}, and positional arguments. Options a verb does not declare are usage errors.
 */
public final class Args {

    private final Map<String, List<String>> values;
    private final Set<String> switches;
    private final List<String> positional;

    private Args(Map<String, List<String>> values, Set<String> switches, List<String> positional) {
        this.values = values;
        this.switches = switches;
        this.positional = positional;
    }

    /** Declares what a verb accepts, then {@link #parse(List)}s. */
    public static Spec spec() {
        return new Spec();
    }

    /** The options and switches a verb accepts. */
    public static final class Spec {
        private final Set<String> valueOptions = new HashSet<>();
        private final Set<String> repeatable = new HashSet<>();
        private final Set<String> switchOptions = new HashSet<>(Collections.singleton("--help"));

        private Spec() {
        }

        /** Options that take a value, e.g. {@code "--flag"}. */
        public Spec values(String... names) {
            valueOptions.addAll(Arrays.asList(names));
            return this;
        }

        /** Options that take a value and may be given more than once. */
        public Spec repeatable(String... names) {
            values(names);
            repeatable.addAll(Arrays.asList(names));
            return this;
        }

        /** Options without a value, e.g. {@code "--dry-run"}. {@code --help} is always accepted. */
        public Spec switches(String... names) {
            switchOptions.addAll(Arrays.asList(names));
            return this;
        }

        public Args parse(List<String> args) throws UsageException {
            Map<String, List<String>> values = new LinkedHashMap<>();
            Set<String> switches = new HashSet<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("--") || arg.equals("--")) {
                    positional.add(arg);
                    continue;
                }
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                if (switchOptions.contains(name)) {
                    if (eq >= 0) {
                        throw new UsageException(name + " takes no value");
                    }
                    switches.add(name);
                } else if (valueOptions.contains(name)) {
                    String value;
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new UsageException(name + " needs a value");
                    }
                    List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
                    if (!list.isEmpty() && !repeatable.contains(name)) {
                        throw new UsageException(name + " was given twice");
                    }
                    list.add(value);
                } else {
                    throw new UsageException("unknown option " + name);
                }
            }
            return new Args(values, switches, positional);
        }
    }

    public boolean has(String switchName) {
        return switches.contains(switchName);
    }

    /** Whether the option was given at all (possibly with an empty value). */
    public boolean given(String option) {
        return values.containsKey(option);
    }

    /** The option's value, or null when it was not given. */
    public String value(String option) {
        List<String> list = values.get(option);
        return list == null ? null : list.get(list.size() - 1);
    }

    /** Every value of a repeatable option, in order; empty when not given. */
    public List<String> all(String option) {
        List<String> list = values.get(option);
        return list == null ? Collections.<String>emptyList() : Collections.unmodifiableList(list);
    }

    public List<String> positional() {
        return Collections.unmodifiableList(positional);
    }

    /**
     * The one positional argument a verb takes, e.g. {@code <install-dir>}.
     *
     * @param what its name in messages
     */
    public String onlyPositional(String what) throws UsageException {
        if (positional.isEmpty()) {
            throw new UsageException("missing " + what);
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "'");
        }
        return positional.get(0);
    }

    /** For verbs that take options only. */
    public void noPositional() throws UsageException {
        if (!positional.isEmpty()) {
            throw new UsageException("unexpected argument '" + positional.get(0) + "'");
        }
    }
}
