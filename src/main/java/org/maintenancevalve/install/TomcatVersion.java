package org.maintenancevalve.install;

import org.maintenancevalve.command.Refused;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Tomcat's version as {@code org.apache.catalina.util.ServerInfo} reports it, read straight from
 * the {@code ServerInfo.properties} inside {@code catalina.jar} (no Tomcat class is loaded).
 */
final class TomcatVersion {

    static final String RESOURCE = "org/apache/catalina/util/ServerInfo.properties";
    private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    final int major;
    final int minor;
    final int patch;
    /** As written in the jar, e.g. {@code 9.0.117.0}. */
    final String text;

    TomcatVersion(int major, int minor, int patch, String text) {
        this.major = major;
        this.minor = minor;
        this.patch = patch;
        this.text = text;
    }

    static TomcatVersion read(Path catalinaJar) throws Refused {
        Properties properties = new Properties();
        try (ZipFile zip = new ZipFile(catalinaJar.toFile())) {
            ZipEntry entry = zip.getEntry(RESOURCE);
            if (entry == null) {
                throw new Refused("cannot tell the Tomcat version: " + catalinaJar + " has no " + RESOURCE);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new Refused("cannot tell the Tomcat version: cannot read " + catalinaJar + " (" + e.getMessage() + ")", e);
        }
        for (String key : new String[] {"server.number", "server.info"}) {
            String value = properties.getProperty(key);
            Matcher m = value == null ? null : NUMBER.matcher(value);
            if (m != null && m.find()) {
                return new TomcatVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), m.group());
            }
        }
        throw new Refused("cannot tell the Tomcat version: " + catalinaJar + " says server.number="
                + properties.getProperty("server.number") + ", server.info=" + properties.getProperty("server.info"));
    }

    /** Tomcat 8.5 and later: the lines the valve is built and tested for. */
    boolean isSupported() {
        return major > 8 || (major == 8 && minor >= 5);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
