package org.maintenancevalve.it;

import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 64 clients for 30 s while maintenance toggles every 200 ms, by file and by JMX in turn. Every
 * answer is the app's complete answer or the complete maintenance answer, and no request that
 * started after maintenance took effect reached the app (the app stamps each arrival).
 */
@Isolated // it toggles under load and times it: alone, not beside another class
abstract class LoadToggleScenarios {

    static final int CLIENTS = 64;
    static final Duration RUN = Duration.ofSeconds(30);
    static final long TOGGLE_MILLIS = 200;

    private final String version;

    LoadToggleScenarios(String version) {
        this.version = version;
    }

    /** A span during which maintenance was in force for certain: [on observed, off requested). */
    record Window(long fromMillis, long toMillis) {
    }

    @Test
    void underLoadAndTogglesEveryAnswerIsCompleteAndNobodySlipsIn() throws Exception {
        Path flag = TomcatServer.freshFlagFile("load-flags", version);
        try (TomcatServer tomcat = TomcatServer.builder(version).name("load")
                .valve(TomcatServer.Level.HOST, "flagFile=\"" + flag + "\" pollInterval=\"50\"").start()) {
            assertTrue(Http.get(tomcat.httpPort(), "/stamp.jsp").body().contains("SAMPLE-APP stamp"));
            MBeanServerConnection jmx = tomcat.jmx();
            ObjectName valve = CoreScenarios.valveName(jmx);
            Files.writeString(flag, "");
            String maintenancePage = Await.until(Duration.ofSeconds(5), "a maintenance page",
                    () -> Http.get(tomcat.httpPort(), "/stamp.jsp", "Accept", "text/html"), r -> r.status() == 503).body();
            Files.delete(flag);
            Await.until(Duration.ofSeconds(5), "off", () -> Http.get(tomcat.httpPort(), "/").status() == 200);

            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("http://127.0.0.1:" + tomcat.httpPort() + "/stamp.jsp");
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Window> windows = new ConcurrentLinkedQueue<>();
            Map<String, LongAdder> counts = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<long[]> appAnswers = new ConcurrentLinkedQueue<>(); // {client start, app arrival}

            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                tasks.add(pool.submit(() -> {
                    while (running.get()) {
                        long start = System.currentTimeMillis();
                        try {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                                    .header("Accept", "text/html").timeout(Duration.ofSeconds(10)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            String kind = classify(response, maintenancePage);
                            counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
                            if (kind.equals("app")) {
                                appAnswers.add(new long[] {start, arrival(response.body())});
                            } else if (!kind.equals("maintenance")) {
                                problems.add(kind + ": " + response.statusCode() + " " + response.headers().map());
                            }
                        } catch (Exception e) {
                            counts.computeIfAbsent("error", k -> new LongAdder()).increment();
                            problems.add("request failed: " + e);
                        }
                    }
                    return null;
                }));
            }
            tasks.add(pool.submit(() -> {
                boolean byJmx = false;
                long end = System.nanoTime() + RUN.toNanos();
                while (System.nanoTime() < end) {
                    if (byJmx) {
                        jmx.invoke(valve, "enable", new Object[] {"", 0}, new String[] {"java.lang.String", "int"});
                    } else {
                        Files.writeString(flag, "");
                    }
                    // In force from the moment the valve says so (JMX: when enable returns).
                    Await.until(Duration.ofSeconds(5), "on", () -> Boolean.TRUE.equals(attribute(jmx, valve, "active")));
                    long on = System.currentTimeMillis();
                    Thread.sleep(TOGGLE_MILLIS);
                    long off = System.currentTimeMillis();
                    windows.add(new Window(on, off));
                    if (byJmx) {
                        jmx.invoke(valve, "disable", new Object[0], new String[0]);
                    } else {
                        Files.delete(flag);
                    }
                    Await.until(Duration.ofSeconds(5), "off", () -> Boolean.FALSE.equals(attribute(jmx, valve, "active")));
                    Thread.sleep(TOGGLE_MILLIS);
                    byJmx = !byJmx;
                }
                running.set(false);
                return null;
            }));
            for (Future<?> task : tasks) {
                task.get(RUN.toSeconds() + 60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            // A request that started after maintenance was in force and reached the app before
            // it was switched off passed the valve inside the window: that is a slip. The valve's
            // decision lies between the two instants, so no tolerance is needed beyond the clock's
            // own millisecond.
            List<String> slipped = new ArrayList<>();
            for (long[] answer : appAnswers) {
                for (Window window : windows) {
                    if (answer[0] > window.fromMillis() && answer[1] < window.toMillis()) {
                        slipped.add("request started at " + answer[0] + ", reached the app at " + answer[1]
                                + ", inside " + window);
                    }
                }
            }
            System.out.println("[load] Tomcat " + version + ": " + counts + ", " + windows.size() + " maintenance windows");
            assertTrue(windows.size() >= 20, "toggled often enough: " + windows.size());
            assertTrue(counts.getOrDefault("app", new LongAdder()).sum() > 100, "the app answered: " + counts);
            assertTrue(counts.getOrDefault("maintenance", new LongAdder()).sum() > 100, "maintenance answered: " + counts);
            assertTrue(problems.isEmpty(), () -> problems.size() + " bad answers, first: " + problems.peek());
            assertTrue(slipped.isEmpty(), () -> slipped.size() + " requests slipped in, first: " + slipped.get(0));
            String log = tomcat.log();
            assertFalse(log.contains("Exception"), "no exception in the Tomcat log");
            assertFalse(log.contains("SEVERE"), "no SEVERE in the Tomcat log");
        }
    }

    private static Object attribute(MBeanServerConnection jmx, ObjectName valve, String name) {
        try {
            return jmx.getAttribute(valve, name);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final java.util.regex.Pattern APP_ANSWER = java.util.regex.Pattern.compile("SAMPLE-APP stamp arrived=(\\d+)");

    private static long arrival(String body) {
        java.util.regex.Matcher matcher = APP_ANSWER.matcher(body.trim());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : Long.MAX_VALUE;
    }

    private static String classify(HttpResponse<String> response, String maintenancePage) {
        if (response.statusCode() == 200) {
            return APP_ANSWER.matcher(response.body().trim()).matches() ? "app" : "truncated-app";
        }
        if (response.statusCode() == 503) {
            // Each window has its own start time on the page: compare the shape, not the bytes.
            String body = response.body();
            long length = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            boolean complete = body.startsWith(maintenancePage.substring(0, 200))
                    && body.trim().endsWith("</html>")
                    && response.headers().firstValueAsLong("content-length").orElse(-1) == length
                    && response.headers().firstValue("retry-after").isPresent()
                    && "no-store".equals(response.headers().firstValue("cache-control").orElse(""));
            return complete ? "maintenance" : "incomplete-maintenance";
        }
        return "status-" + response.statusCode();
    }
}
