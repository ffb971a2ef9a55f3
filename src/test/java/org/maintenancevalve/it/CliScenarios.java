package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.maintenancevalve.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line against a real Tomcat: on, status with live figures, wait-idle, off. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CliScenarios {

    private final String version;
    private Path flag;
    private TomcatServer tomcat;
    private String out;
    private String err;

    CliScenarios(String version) {
        this.version = version;
    }

    @BeforeAll
    void start() throws IOException {
        flag = TomcatServer.freshFlagFile("cli-flags", version);
        tomcat = TomcatServer.builder(version).name("cli")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"" + CoreScenarios.POLL_MILLIS + "\"")
                .start();
    }

    @AfterAll
    void stop() {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    private int cli(String... args) {
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(outBytes, true), new PrintStream(errBytes, true), Map.of());
        out = outBytes.toString(StandardCharsets.UTF_8);
        err = errBytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    private String jmx() {
        return "127.0.0.1:" + tomcat.jmxPort();
    }

    @Test
    void aWholeWindowFromTheCommandLine() throws Exception {
        List<CompletableFuture<Http.Response>> slow = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            slow.add(CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=2000")));
        }
        Await.until(Duration.ofSeconds(10), "slow requests in flight", () -> {
            cli("status", "--flag", flag.toString(), "--jmx", jmx(), "--json");
            return CoreScenarios.readJson(out).path("live").path("inFlight").asLong() >= 2;
        });

        assertEquals(0, cli("on", "--flag", flag.toString(), "--message", "XML backup", "--for", "1h", "--bypass"), err);
        Await.until(CoreScenarios.TOGGLE_DEADLINE, "blocked after on", () -> Http.get(tomcat.httpPort(), "/").status() == 503);
        String link = out.substring(out.indexOf("/?maintenance-bypass=")).split("\\s")[0];
        assertEquals(303, Http.get(tomcat.httpPort(), link).status(), "the printed bypass link works");

        assertEquals(0, cli("wait-idle", "--flag", flag.toString(), "--jmx", jmx(), "--timeout", "30s"), err + out);
        assertTrue(out.startsWith("Idle"), out);
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waited >= 2000, "wait-idle returned only after the 2 s requests: " + waited + " ms");
        for (CompletableFuture<Http.Response> request : slow) {
            assertEquals(200, request.get(10, java.util.concurrent.TimeUnit.SECONDS).status(), "finished normally");
        }

        assertEquals(0, cli("status", "--flag", flag.toString(), "--jmx", jmx(), "--json"), err);
        JsonNode status = CoreScenarios.readJson(out);
        assertEquals("full", status.get("mode").asText());
        assertEquals("XML backup", status.get("message").asText());
        JsonNode live = status.get("live");
        assertTrue(live.get("active").asBoolean(), out);
        assertTrue(live.get("blocked").asLong() >= 1, out);
        assertEquals(0, live.get("inFlightBeforeMaintenance").asLong(), out);

        assertEquals(0, cli("off", "--flag", flag.toString()));
        Await.until(CoreScenarios.TOGGLE_DEADLINE, "open after off", () -> Http.get(tomcat.httpPort(), "/").status() == 200);
    }

    @Test
    void waitIdleTimesOutWithTheCount() throws Exception {
        CompletableFuture<Http.Response> slow = CompletableFuture.supplyAsync(() -> Http.get(tomcat.httpPort(), "/slow.jsp?ms=4000"));
        Await.until(Duration.ofSeconds(10), "slow request in flight", () -> {
            cli("status", "--flag", flag.toString(), "--jmx", jmx(), "--json");
            return CoreScenarios.readJson(out).path("live").path("inFlight").asLong() >= 1;
        });
        try {
            assertEquals(0, cli("on", "--flag", flag.toString()));
            Await.until(CoreScenarios.TOGGLE_DEADLINE, "blocked", () -> Http.get(tomcat.httpPort(), "/").status() == 503);
            assertEquals(1, cli("wait-idle", "--flag", flag.toString(), "--jmx", jmx(), "--timeout", "1s"));
            assertTrue(out.startsWith("1 request(s) from before maintenance still running"), out);
            assertEquals(200, slow.get().status(), "and it still finishes normally");
        } finally {
            cli("off", "--flag", flag.toString());
        }
    }

    @Test
    void statusFindsTheLocalTomcatByItself() {
        // No --jmx: the JDK's attach API finds the Tomcat whose valve watches this flag.
        assertEquals(0, cli("status", "--catalina-base", tomcat.baseDir().toString(), "--json"), err);
        JsonNode status = CoreScenarios.readJson(out);
        assertEquals(flag.toString(), status.get("flagFile").asText());
        assertTrue(status.get("live").isObject(), "live figures through attach: " + out);
        assertTrue(status.get("live").get("target").asText().contains("pid"), out);
    }
}
