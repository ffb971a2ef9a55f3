package org.maintenancevalve.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a request exactly as written over a plain socket to {@code 127.0.0.1:port}, so tests can
 * send what an HTTP client would clean up ({@code /;x/}, {@code %2e}, {@code //}, raw bytes...).
 * The request text is sent as ISO-8859-1 (one byte per char). The response is read completely:
 * by {@code Content-Length}, chunked transfer coding, or until the server closes; interim
 * {@code 1xx} responses are skipped. Connect and read timeouts are bounded (10 s by default).
 */
public final class RawHttp {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RawHttp() {
    }

    /** Sends {@code rawRequest} verbatim (use CRLF line ends) and reads one response. */
    public static Http.Response send(int port, String rawRequest) {
        return send(port, rawRequest, TIMEOUT);
    }

    /** As {@link #send(int, String)} with a chosen connect/read timeout. */
    public static Http.Response send(int port, String rawRequest, Duration timeout) {
        return send(port, rawRequest.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    /** Sends raw bytes and reads one response. */
    public static Http.Response send(int port, byte[] rawRequest, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        String head = new String(rawRequest, 0, Math.min(rawRequest.length, 16), StandardCharsets.ISO_8859_1);
        boolean headRequest = head.startsWith("HEAD ");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(rawRequest);
            out.flush();
            return readResponse(new BufferedInputStream(socket.getInputStream()), headRequest, System.nanoTime() + timeout.toNanos());
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("raw request to 127.0.0.1:" + port + " timed out after " + millis
                    + " ms: " + firstLine(rawRequest), e);
        } catch (IOException e) {
            throw new UncheckedIOException("raw request to 127.0.0.1:" + port + " failed: " + e + ": "
                    + firstLine(rawRequest), e);
        }
    }

    /**
     * Builds and sends {@code METHOD target HTTP/1.1} with {@code Host: 127.0.0.1:port},
     * {@code Connection: close} and the given header pairs; {@code target} is sent unchanged.
     */
    public static Http.Response request(String method, int port, String target, String... headerPairs) {
        if (headerPairs.length % 2 != 0) {
            throw new IllegalArgumentException("header pairs must be name, value, ...: odd count " + headerPairs.length);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        boolean hasHost = false;
        for (int i = 0; i < headerPairs.length; i += 2) {
            hasHost |= headerPairs[i].equalsIgnoreCase("Host");
        }
        if (!hasHost) {
            sb.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        for (int i = 0; i < headerPairs.length; i += 2) {
            sb.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        return send(port, sb.toString());
    }

    /** GET with the target sent unchanged; see {@link #request}. */
    public static Http.Response get(int port, String target, String... headerPairs) {
        return request("GET", port, target, headerPairs);
    }

    static Http.Response readResponse(InputStream in, boolean headRequest, long deadlineNanos) throws IOException {
        while (true) {
            String statusLine = readLine(in);
            if (statusLine == null) {
                throw new EOFException("connection closed before a status line");
            }
            if (statusLine.isEmpty()) {
                continue; // tolerate stray CRLF
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1].trim());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue; // interim response, the real one follows
            }
            byte[] body;
            String transferEncoding = first(headers, "transfer-encoding");
            String contentLength = first(headers, "content-length");
            if (headRequest || status == 204 || status == 304 || status == 101) {
                body = new byte[0];
            } else if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked(in);
            } else if (contentLength != null) {
                body = readFully(in, Integer.parseInt(contentLength.trim()));
            } else {
                body = readToEnd(in, deadlineNanos);
            }
            return new Http.Response(status, headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A line up to LF (CR stripped), as ISO-8859-1; null at EOF before any byte. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        boolean any = false;
        while ((b = in.read()) != -1) {
            any = true;
            if (b == '\n') {
                break;
            }
            buf.write(b);
        }
        if (!any) {
            return null;
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException("body ended after " + data.length + " of " + length + " bytes");
        }
        return data;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("chunked body ended without a last chunk");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            if (hex.isEmpty()) {
                continue;
            }
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    // trailers ignored
                }
                return body.toByteArray();
            }
            body.write(readFully(in, size));
            readLine(in); // CRLF after the chunk
        }
    }

    private static byte[] readToEnd(InputStream in, long deadlineNanos) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            body.write(buf, 0, n);
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new SocketTimeoutException("server did not close the connection in time");
            }
        }
        return body.toByteArray();
    }

    private static String firstLine(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int eol = s.indexOf('\n');
        return (eol >= 0 ? s.substring(0, eol) : s).trim();
    }
}
