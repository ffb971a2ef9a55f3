package org.maintenancevalve.install;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release archive the way an admin uses it on a Jira host with no Maven and no internet:
 * unpack {@code maintenance-valve-<version>.tar.gz} into an empty directory, check it with
 * {@code sha256sum -c SHA256SUMS}, run its {@code install/install.sh} with a PATH that holds no
 * Maven and no java and {@code JAVA_HOME} at a plain runtime, toggle maintenance on the real
 * Tomcat, then {@code install/uninstall.sh} with only the runtime Jira bundles in
 * {@code <install>/jre}. The zip must hold the same files, bytes and modes.
 */
class ReleaseArchiveIT {

    private static final Pattern SUM_LINE = Pattern.compile("([0-9a-f]{64})  (\\S.*)");

    @Test
    void theArchiveInstallsOfflineWithOnlyAJavaRuntime() throws Exception {
        String version = System.getProperty("maintenancevalve.version");
        assertTrue(version != null && !version.isEmpty(), "maintenancevalve.version is not set: run through mvn verify");
        Path builtJar = Paths.get(System.getProperty("maintenancevalve.jar")).toAbsolutePath();
        String name = "maintenance-valve-" + version;
        Path tarGz = builtJar.resolveSibling(name + ".tar.gz");
        Path zip = builtJar.resolveSibling(name + ".zip");
        Path work = Paths.get(System.getProperty("it.work.dir", "target/it")).toAbsolutePath()
                .resolve("release-" + System.nanoTime());

        // ---- what is in the archives: the same files, bytes and modes in both, under one directory
        Map<String, Entry> tarEntries = tarGzEntries(tarGz);
        Map<String, Entry> zipEntries = zipEntries(zip);
        assertEquals(tarEntries.keySet(), zipEntries.keySet(), "the zip holds the tar.gz's entries");
        for (Entry tar : tarEntries.values()) {
            Entry other = zipEntries.get(tar.name);
            assertEquals(Integer.toOctalString(tar.mode), Integer.toOctalString(other.mode), "mode of " + tar.name);
            assertArrayEquals(tar.content, other.content, "content of " + tar.name);
        }
        String top = name + "/";
        for (String entry : tarEntries.keySet()) {
            assertTrue(entry.startsWith(top), "one top directory " + top + ": " + entry);
        }
        for (String file : Arrays.asList(name + ".jar", "README.md", "NOTICE", "SHA256SUMS", "install/install.sh",
                "install/uninstall.sh", "install/common.sh", "install/maintenance.html.example",
                "docs/install.md", "docs/maintenance-page.png", "licenses/jackson/LICENSE")) {
            assertTrue(tarEntries.containsKey(top + file), file + " in the archive: " + tarEntries.keySet());
        }
        assertFalse(tarEntries.containsKey(top + "install/demo.sh"), "the demo needs a source checkout");
        for (Entry entry : tarEntries.values()) {
            boolean script = entry.name.endsWith(".sh");
            assertEquals(entry.directory || script ? "755" : "644", Integer.toOctalString(entry.mode & 0777),
                    "mode of " + entry.name);
        }
        assertArrayEquals(Files.readAllBytes(builtJar), tarEntries.get(top + name + ".jar").content, "the shaded jar");
        String notice = new String(tarEntries.get(top + "NOTICE").content, StandardCharsets.UTF_8);
        assertTrue(notice.contains("Apache License") && notice.contains("# Jackson JSON processor"), notice);

        // ---- SHA256SUMS lists every other file with its SHA-256
        Map<String, String> sums = new TreeMap<>();
        for (String line : new String(tarEntries.get(top + "SHA256SUMS").content, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = SUM_LINE.matcher(line);
            assertTrue(m.matches(), "sha256sum's format: " + line);
            sums.put(top + m.group(2), m.group(1));
        }
        Map<String, String> actual = new TreeMap<>();
        for (Entry entry : tarEntries.values()) {
            if (!entry.directory && !entry.name.equals(top + "SHA256SUMS")) {
                actual.put(entry.name, sha256(entry.content));
            }
        }
        assertEquals(actual, sums);

        // ---- unpack into an empty directory, as the admin does, and check it the README's way
        Path unpacked = Files.createDirectories(work.resolve("unpacked"));
        assertEquals(0, list(unpacked).size());
        Result untar = run(unpacked, System.getenv(), "tar", "-xzf", tarGz.toString());
        assertEquals(0, untar.code, untar.output);
        assertEquals(Arrays.asList(name), list(unpacked));
        Path release = unpacked.resolve(name);
        Result checked = run(release, System.getenv(), "sha256sum", "-c", "SHA256SUMS");
        assertEquals(0, checked.code, checked.output);
        assertEquals(actual.size(), checked.output.split("\n").length, checked.output);

        // ---- a Jira-shaped install whose bundled runtime is the only java there is
        InstallScriptIT.JiraShapedInstall jira = InstallScriptIT.JiraShapedInstall.create(InstallScriptIT.tomcatVersion("tomcat9.version"));
        Path install = jira.dir;
        Path jre = install.resolve("jre");
        boolean jlinked = plainRuntime(jre);
        System.out.println("ReleaseArchiveIT: runtime in " + jre + " is " + (jlinked ? "a jlink'ed java.se image (no JDK tools)"
                : "a link to this JDK (it has no jmods to jlink from)"));
        Path bin = minimalBin(work.resolve("bin"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin.toString());
        env.put("HOME", work.toString());
        env.put("LANG", "C.UTF-8");
        Result noTools = run(work, env, "bash", "-c", "command -v mvn || command -v java || echo none");
        assertEquals("none\n", noTools.output, "no Maven and no java on the PATH");
        Result printed = run(work, env, jre.resolve("bin/java").toString(), "-jar", release.resolve(name + ".jar").toString(), "--version");
        assertEquals("maintenance-valve " + version + "\n", printed.output);
        Fixtures.valveJar(install.resolve("lib/maintenance-valve-0.0.1.jar"), "an older release");

        // ---- install.sh, JAVA_HOME at the runtime, run from elsewhere (not the checkout)
        Map<String, String> withJavaHome = new HashMap<>(env);
        withJavaHome.put("JAVA_HOME", jre.toString());
        Result installed = run(work, withJavaHome, release.resolve("install/install.sh").toString(), install.toString(),
                "--poll-interval", "200");
        assertEquals(0, installed.code, installed.output);
        assertTrue(installed.output.contains("removed the other valve jar maintenance-valve-0.0.1.jar"), installed.output);
        List<Element> valves = Fixtures.maintenanceValves(Fixtures.parse(Files.readAllBytes(install.resolve("conf/server.xml"))));
        assertEquals(1, valves.size());
        assertEquals("jira", valves.get(0).getAttribute("preset"));
        assertEquals(Arrays.asList("catalina.jar", name + ".jar"), valveAndCatalinaJars(install.resolve("lib"), name));
        assertArrayEquals(Files.readAllBytes(builtJar), Files.readAllBytes(install.resolve("lib").resolve(name + ".jar")));

        // ---- start, toggle, stop
        Path flag = install.resolve("maintenance.flag");
        int httpPort = jira.httpPort;
        String log = InstallScriptIT.startToggleAndStop(install, flag, httpPort, jira.shutdownPort);
        assertTrue(log.contains("MaintenanceValve watching " + flag + " every 200 ms; maintenance is off (version " + version + ")"), log);

        // ---- uninstall.sh with no JAVA_HOME: the runtime in <install>/jre is found
        Result removed = run(work, env, release.resolve("install/uninstall.sh").toString(), install.toString());
        assertEquals(0, removed.code, removed.output);
        assertArrayEquals(jira.originalServerXml, Files.readAllBytes(install.resolve("conf/server.xml")),
                "server.xml byte for byte as before install");
        assertEquals(Arrays.asList("catalina.jar"), valveAndCatalinaJars(install.resolve("lib"), name));

        // ---- the release directory is as it was unpacked
        Result again = run(release, System.getenv(), "sha256sum", "-c", "--quiet", "SHA256SUMS");
        assertEquals(0, again.code, again.output);
        assertEquals(Arrays.asList("NOTICE", "README.md", "SHA256SUMS", "docs", "install", "licenses", name + ".jar"),
                list(release));
        InstallScriptIT.deleteTree(work); // kept when the test fails
        InstallScriptIT.deleteTree(install);
    }

    // ------------------------------------------------------------ a plain runtime, a PATH without tools

    /**
     * Makes {@code jre} a Java runtime like the one Jira bundles: a jlink'ed {@code java.se} image
     * (no compiler, no Maven) when this JDK has its jmods, else a link to this JDK's home.
     *
     * @return whether it was jlink'ed
     */
    private static boolean plainRuntime(Path jre) throws Exception {
        Path home = Paths.get(System.getProperty("java.home"));
        Path jlink = home.resolve("bin/jlink");
        if (Files.isDirectory(home.resolve("jmods")) && Files.isExecutable(jlink)) {
            Result linked = run(jre.getParent(), System.getenv(), jlink.toString(), "--add-modules", "java.se",
                    "--strip-debug", "--no-man-pages", "--no-header-files", "--output", jre.toString());
            assertEquals(0, linked.code, linked.output);
            assertFalse(Files.exists(jre.resolve("bin/javac")));
            return true;
        }
        Files.createSymbolicLink(jre, home);
        return false;
    }

    /** A directory of links to everything in /usr/bin and /bin except Maven and java. */
    private static Path minimalBin(Path bin) throws IOException {
        Files.createDirectories(bin);
        for (String dir : Arrays.asList("/usr/bin", "/bin")) {
            try (DirectoryStream<Path> tools = Files.newDirectoryStream(Paths.get(dir))) {
                for (Path tool : tools) {
                    String name = tool.getFileName().toString();
                    Path link = bin.resolve(name);
                    if (name.startsWith("mvn") || name.equals("java") || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Files.createSymbolicLink(link, tool);
                }
            }
        }
        return bin;
    }

    private static List<String> valveAndCatalinaJars(Path lib, String name) throws IOException {
        List<String> jars = new ArrayList<>();
        for (String file : list(lib)) {
            if (file.equals("catalina.jar") || ValveJars.isValveJar(lib.resolve(file))) {
                jars.add(file);
            }
        }
        return jars;
    }

    private static List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }

    // ------------------------------------------------------------ processes

    private static final class Result {
        final int code;
        final String output;

        Result(int code, String output) {
            this.code = code;
            this.output = output;
        }
    }

    /** Runs a command in {@code dir} with exactly {@code env}; output and errors together. */
    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " ends");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------ reading the archives, independently of Maven's writer

    /** One file or directory of an archive: name (directories end in /), Unix mode, content. */
    private static final class Entry {
        final String name;
        final int mode;
        final boolean directory;
        final byte[] content;

        Entry(String name, int mode, boolean directory, byte[] content) {
            this.name = name;
            this.mode = mode;
            this.directory = directory;
            this.content = content;
        }
    }

    /** The entries of a tar.gz, read from the ustar headers (pax extended headers are skipped). */
    private static Map<String, Entry> tarGzEntries(Path tarGz) throws IOException {
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarGz))) {
            tar = in.readAllBytes();
        }
        Map<String, Entry> entries = new TreeMap<>();
        int at = 0;
        while (at + 512 <= tar.length && tar[at] != 0) {
            String name = field(tar, at, 100);
            int mode = Integer.parseInt(field(tar, at + 100, 8).trim(), 8) & 07777;
            int size = Integer.parseInt(field(tar, at + 124, 12).trim(), 8);
            char type = (char) tar[at + 156];
            String prefix = field(tar, at + 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            byte[] content = Arrays.copyOfRange(tar, at + 512, at + 512 + size);
            if (type == '0' || type == '\0' || type == '5') {
                assertNull(entries.put(name, new Entry(name, mode, type == '5', type == '5' ? new byte[0] : content)),
                        "one entry per name: " + name);
            } else {
                assertTrue(type == 'x' || type == 'g', "only files and directories: " + name + " is type " + type);
            }
            at += 512 + (size + 511) / 512 * 512;
        }
        return entries;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** The entries of a zip; modes from the central directory's Unix external attributes. */
    private static Map<String, Entry> zipEntries(Path zip) throws IOException {
        Map<String, Integer> modes = zipUnixModes(Files.readAllBytes(zip));
        Map<String, Entry> entries = new TreeMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                byte[] content;
                try (InputStream in = file.getInputStream(entry)) {
                    content = in.readAllBytes();
                }
                Integer mode = modes.get(entry.getName());
                assertTrue(mode != null && mode != 0, "a Unix mode for " + entry.getName());
                assertNull(entries.put(entry.getName(), new Entry(entry.getName(), mode & 07777, entry.isDirectory(), content)),
                        "one entry per name: " + entry.getName());
            }
        }
        return entries;
    }

    private static Map<String, Integer> zipUnixModes(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int end = zip.length - 22;
        while (end >= 0 && b.getInt(end) != 0x06054b50) {
            end--;
        }
        assertTrue(end >= 0, "the zip's end of central directory");
        int count = Short.toUnsignedInt(b.getShort(end + 10));
        int at = b.getInt(end + 16);
        Map<String, Integer> modes = new HashMap<>();
        for (int i = 0; i < count; i++) {
            assertEquals(0x02014b50, b.getInt(at), "a central directory header");
            int madeBy = Short.toUnsignedInt(b.getShort(at + 4)) >>> 8;
            int nameLength = Short.toUnsignedInt(b.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(b.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(b.getShort(at + 32));
            int external = b.getInt(at + 38);
            String name = new String(zip, at + 46, nameLength, StandardCharsets.UTF_8);
            assertEquals(3, madeBy, "made by Unix, so the mode is in the attributes: " + name);
            modes.put(name, external >>> 16);
            at += 46 + nameLength + extraLength + commentLength;
        }
        return modes;
    }

    private static String sha256(byte[] content) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte x : MessageDigest.getInstance("SHA-256").digest(content)) {
            hex.append(String.format("%02x", x));
        }
        return hex.toString();
    }
}
