package org.maintenancevalve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without --jmx the commands find the local Tomcats with the attach API: here a JVM of this user
 * that looks like one ({@link TomcatStandIn}). Other Tomcats on the machine may be found too; the
 * asserts are about this one. One stand-in for the class: each test leaves maintenance off.
 */
class LocalTomcatsTest extends CommandLineTest {

    @TempDir
    static Path tomcatDir;
    private static Process tomcat;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path ready = tomcatDir.resolve("ready");
        tomcat = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TomcatStandIn.class.getName(),
                flag().toString(), ready.toString(), "org.apache.catalina.startup.Bootstrap", "start")
                .directory(tomcatDir.toFile()) // where the attach API leaves its .attach_pid file
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(ready)) {
            assertTrue(tomcat.isAlive(), "the stand-in Tomcat runs");
            assertTrue(System.nanoTime() - deadline < 0, "the stand-in Tomcat is ready");
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        tomcat.getOutputStream().close();
        if (!tomcat.waitFor(10, TimeUnit.SECONDS)) {
            tomcat.destroyForcibly();
        }
    }

    private static Path flag() {
        return tomcatDir.resolve("maintenance.flag");
    }

    private static String target() {
        return "local Tomcat pid " + tomcat.pid();
    }

    @Test
    void theLocalTomcatIsFoundAndItsValveConfirmsOnAndOff() {
        assertEquals(0, run("on", "--flag", flag().toString()), err);
        assertTrue(out.contains("  applied:       " + target() + " [host=localhost]: full\n"), out);
        assertEquals(0, run("off", "--flag", flag().toString()), err);
        assertTrue(out.contains("  applied:       " + target() + " [host=localhost]: off\n"), out);
        assertFalse(Files.exists(flag()));
    }

    @Test
    void statusAsksTheLocalTomcat() throws Exception {
        assertEquals(0, run("status", "--flag", flag().toString(), "--json"), err);
        JsonNode found = null;
        for (JsonNode node : new ObjectMapper().readTree(out).get("nodes")) {
            if (target().equals(node.path("target").asText())) {
                found = node;
            }
        }
        assertNotNull(found, out);
        assertEquals("off", found.get("mode").asText());
    }

    @Test
    void aLocalTomcatWatchingAnotherFileIsNamedInTheWarning() {
        Path elsewhere = dir.resolve("elsewhere.flag"); // not the stand-in's
        assertEquals(0, run("off", "--flag", elsewhere.toString()), err);
        assertTrue(err.contains("warning: " + target() + " has a valve watching " + flag() + ", not " + elsewhere
                + ": is this the flag file you meant?"), err);
        assertTrue(out.startsWith("There was no flag file " + elsewhere + ".\nMaintenance was not on; nothing to wait for:"
                + " no running valve watching " + elsewhere + " was reached on this machine ("), out);

        assertEquals(1, run("on", "--flag", elsewhere.toString()), err);
        assertTrue(err.contains("NOT CONFIRMED: no running valve watching " + elsewhere + " was reached on this machine ("),
                err);
        assertTrue(err.contains(target() + " has a valve watching " + flag()), err);
        assertTrue(err.contains("; for another machine, or a Tomcat this user cannot attach to, give --jmx HOST:PORT."), err);
    }

    @Test
    void theOwnerOfTheFlagOrElseOfItsDirectoryDecidesWhomToTrust() throws Exception {
        String me = System.getProperty("user.name");
        Path noFile = dir.resolve("none.flag");
        assertEquals(me, LocalTomcats.ownerOf(noFile), "no file yet: its directory's owner");
        Files.writeString(noFile, "{}");
        assertEquals(me, LocalTomcats.ownerOf(noFile));
        List<LocalTomcats.Found> found = LocalTomcats.find(flag(), env);
        LocalTomcats.Found standIn = found.stream().filter(f -> f.pid.equals(String.valueOf(tomcat.pid())))
                .findFirst().orElseThrow();
        assertEquals(null, standIn.skipped);
        assertTrue(standIn.address.startsWith("service:jmx:"), standIn.address);
        assertFalse(found.stream().anyMatch(f -> f.pid.equals(String.valueOf(ProcessHandle.current().pid()))),
                "not this JVM");
    }
}
