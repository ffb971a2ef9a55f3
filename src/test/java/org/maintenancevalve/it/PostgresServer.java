package org.maintenancevalve.it;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server of its own for a test: Debian's {@code postgresql} package's
 * {@code initdb} and {@code pg_ctl}, run as the {@code postgres} user when the test runs as root
 * (initdb refuses root), in a temporary directory, on a free port of 127.0.0.1 only. {@link #close()}
 * always stops it ({@code pg_ctl stop -m immediate}) and removes the directory.
 *
 * <p>Where PostgreSQL is not installed or will not start, {@link #start()} says so and the test is
 * skipped, except under {@code CI=true}, where it fails: CI installs it ({@code .ci/run}).
 */
final class PostgresServer implements AutoCloseable {

    private static final long COMMAND_SECONDS = 60;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;
    /** Stops the server should the test JVM end without {@link #close()} (a build stopped with Ctrl-C). */
    private final Thread reaper = new Thread(this::close, "postgres-it-reaper");

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Starts a fresh server, or skips the test (fails it under {@code CI=true}) saying why it cannot. */
    static PostgresServer start() {
        Path bin = findBin();
        if (bin == null) {
            unavailable("Debian's PostgreSQL is not installed: no initdb under /usr/lib/postgresql/*/bin or on the"
                    + " PATH (apt-get install postgresql; .ci/run installs it)");
        }
        PostgresServer server = null;
        try {
            Path dir = Files.createTempDirectory("maintenance-valve-pg-");
            boolean root = ((Integer) Files.getAttribute(dir, "unix:uid")) == 0;
            if (root) {
                UserPrincipal postgres;
                try {
                    postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                } catch (IOException e) {
                    deleteTree(dir);
                    unavailable("running as root, and there is no postgres user to run initdb as (initdb refuses"
                            + " root; Debian's postgresql package creates the user)");
                    return null;
                }
                Files.setOwner(dir, postgres);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            server = new PostgresServer(bin, dir, TomcatServer.freePorts(1).get(0), root);
            server.initAndStart();
            return server;
        } catch (IOException | RuntimeException e) {
            String log = server == null ? "" : server.log();
            if (server != null) {
                server.close();
            }
            unavailable("PostgreSQL from " + bin + " would not start: " + e.getMessage()
                    + (log.isEmpty() ? "" : "\n---- its log ----\n" + log));
            return null;
        }
    }

    private static void unavailable(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + " (CI=true: this test must run)");
        }
        Assumptions.abort(why);
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin} holding initdb, else the directory of initdb on the PATH. */
    private static Path findBin() {
        Path debian = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin").resolve("initdb")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                // fall back to the PATH
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path initdb = Paths.get(entry.isEmpty() ? "." : entry, "initdb");
            if (Files.isExecutable(initdb)) {
                return initdb.toAbsolutePath().getParent();
            }
        }
        return null;
    }

    private void initAndStart() throws IOException {
        Runtime.getRuntime().addShutdownHook(reaper);
        run(true, bin.resolve("initdb").toString(), "-D", data().toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync");
        run(true, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-c port=" + port + " -c listen_addresses=127.0.0.1"
                        + " -c unix_socket_directories=" + dir + " -c fsync=off -c full_page_writes=off", "start");
        running = true;
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The bin directory of this PostgreSQL (psql, pg_dump). */
    Path bin() {
        return bin;
    }

    int port() {
        return port;
    }

    /** The JDBC address of the {@code postgres} database as its {@code postgres} user (trust on 127.0.0.1). */
    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Runs SQL through psql ({@code -At}: unaligned rows, no headers) and returns what it printed. */
    String sql(String statement) {
        try {
            return run(false, bin.resolve("psql").toString(), "-X", "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-At", "-c", statement);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's log so far (empty when there is none). */
    String log() {
        try {
            Path log = dir.resolve("server.log");
            return Files.isReadable(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String run(boolean asServerUser, String... command) throws IOException {
        List<String> line = new ArrayList<>();
        if (asServerUser && asPostgresUser) {
            line.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        line.addAll(List.of(command));
        Path output = Files.createTempFile("pg-command-", ".out");
        try {
            Process process = new ProcessBuilder(line).directory(asServerUser ? Paths.get("/").toFile() : null)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException(String.join(" ", line) + " did not end within " + COMMAND_SECONDS + " s");
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", line) + " exited with " + process.exitValue() + ": " + printed);
            }
            return printed.trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + line, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Stops the server (immediately: nothing here needs a clean shutdown) and removes its directory. */
    @Override
    public synchronized void close() {
        if (Thread.currentThread() != reaper) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the JVM is shutting down (the reaper closes it), or the hook was never added
            }
        }
        try {
            if (running || Files.exists(data().resolve("postmaster.pid"))) {
                run(true, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop");
            }
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("PostgreSQL did not stop: " + e.getMessage(), e);
        } finally {
            running = false;
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory: the next boot's cleaning takes what is left
        }
    }
}
