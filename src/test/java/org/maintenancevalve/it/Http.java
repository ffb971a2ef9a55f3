package org.maintenancevalve.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny HTTP/1.1 client for tests, talking to {@code 127.0.0.1} only. Redirects are not followed;
 * every request has a 10 s timeout. Header pairs are given as {@code name, value, name, value...}.
 *
 * <p>{@code java.net.http} cleans up paths and refuses some headers ({@code Connection},
 * {@code Content-Length}, {@code Expect}, {@code Upgrade}); use {@link RawHttp} for those and for
 * path tricks. {@code Host} is allowed (this class enables it before creating its client).
 */
public final class Http {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient CLIENT;

    static {
        if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        }
        CLIENT = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(TIMEOUT)
                .build();
    }

    private Http() {
    }

    /** A response: status, headers with lower-case names, body decoded as UTF-8. */
    public record Response(int status, Map<String, List<String>> headers, String body) {

        public Response {
            Map<String, List<String>> lower = new TreeMap<>();
            if (headers != null) {
                headers.forEach((name, values) -> {
                    if (name != null) {
                        lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values);
                    }
                });
            }
            lower.replaceAll((k, v) -> List.copyOf(v));
            headers = Collections.unmodifiableMap(lower);
            body = body == null ? "" : body;
        }

        /** The first value of a header (any case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** All values of a header (any case), possibly empty. */
        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        @Override
        public String toString() {
            String shown = body.length() <= 500 ? body : body.substring(0, 500) + "...";
            return "Response[status=" + status + ", headers=" + headers + ", body=" + shown + "]";
        }
    }

    /** GET {@code http://127.0.0.1:port + path}. */
    public static Response get(int port, String path, String... headerPairs) {
        return request("GET", port, path, headerPairs);
    }

    /** Any method, without a request body. */
    public static Response request(String method, int port, String path, String... headerPairs) {
        return send(method, port, path, null, headerPairs);
    }

    /** Any method, with a UTF-8 request body (null for none). */
    public static Response requestWithBody(String method, int port, String path, String body, String... headerPairs) {
        return send(method, port, path, body, headerPairs);
    }

    private static Response send(String method, int port, String path, String body, String... headerPairs) {
        if (headerPairs.length % 2 != 0) {
            throw new IllegalArgumentException("header pairs must be name, value, ...: odd count " + headerPairs.length);
        }
        URI uri = URI.create("http://127.0.0.1:" + port + (path.startsWith("/") ? path : "/" + path));
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .method(method, publisher);
        for (int i = 0; i < headerPairs.length; i += 2) {
            builder.header(headerPairs[i], headerPairs[i + 1]);
        }
        try {
            HttpResponse<String> response = CLIENT.send(builder.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + method + " " + uri, e);
        }
    }
}
