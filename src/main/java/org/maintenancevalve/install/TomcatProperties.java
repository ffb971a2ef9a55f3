package org.maintenancevalve.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code ${name}} references Tomcat replaces in server.xml attribute values before a valve
 * sees them, as its Digester does: {@code ${catalina.base}}, {@code ${catalina.home}}, the
 * properties of {@code conf/catalina.properties} (Tomcat makes them system properties at start),
 * and {@code ${name:-default}}. Other system properties ({@code -Dname=...} on Tomcat's command
 * line) are not known here: such a reference is left as written, as Tomcat leaves one it cannot
 * resolve, and {@link #unresolved} names it.
 */
public final class TomcatProperties {

    private final Map<String, String> known;

    private TomcatProperties(Map<String, String> known) {
        this.known = known;
    }

    /** The properties a Tomcat with this base and home starts with (home may be null: the base). */
    public static TomcatProperties of(Path base, Path home) {
        return of(base, home, base.resolve("conf").resolve("catalina.properties"));
    }

    /**
     * The same, reading {@code catalinaProperties} as the base's {@code conf/catalina.properties}:
     * the path a caller has checked (its links resolved), or {@code null} when there is none.
     */
    public static TomcatProperties of(Path base, Path home, Path catalinaProperties) {
        Map<String, String> known = new HashMap<>();
        Properties catalina = new Properties();
        Path file = catalinaProperties;
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                catalina.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // Tomcat starts without them too; the references then stay unresolved and are named
            }
        }
        for (String name : catalina.stringPropertyNames()) {
            known.put(name, catalina.getProperty(name));
        }
        known.put("catalina.base", base.toString());
        known.put("catalina.home", (home == null ? base : home).toString());
        return new TomcatProperties(known);
    }

    /** The value with every reference this class knows replaced; unknown ones stay as written. */
    public String expand(String value) {
        if (value == null || !value.contains("${")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int position = 0;
        while (true) {
            int start = value.indexOf("${", position);
            int end = start < 0 ? -1 : value.indexOf('}', start);
            if (end < 0) {
                return out.append(value, position, value.length()).toString();
            }
            out.append(value, position, start);
            String name = value.substring(start + 2, end);
            String replacement = known.get(name);
            int fallback = name.indexOf(":-");
            if (replacement == null && fallback >= 0) {
                replacement = known.get(name.substring(0, fallback));
                if (replacement == null) {
                    replacement = name.substring(fallback + 2);
                }
            }
            out.append(replacement != null ? replacement : "${" + name + "}");
            position = end + 1;
        }
    }

    /** The first {@code ${name}} left in an expanded value, or {@code null}. */
    public static String unresolved(String expanded) {
        int start = expanded == null ? -1 : expanded.indexOf("${");
        int end = start < 0 ? -1 : expanded.indexOf('}', start);
        return end < 0 ? null : expanded.substring(start, end + 1);
    }
}
