package org.maintenancevalve.install;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text install adds to server.xml: a comment that says what the Valve is and that install
 * added it (uninstall recognises the pair by it), then the {@code <Valve>} element, each on its
 * own line.
 */
final class ValveLine {

    /** The words by which uninstall (and a second install) recognise the comment as install's. */
    static final String MARKER = "Added by maintenance-valve install";

    static final String COMMENT = "<!-- Maintenance Valve: a 503 maintenance page while its flag file exists. "
            + MARKER + "; uninstall removes it. -->";

    /** Attribute names in the order a new line gets them (after className). */
    static final List<String> ORDER = Collections.unmodifiableList(Arrays.asList(
            "flagFile", "preset", "allow", "adminUsers", "adminPort", "pollInterval"));

    private ValveLine() {
    }

    /** One attribute as it is written: {@code name=<quote>raw<quote>}. */
    static final class Written {
        final String name;
        final String raw;
        final char quote;

        Written(String name, String raw, char quote) {
            this.name = name;
            this.raw = raw;
            this.quote = quote;
        }
    }

    /** A new Valve element with className first and the given (unescaped) values. */
    static List<Written> fresh(Map<String, String> values) {
        List<Written> attributes = new ArrayList<>();
        attributes.add(new Written("className", ServerXmlDom.VALVE_CLASS, '"'));
        for (Map.Entry<String, String> e : ordered(values).entrySet()) {
            attributes.add(new Written(e.getKey(), XmlEscape.attribute(e.getValue()), '"'));
        }
        return attributes;
    }

    /**
     * An existing Valve element's attributes with {@code changes} applied: a changed attribute is
     * rewritten in place, an empty value removes it, a new one is appended; the rest stay as
     * written, byte for byte.
     */
    static List<Written> changed(List<XmlText.Attribute> existing, Map<String, String> changes) {
        List<Written> attributes = new ArrayList<>();
        Map<String, String> left = new LinkedHashMap<>(changes);
        for (XmlText.Attribute a : existing) {
            if (!left.containsKey(a.name)) {
                attributes.add(new Written(a.name, a.raw, a.quote));
                continue;
            }
            String value = left.remove(a.name);
            if (!value.isEmpty()) {
                attributes.add(new Written(a.name, XmlEscape.attribute(value), '"'));
            }
        }
        for (Map.Entry<String, String> e : ordered(left).entrySet()) {
            if (!e.getValue().isEmpty()) {
                attributes.add(new Written(e.getKey(), XmlEscape.attribute(e.getValue()), '"'));
            }
        }
        return attributes;
    }

    static String tag(List<Written> attributes) {
        StringBuilder tag = new StringBuilder("<Valve");
        for (Written a : attributes) {
            tag.append(' ').append(a.name).append('=').append(a.quote).append(a.raw).append(a.quote);
        }
        return tag.append("/>").toString();
    }

    /** The values in {@link #ORDER}, then any others; empty values left out. */
    private static Map<String, String> ordered(Map<String, String> values) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : ORDER) {
            if (values.containsKey(name)) {
                ordered.put(name, values.get(name));
            }
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!ordered.containsKey(e.getKey())) {
                ordered.put(e.getKey(), e.getValue());
            }
        }
        ordered.values().removeIf(String::isEmpty);
        return ordered;
    }
}
