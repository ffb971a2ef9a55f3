package org.maintenancevalve.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol (a WebSocket on 127.0.0.1), with
 * nothing but the JDK and Jackson: no driver, no browser download. The binary is Debian's
 * {@code chromium} (or the one named by {@code -Dchromium.binary} / {@code CHROMIUM_BINARY}).
 * It runs headless with a fresh profile, without sandbox, GPU, QUIC, sync, component updates or
 * background networking, so it talks to nothing but the test's Tomcat.
 *
 * <pre>{@code
 * try (Chromium browser = Chromium.launch(binary, workDir);
 *      Chromium.Page page = browser.newPage(390, 844, false, "de")) {
 *     page.navigate("http://127.0.0.1:" + port + "/");
 *     String h1 = page.evaluate("document.querySelector('h1').textContent").asText();
 *     page.screenshot(Paths.get("target/screenshots/page.png"));
 * }
 * }</pre>
 */
final class Chromium implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");

    private static final Set<Process> LIVE = Collections.synchronizedSet(new HashSet<>());

    static {
        // A browser a test forgot to close does not outlive the test JVM.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<Process> left;
            synchronized (LIVE) {
                left = new ArrayList<>(LIVE);
            }
            for (Process p : left) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "chromium-it-reaper"));
    }

    private final Process process;
    private final Path log;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Tabs by DevTools session, for the events they asked for ({@link Page#watchConsole()}). */
    private final Map<String, Page> pages = new ConcurrentHashMap<>();

    private Chromium(Process process, Path log, WebSocket socket) {
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /** The Chromium binary to use, if there is one. */
    static Optional<Path> find() {
        String named = System.getProperty("chromium.binary", System.getenv("CHROMIUM_BINARY"));
        if (named != null && !named.isBlank()) {
            Path path = Paths.get(named);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return CANDIDATES.stream().map(Paths::get).filter(Files::isExecutable).findFirst();
    }

    /** Starts Chromium with a fresh profile under {@code workDir} and connects to it. */
    /**
     * The browser for a scenario class, launched in {@code it.work.dir/chromium}. When none is
     * installed, the tests that need it are skipped with a message, or fail under {@code CI=true}.
     *
     * @param tests what those tests are, for the message: {@code the banner's browser tests}
     */
    static Chromium launchOrSkip(String tests) {
        Optional<Path> binary = find();
        if (binary.isPresent()) {
            try {
                Chromium chromium = launch(binary.get(), Path.of(System.getProperty("it.work.dir"), "chromium"));
                System.out.println("[Chromium] " + binary.get() + ": " + chromium.version());
                return chromium;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String none = "No Chromium found (looked for -Dchromium.binary, $CHROMIUM_BINARY, /usr/bin/chromium,"
                + " /usr/bin/chromium-browser, /usr/bin/google-chrome; install it with: apt-get install chromium)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(none + ": under CI=true a missing browser fails " + tests);
        }
        System.out.println("[Chromium] SKIPPED: " + none + ": " + tests + " are skipped");
        assumeTrue(false, none + ": " + tests + " are skipped");
        return null;
    }

    /** Where a screenshot of that name goes: {@code screenshots.dir} (target/screenshots). */
    static Path screenshot(String name) {
        String dir = System.getProperty("screenshots.dir");
        return (dir == null ? Paths.get("target", "screenshots") : Paths.get(dir)).resolve(name + ".png");
    }

    static Chromium launch(Path binary, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Path log = workDir.resolve(profile.getFileName() + ".log");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--no-default-browser-check",
                "--disable-domain-reliability", "--disable-breakpad", "--disable-crash-reporter",
                "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
                "--hide-scrollbars", "--mute-audio", "--password-store=basic", "--use-mock-keychain",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "about:blank"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = pb.start();
        try {
            process.getOutputStream().close();
            // Chromium writes the port it chose, and the browser target's path, into the profile.
            Path portFile = profile.resolve("DevToolsActivePort");
            List<String> lines = Await.until(START_TIMEOUT, "Chromium to write " + portFile, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Chromium exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    return Files.readAllLines(portFile);
                } catch (IOException e) {
                    return List.<String>of();
                }
            }, l -> l.size() >= 2 && !l.get(0).isBlank());
            URI uri = URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
            AtomicReference<Chromium> self = new AtomicReference<>();
            Listener listener = new Listener(self);
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, listener)
                    .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Chromium chromium = new Chromium(process, log, socket);
            self.set(chromium);
            LIVE.add(process);
            return chromium;
        } catch (RuntimeException | Error | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("cannot start Chromium " + binary + " (log: " + log + "): " + e, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted starting Chromium", e);
        }
    }

    /** The browser's version line, e.g. {@code Chrome/139.0...}. */
    String version() {
        return send(null, "Browser.getVersion", JSON.createObjectNode()).path("product").asText();
    }

    /**
     * Opens a tab with a viewport of {@code width x height} CSS pixels, the given colour scheme,
     * {@code Accept-Language} and time zone.
     */
    Page newPage(int width, int height, boolean dark, String acceptLanguage, String timeZone) {
        return newPage(width, height, dark, acceptLanguage, timeZone, null);
    }

    /**
     * {@link #newPage} in a browser context of its own, like a fresh private window: no cookies or
     * storage shared with other tabs; the context goes when the tab is closed.
     */
    Page newIsolatedPage(int width, int height, boolean dark, String acceptLanguage, String timeZone) {
        String context = send(null, "Target.createBrowserContext", JSON.createObjectNode())
                .path("browserContextId").asText();
        return newPage(width, height, dark, acceptLanguage, timeZone, context);
    }

    private Page newPage(int width, int height, boolean dark, String acceptLanguage, String timeZone,
            String browserContext) {
        ObjectNode create = JSON.createObjectNode().put("url", "about:blank");
        if (browserContext != null) {
            create.put("browserContextId", browserContext);
        }
        String targetId = send(null, "Target.createTarget", create).path("targetId").asText();
        ObjectNode attach = JSON.createObjectNode().put("targetId", targetId).put("flatten", true);
        String session = send(null, "Target.attachToTarget", attach).path("sessionId").asText();
        Page page = new Page(targetId, session, browserContext);
        pages.put(session, page);
        page.viewport(width, height);
        page.colorScheme(dark);
        String userAgent = send(null, "Browser.getVersion", JSON.createObjectNode()).path("userAgent").asText();
        send(session, "Emulation.setUserAgentOverride", JSON.createObjectNode()
                .put("userAgent", userAgent).put("acceptLanguage", acceptLanguage));
        send(session, "Emulation.setTimezoneOverride", JSON.createObjectNode().put("timezoneId", timeZone));
        return page;
    }

    /** One tab. */
    final class Page implements AutoCloseable {
        private final String targetId;
        private final String session;
        private final String browserContext;
        private final List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();

        private Page(String targetId, String session, String browserContext) {
            this.targetId = targetId;
            this.session = session;
            this.browserContext = browserContext;
        }

        /**
         * Records from now on what the page's console would show: uncaught exceptions, the
         * page's own {@code console.error/warn/assert}, and the browser's error and warning lines
         * (failed loads, Content-Security-Policy refusals), each as one line in {@link #console()}.
         */
        void watchConsole() {
            send(session, "Runtime.enable", JSON.createObjectNode());
            send(session, "Log.enable", JSON.createObjectNode());
        }

        /** What {@link #watchConsole()} recorded so far. */
        List<String> console() {
            return List.copyOf(console);
        }

        void event(String method, JsonNode params) {
            switch (method) {
                case "Runtime.exceptionThrown": {
                    JsonNode details = params.path("exceptionDetails");
                    console.add("exception: " + details.path("exception").path("description").asText(
                            details.path("text").asText()));
                    break;
                }
                case "Runtime.consoleAPICalled": {
                    String type = params.path("type").asText();
                    if (type.equals("error") || type.equals("warning") || type.equals("assert")) {
                        console.add("console." + type + ": " + params.path("args"));
                    }
                    break;
                }
                case "Log.entryAdded": {
                    JsonNode entry = params.path("entry");
                    String level = entry.path("level").asText();
                    if (level.equals("error") || level.equals("warning")) {
                        console.add("log " + entry.path("source").asText() + " " + level + ": "
                                + entry.path("text").asText() + " " + entry.path("url").asText());
                    }
                    break;
                }
                default:
                    break;
            }
        }

        /** Runs {@code source} in every document this tab loads from now on, before the page's own scripts. */
        void addScriptOnNewDocument(String source) {
            send(session, "Page.enable", JSON.createObjectNode());
            send(session, "Page.addScriptToEvaluateOnNewDocument", JSON.createObjectNode().put("source", source));
        }

        void viewport(int width, int height) {
            send(session, "Emulation.setDeviceMetricsOverride", JSON.createObjectNode()
                    .put("width", width).put("height", height).put("deviceScaleFactor", 1)
                    .put("mobile", width < 600));
        }

        void colorScheme(boolean dark) {
            ObjectNode params = JSON.createObjectNode();
            params.putArray("features").addObject().put("name", "prefers-color-scheme")
                    .put("value", dark ? "dark" : "light");
            send(session, "Emulation.setEmulatedMedia", params);
        }

        /** Navigates and waits until the document has loaded. */
        void navigate(String url) {
            JsonNode result = send(session, "Page.navigate", JSON.createObjectNode().put("url", url));
            if (result.hasNonNull("errorText")) {
                throw new AssertionError("navigation to " + url + " failed: " + result.get("errorText").asText());
            }
            awaitLoaded(url);
        }

        /** Waits until the current document has finished loading. */
        void awaitLoaded(String what) {
            Await.until(COMMAND_TIMEOUT, "page loaded: " + what,
                    () -> "complete".equals(evaluate("document.readyState").asText()));
        }

        /** Evaluates a JavaScript expression in the page and returns its value (promises awaited). */
        JsonNode evaluate(String expression) {
            JsonNode result = send(session, "Runtime.evaluate", JSON.createObjectNode()
                    .put("expression", expression).put("returnByValue", true).put("awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException("script failed: " + expression + ": " + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        /** Saves a PNG of the viewport. */
        void screenshot(Path file) throws IOException {
            JsonNode result = send(session, "Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
        }

        /** Saves a PNG of the top {@code height} CSS pixels of the viewport, {@code width} wide. */
        void screenshotTop(Path file, int width, int height) throws IOException {
            ObjectNode params = JSON.createObjectNode().put("format", "png");
            params.putObject("clip").put("x", 0).put("y", 0).put("width", width).put("height", height).put("scale", 1);
            JsonNode result = send(session, "Page.captureScreenshot", params);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
        }

        @Override
        public void close() {
            pages.remove(session);
            try {
                send(null, "Target.closeTarget", JSON.createObjectNode().put("targetId", targetId));
                if (browserContext != null) {
                    send(null, "Target.disposeBrowserContext", JSON.createObjectNode()
                            .put("browserContextId", browserContext));
                }
            } catch (RuntimeException | AssertionError ignored) {
                // the browser may already be gone
            }
        }
    }

    /** Sends a command (to the browser, or to a tab's session) and waits for its result. */
    JsonNode send(String session, String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(message.toString(), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode response = reply.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IllegalStateException(method + " failed: " + response.get("error"));
            }
            return response.path("result");
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " failed: " + e + (process.isAlive() ? "" : " (Chromium exited)"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method, e);
        } finally {
            pending.remove(id);
        }
    }

    private void received(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
        } else if (message.has("method") && message.has("sessionId")) {
            // An event. The tests poll the page's state with a deadline; only what a tab's console
            // would show is kept, for the tabs that asked for it.
            Page page = pages.get(message.get("sessionId").asText());
            if (page != null) {
                page.event(message.get("method").asText(), message.path("params"));
            }
        }
    }

    private void failAll(Throwable error) {
        pending.values().forEach(f -> f.completeExceptionally(error));
    }

    /** Asks Chromium to close, then makes sure the process is gone. */
    @Override
    public void close() {
        try {
            socket.sendText(JSON.createObjectNode().put("id", ids.incrementAndGet())
                    .put("method", "Browser.close").toString(), true).get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // it is killed below
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                List<ProcessHandle> children = process.descendants().toList();
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
                children.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        LIVE.remove(process);
        socket.abort();
        // Chromium's helper processes leave with the browser; its profile is not needed any more.
        deleteTreeQuietly(logDirProfile());
    }

    private Path logDirProfile() {
        String name = log.getFileName().toString();
        return log.resolveSibling(name.substring(0, name.length() - ".log".length()));
    }

    private static void deleteTreeQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }

    /** Collects each text message (which may arrive in parts) and hands it to the browser object. */
    private static final class Listener implements WebSocket.Listener {
        private final AtomicReference<Chromium> owner;
        private final StringBuilder buffer = new StringBuilder();

        Listener(AtomicReference<Chromium> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                Chromium chromium = owner.get();
                if (chromium != null) {
                    chromium.received(text);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            Chromium chromium = owner.get();
            if (chromium != null) {
                chromium.failAll(new IOException("DevTools connection closed: " + statusCode + " " + reason));
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            Chromium chromium = owner.get();
            if (chromium != null) {
                chromium.failAll(error);
            }
        }
    }
}
