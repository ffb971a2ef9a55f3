package org.maintenancevalve.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw AJP13 client, as a front end (Apache httpd's mod_jk or mod_proxy_ajp) talks to Tomcat's
 * AJP connector: one forward request per connection, no body. The front end chooses every number
 * in the message, and so does this client: {@code server_port} above all, which Tomcat's
 * {@code AjpProcessor} makes the request's local port (mod_jk fills it from the port in the
 * client's own {@code Host} header).
 * <p>
 * Packets as Tomcat's {@code AjpMessage} and {@code AjpProcessor.prepareRequest} read them: to the
 * container {@code 0x12 0x34}, a 2-byte length, then the payload; integers are 2 bytes big-endian;
 * a string is its 2-byte length, its bytes and a 0 ({@code 0xFFFF} for none). A forward request is
 * prefix 2, method code, protocol, req_uri, remote_addr, remote_host, server_name, server_port,
 * is_ssl, num_headers and the headers (a coded name {@code 0xA0xx} or a string, then the value),
 * attributes ({@code 0x05} query string), {@code 0xFF}. Replies come as {@code 'A' 'B'}, a 2-byte
 * length and the payload: SEND_HEADERS (4: status, message, headers), SEND_BODY_CHUNK (3: length,
 * bytes, 0), GET_BODY_CHUNK (6), END_RESPONSE (5).
 */
final class Ajp13 {

    /** Coded request header names (AJP13: {@code 0xA001} accept ... {@code 0xA00E} user-agent). */
    private static final List<String> CODED_REQUEST_HEADERS = List.of("accept", "accept-charset", "accept-encoding",
            "accept-language", "authorization", "connection", "content-type", "content-length", "cookie", "cookie2",
            "host", "pragma", "referer", "user-agent");
    /** Coded response header names ({@code 0xA001} Content-Type ... {@code 0xA00B} WWW-Authenticate). */
    private static final List<String> CODED_RESPONSE_HEADERS = List.of("Content-Type", "Content-Language",
            "Content-Length", "Date", "Last-Modified", "Location", "Set-Cookie", "Set-Cookie2", "Servlet-Engine",
            "Status", "WWW-Authenticate");
    /** Method codes: OPTIONS is 1, GET 2, ... */
    private static final List<String> METHODS = List.of("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE");

    private static final int FORWARD_REQUEST = 2;
    private static final int SEND_BODY_CHUNK = 3;
    private static final int SEND_HEADERS = 4;
    private static final int END_RESPONSE = 5;
    private static final int GET_BODY_CHUNK = 6;
    private static final int ATTRIBUTE_QUERY_STRING = 0x05;
    private static final int ATTRIBUTES_DONE = 0xFF;

    private Ajp13() {
    }

    /** One forward request: what the front end says about the client's request. */
    static final class Forward {
        String method = "GET";
        String protocol = "HTTP/1.1";
        String uri;
        String query;
        String remoteAddr = "198.51.100.7";
        String remoteHost = "198.51.100.7";
        String serverName = "jira.example.com";
        int serverPort = 443;
        boolean ssl = true;
        final List<String[]> headers = new ArrayList<>();

        Forward(String uri) {
            this.uri = uri;
        }

        /** The {@code server_port} of the message: Tomcat's local port for this request. */
        Forward serverPort(int port) {
            this.serverPort = port;
            return this;
        }

        Forward ssl(boolean ssl) {
            this.ssl = ssl;
            return this;
        }

        Forward header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Forward query(String query) {
            this.query = query;
            return this;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("AJP ").append(method).append(' ').append(uri)
                    .append(query == null ? "" : "?" + query).append(" server_name=").append(serverName)
                    .append(" server_port=").append(serverPort).append(" is_ssl=").append(ssl);
            for (String[] h : headers) {
                text.append(" [").append(h[0]).append(": ").append(h[1]).append(']');
            }
            return text.toString();
        }
    }

    /** Sends the request to the AJP connector on {@code 127.0.0.1:port} and reads the whole reply. */
    static Http.Response send(int port, Forward request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            socket.setSoTimeout((int) Http.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(packet(forwardRequest(request)));
            out.flush();
            return readReply(new DataInputStream(socket.getInputStream()), request);
        } catch (IOException e) {
            throw new UncheckedIOException(request + " to 127.0.0.1:" + port, e);
        }
    }

    /** The payload of a forward request. */
    static byte[] forwardRequest(Forward request) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(FORWARD_REQUEST);
        int method = METHODS.indexOf(request.method);
        if (method < 0) {
            throw new IllegalArgumentException("no AJP code for method " + request.method);
        }
        m.write(method + 1);
        string(m, request.protocol);
        string(m, request.uri);
        string(m, request.remoteAddr);
        string(m, request.remoteHost);
        string(m, request.serverName);
        integer(m, request.serverPort);
        m.write(request.ssl ? 1 : 0);
        integer(m, request.headers.size());
        for (String[] header : request.headers) {
            int code = CODED_REQUEST_HEADERS.indexOf(header[0].toLowerCase(Locale.ROOT));
            if (code >= 0) {
                integer(m, 0xA001 + code);
            } else {
                string(m, header[0]);
            }
            string(m, header[1]);
        }
        if (request.query != null) {
            m.write(ATTRIBUTE_QUERY_STRING);
            string(m, request.query);
        }
        m.write(ATTRIBUTES_DONE);
        return m.toByteArray();
    }

    /** A packet to the container: {@code 0x12 0x34}, the payload's length, the payload. */
    static byte[] packet(byte[] payload) {
        if (payload.length > 8192 - 4) {
            throw new IllegalArgumentException("an AJP packet holds 8188 bytes at most, not " + payload.length);
        }
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x12);
        p.write(0x34);
        integer(p, payload.length);
        p.write(payload, 0, payload.length);
        return p.toByteArray();
    }

    private static void integer(ByteArrayOutputStream out, int value) {
        out.write((value >>> 8) & 0xFF);
        out.write(value & 0xFF);
    }

    private static void string(ByteArrayOutputStream out, String value) {
        if (value == null) {
            integer(out, 0xFFFF);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        integer(out, bytes.length);
        out.write(bytes, 0, bytes.length);
        out.write(0);
    }

    /** Reads packets until END_RESPONSE: the status and headers of SEND_HEADERS, the body of the chunks. */
    private static Http.Response readReply(DataInputStream in, Forward request) throws IOException {
        int status = -1;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int a;
            int b;
            try {
                a = in.readUnsignedByte();
                b = in.readUnsignedByte();
            } catch (EOFException e) {
                throw new IOException("the connection closed before END_RESPONSE (status so far " + status + ")", e);
            }
            if (a != 'A' || b != 'B') {
                throw new IOException("not an AJP reply packet: 0x" + Integer.toHexString(a) + " 0x" + Integer.toHexString(b));
            }
            byte[] payload = new byte[in.readUnsignedShort()];
            in.readFully(payload);
            Reader r = new Reader(payload);
            int type = r.u8();
            switch (type) {
                case SEND_HEADERS:
                    status = r.u16();
                    r.string(); // the status message
                    for (int i = 0, n = r.u16(); i < n; i++) {
                        int code = r.peekU16();
                        String name;
                        if ((code & 0xFF00) == 0xA000) {
                            r.u16();
                            name = CODED_RESPONSE_HEADERS.get((code & 0xFF) - 1);
                        } else {
                            name = r.string();
                        }
                        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(r.string());
                    }
                    break;
                case SEND_BODY_CHUNK:
                    int length = r.u16();
                    body.write(payload, r.position, length);
                    break;
                case GET_BODY_CHUNK:
                    // The request has no body: an empty chunk says so.
                    throw new IOException("Tomcat asked for a body chunk, but " + request + " has no body");
                case END_RESPONSE:
                    if (status < 0) {
                        throw new IOException("END_RESPONSE without SEND_HEADERS");
                    }
                    return new Http.Response(status, headers, body.toString(StandardCharsets.UTF_8));
                default:
                    throw new IOException("unexpected AJP reply packet type " + type);
            }
        }
    }

    /** Reads the fields of one reply payload. */
    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int u8() {
            return bytes[position++] & 0xFF;
        }

        int u16() {
            int value = peekU16();
            position += 2;
            return value;
        }

        int peekU16() {
            return ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
        }

        String string() {
            int length = u16();
            if (length == 0xFFFF) {
                return null;
            }
            String value = new String(bytes, position, length, StandardCharsets.ISO_8859_1);
            position += length + 1; // and the terminating 0
            return value;
        }
    }
}
