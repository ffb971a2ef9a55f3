package org.maintenancevalve.install;

import org.maintenancevalve.config.ValveAttributes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * The maintenance-valve jars in a Tomcat {@code lib/}: recognised by what is in them (the valve
 * class), not by their names, so that an old copy under any name is found and replaced.
 */
final class ValveJars {

    static final String VALVE_ENTRY = ValveAttributes.CLASS_NAME.replace('.', '/') + ".class";

    private ValveJars() {
    }

    /** Whether the file is a jar with the valve in it. */
    static boolean isValveJar(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.getEntry(VALVE_ENTRY) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The valve jars in {@code lib}, sorted by name; empty if there is no such directory. */
    static List<Path> find(Path lib) throws IOException {
        if (!Files.isDirectory(lib)) {
            return Collections.emptyList();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path jar : jars) {
                if (isValveJar(jar)) {
                    found.add(jar);
                }
            }
        }
        Collections.sort(found);
        return found;
    }

    /** The name the jar gets in {@code lib/}: its own when it looks like ours, else {@code maintenance-valve.jar}. */
    static String targetName(Path source) {
        String name = source.getFileName().toString();
        return name.startsWith("maintenance-valve") && name.endsWith(".jar") ? name : "maintenance-valve.jar";
    }

    static boolean sameContent(Path a, Path b) throws IOException {
        return Files.size(a) == Files.size(b) && Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b));
    }
}
