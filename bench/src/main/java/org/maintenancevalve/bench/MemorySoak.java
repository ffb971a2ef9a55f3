package org.maintenancevalve.bench;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.maintenancevalve.MaintenanceValve;
import org.maintenancevalve.harness.Exchange;
import org.maintenancevalve.harness.Fixture;
import org.maintenancevalve.harness.Terminal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.FileSystem;
import java.nio.file.spi.FileSystemProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory: what the valve keeps on the heap (its rendered bodies included), and that a few million
 * blocked requests leave nothing behind.
 * <p>
 * Starts a valve with every way through configured, turns maintenance on, and sends blocked
 * requests through Tomcat's real Request/Response from two threads (half a browser with a
 * session, half a REST client). Before and after: the valve's owned heap (walked object by
 * object, see {@link OwnedHeap}) and the JVM's used heap after full GCs.
 * <p>
 * {@code java -cp benchmarks.jar org.maintenancevalve.bench.MemorySoak [REQUESTS]} (bench/soak.sh).
 */
public final class MemorySoak {

    private MemorySoak() {
    }

    public static void main(String[] args) throws Exception {
        long requests = args.length > 0 ? Long.parseLong(args[0]) : 4_000_000L;
        int threads = 2;
        Quiet.logging();
        try (Fixture fixture = new Fixture()) {
            MaintenanceValve valve = fixture.startValve(Fixture.Config.JIRA, new Terminal());
            Map<String, Long> offSizes = owned(valve);
            valve.enable("Jira is being backed up. Back soon.", 60);

            soak(fixture, valve, 100_000, threads); // warm-up: classes loaded, JIT done, caches filled
            java.nio.file.Path histogramBeforeFile = histogram(fixture.dir.resolve("histogram-before.txt"));
            long heapBefore = usedHeapAfterGc();
            Map<String, Long> before = owned(valve);
            long blockedBefore = valve.getBlockedCount();

            long started = System.nanoTime();
            soak(fixture, valve, requests / 2, threads);
            long heapHalf = usedHeapAfterGc();
            soak(fixture, valve, requests - requests / 2, threads);
            double seconds = (System.nanoTime() - started) / 1e9;

            long heapAfter = usedHeapAfterGc();
            java.nio.file.Path histogramAfterFile = histogram(fixture.dir.resolve("histogram-after.txt"));
            Map<String, long[]> histogramBefore = parseHistogram(histogramBeforeFile);
            Map<String, long[]> histogramAfter = parseHistogram(histogramAfterFile);
            Map<String, Long> after = owned(valve);
            long blocked = valve.getBlockedCount() - blockedBefore;

            System.out.printf("Memory soak: %,d blocked requests through the valve in %.1f s (%d threads, "
                    + "%,.0f requests/s), every way through configured, maintenance on.%n%n",
                    blocked, seconds, threads, blocked / seconds);
            System.out.println("The valve's own heap (object by object; Tomcat's containers, JMX, threads, "
                    + "class loaders and the file system are not its own):");
            System.out.println();
            System.out.println("| part | off | on, before soak | on, after soak |");
            System.out.println("|---|---:|---:|---:|");
            for (String part : before.keySet()) {
                System.out.printf("| %s | %,d B | %,d B | %,d B |%n", part, offSizes.getOrDefault(part, 0L),
                        before.get(part), after.get(part));
            }
            System.out.println();
            System.out.printf("JVM heap used after full GCs: %,d B before the soak, %,d B after half of it "
                    + "(%+,d B), %,d B after all of it (%+,d B for the second half).%n",
                    heapBefore, heapHalf, heapHalf - heapBefore, heapAfter, heapAfter - heapHalf);
            if (histogramBefore != null && histogramAfter != null) {
                System.out.println();
                System.out.println("Heap histogram (jcmd GC.class_histogram), before and after the soak: the valve's "
                        + "classes, then the classes that grew most.");
                System.out.println();
                System.out.println("| class | instances before | after | bytes before | after |");
                System.out.println("|---|---:|---:|---:|---:|");
                List<String> shown = new ArrayList<>();
                for (String c : histogramAfter.keySet()) {
                    if (c.startsWith("org.maintenancevalve.") && !c.startsWith("org.maintenancevalve.bench.")) {
                        shown.add(c);
                    }
                }
                List<String> grown = new ArrayList<>(histogramAfter.keySet());
                grown.removeAll(shown);
                grown.sort((a, b) -> Long.compare(growth(histogramBefore, histogramAfter, b),
                        growth(histogramBefore, histogramAfter, a)));
                shown.addAll(grown.subList(0, Math.min(6, grown.size())));
                for (String c : shown) {
                    long[] b = histogramBefore.getOrDefault(c, new long[2]);
                    long[] a = histogramAfter.get(c);
                    System.out.printf("| %s | %,d | %,d | %,d | %,d |%n", c, b[0], a[0], b[1], a[1]);
                }
                System.out.println();
            }
            // Growth with the request count would show as kilobytes per million; allow for a
            // counter cell or a re-read flag file's few bytes.
            boolean grew = after.get("total") - before.get("total") > 1024;
            System.out.println(grew ? "RESULT: the valve's heap GREW during the soak"
                    : "RESULT: the valve's heap did not grow with the request count");
            if (blocked != requests) {
                System.out.println("RESULT: expected " + requests + " blocked requests, the valve counted " + blocked);
                System.exit(1);
            }
            if (grew) {
                System.exit(1);
            }
        }
    }

    private static void soak(Fixture fixture, Valve valve, long requests, int threads) throws Exception {
        AtomicLong left = new AtomicLong(requests);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                Exchange html = new Exchange(fixture.connector, fixture.host, fixture.context,
                        Scenario.blockedHtmlJira.request());
                Exchange json = new Exchange(fixture.connector, fixture.host, fixture.context,
                        Scenario.blockedJsonJira.request());
                try {
                    while (left.getAndAdd(-2) > 0) {
                        for (Exchange e : new Exchange[] {html, json}) {
                            e.fill();
                            valve.invoke(e.request, e.response);
                            if (e.status() != 503) {
                                throw new IllegalStateException("not blocked: " + e.status());
                            }
                            e.finish();
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "soak-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("soak failed", failures.get(0));
        }
    }

    /** The valve's owned heap, by field (shared objects counted under the first field that reaches them). */
    static Map<String, Long> owned(MaintenanceValve valve) {
        OwnedHeap heap = new OwnedHeap(o -> o instanceof Thread || o instanceof ThreadGroup
                || o instanceof ClassLoader || o instanceof Class || o instanceof FileSystem
                || o instanceof FileSystemProvider || o instanceof Clock || o instanceof Enum
                || (o instanceof Container) || (o instanceof Valve && o != valve)
                || o.getClass().getName().startsWith("javax.management.")
                || o.getClass().getName().startsWith("com.sun.jmx.")
                || o instanceof org.apache.juli.logging.Log);
        Map<String, Long> parts = new LinkedHashMap<>();
        long self = heap.addShallow(valve);
        Object gatekeeper = OwnedHeap.field(valve, "gatekeeper");
        Object gate = OwnedHeap.field(gatekeeper, "gate");
        parts.put("configuration (the ways through as set)", heap.add(OwnedHeap.field(gatekeeper, "access")));
        parts.put("gate: policy (what the flag file adds to the rules)", heap.add(OwnedHeap.field(gate, "policy")));
        parts.put("gate: rendered answer (HTML page, JSON)", heap.add(OwnedHeap.field(gate, "answer")));
        parts.put("gate: state (flag file settings)", heap.add(OwnedHeap.field(gate, "state")) + heap.add(gate));
        parts.put("counters and in-flight generations", heap.add(OwnedHeap.field(gatekeeper, "counts"))
                + heap.add(OwnedHeap.field(gatekeeper, "inFlight")) + heap.add(OwnedHeap.field(valve, "errors")));
        Object watcher = OwnedHeap.field(gatekeeper, "watcher");
        long watcherBytes = 0;
        if (watcher != null) {
            // Its listener is a lambda on the gatekeeper; its executor holds the poller thread.
            watcherBytes = heap.add(watcher);
        }
        parts.put("flag file watcher (with its executor, less the thread)", watcherBytes);
        parts.put("the gatekeeper object and its other fields", heap.addShallow(gatekeeper) + heap.addFields(gatekeeper));
        parts.put("the valve object and its other fields", self + heap.addFields(valve));
        parts.put("total", heap.total());
        return parts;
    }

    private static long growth(Map<String, long[]> before, Map<String, long[]> after, String c) {
        return after.get(c)[1] - before.getOrDefault(c, new long[2])[1];
    }

    /** Writes {@code jcmd GC.class_histogram} of this JVM to a file (kept off the heap); null without jcmd. */
    private static java.nio.file.Path histogram(java.nio.file.Path file) {
        String jcmd = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return file;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Live objects by class: instances, bytes. */
    private static Map<String, long[]> parseHistogram(java.nio.file.Path file) throws java.io.IOException {
        if (file == null) {
            return null;
        }
        Map<String, long[]> classes = new LinkedHashMap<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return classes;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
