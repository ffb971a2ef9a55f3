package org.maintenancevalve.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The attacker of the root race tests, run as an unprivileged user who owns the directories it
 * watches (through {@link #start}): it lists them in a tight loop and, the moment a new name
 * appears (a temporary file, a backup, a staged jar, the flag itself), renames a ready-made
 * symbolic link to the victim over it, in one atomic step. Names present when it starts are left
 * alone, so the files the tested code reads stay readable. It runs until its standard input
 * closes, then prints {@code swapped <n>}.
 * <p>
 * {@code java -cp <test classes> org.maintenancevalve.it.LinkSwapper VICTIM DIR...}
 */
public final class LinkSwapper {

    static final String READY = "ready";
    private static final String OWN_PREFIX = ".swap-";

    private LinkSwapper() {
    }

    public static void main(String[] args) throws Exception {
        Path victim = Paths.get(args[0]);
        List<Path> dirs = new ArrayList<>();
        Map<Path, Set<String>> existing = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            Path dir = Paths.get(args[i]);
            dirs.add(dir);
            existing.put(dir, names(dir));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread stdin = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // until the test closes it
                }
            } catch (IOException e) {
                // closed
            }
            running.set(false);
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();

        Map<Path, Path> ready = new HashMap<>();
        long swaps = 0;
        int made = 0;
        System.out.println(READY);
        System.out.flush();
        while (running.get()) {
            for (Path dir : dirs) {
                Path link = ready.get(dir);
                if (link == null) {
                    link = dir.resolve(OWN_PREFIX + made++);
                    try {
                        Files.createSymbolicLink(link, victim);
                    } catch (IOException e) {
                        continue;
                    }
                    ready.put(dir, link);
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if (name.startsWith(OWN_PREFIX) || existing.get(dir).contains(name) || Files.isSymbolicLink(entry)) {
                            continue;
                        }
                        try {
                            Files.move(link, entry, StandardCopyOption.ATOMIC_MOVE);
                            swaps++;
                            ready.remove(dir);
                            break; // make the next link first
                        } catch (IOException e) {
                            // gone meanwhile, or a directory: next one
                        }
                    }
                } catch (IOException e) {
                    // the directory is being changed: look again
                }
            }
        }
        for (Path link : ready.values()) {
            Files.deleteIfExists(link);
        }
        System.out.println("swapped " + swaps);
        System.out.flush();
    }

    private static Set<String> names(Path dir) throws IOException {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        return names;
    }

    /** The racer as a process: {@code setpriv} to uid/gid 65534, this class on the test class path. */
    public static final class Running implements AutoCloseable {
        private final java.lang.Process process;
        private final StringBuilder output = new StringBuilder();
        private final Thread reader;

        private Running(java.lang.Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (InputStream in = process.getInputStream()) {
                    byte[] buffer = new byte[1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        synchronized (output) {
                            output.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                            output.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // ended
                }
            }, "link-swapper-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Stops the racer and returns how many names it swapped. */
        public long stop() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the racer did not stop: " + output());
            }
            reader.join(10_000);
            String text = output();
            int at = text.lastIndexOf("swapped ");
            if (at < 0) {
                throw new AssertionError("the racer said nothing of its swaps: " + text);
            }
            return Long.parseLong(text.substring(at + "swapped ".length()).trim().split("\\s")[0]);
        }

        String output() {
            synchronized (output) {
                return output.toString();
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts the racer as uid/gid 65534 on {@code dirs} (which that user must own) and waits until it is watching. */
    public static Running start(Path victim, Path... dirs) throws Exception {
        String classes = Paths.get(LinkSwapper.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", classes, LinkSwapper.class.getName(), victim.toString()));
        for (Path dir : dirs) {
            command.add(dir.toString());
        }
        Running racer = new Running(new ProcessBuilder(command).redirectErrorStream(true).start());
        long deadline = System.nanoTime() + 30_000_000_000L;
        synchronized (racer.output) {
            while (racer.output.indexOf(READY) < 0) {
                if (!racer.process.isAlive() || System.nanoTime() > deadline) {
                    racer.close();
                    throw new AssertionError("the racer did not start: " + racer.output);
                }
                racer.output.wait(100);
            }
        }
        return racer;
    }
}
