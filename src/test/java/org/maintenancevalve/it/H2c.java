package org.maintenancevalve.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One HTTP/2 GET over cleartext with prior knowledge (RFC 9113 section 3.3): the connection
 * preface, then frames; no HTTP/1.1 request ever, so every request header reaches Tomcat through
 * its HPACK decoder (which holds header values as Strings, where HTTP/1.1 holds bytes). The JDK's
 * client cannot do this: it starts cleartext HTTP/2 with an HTTP/1.1 upgrade request.
 * <p>
 * Request headers are sent as HPACK literals without indexing or Huffman coding (the pseudo-headers
 * by their static table entries). The response's
 * header block is not decoded: {@link #get} returns the body, from the stream's DATA frames.
 */
final class H2c {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;

    private H2c() {
    }

    /** GET {@code path} on 127.0.0.1:port as stream 1 of a new HTTP/2 connection; the body as UTF-8. */
    static String get(int port, String path, String... headerPairs) {
        return getWithBody(port, path, null, headerPairs);
    }

    /**
     * As {@link #get(int, String, String...)}, with a request body when {@code body} is not null:
     * the HEADERS frame then leaves the stream open and one DATA frame ends it (no
     * {@code content-length} unless given: HTTP/2 needs none).
     */
    static String getWithBody(int port, String path, String body, String... headerPairs) {
        try (Socket socket = new Socket()) {
            int millis = (int) TIMEOUT.toMillis();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            writeFrame(out, SETTINGS, 0, 0, new byte[0]);
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            // Pseudo-headers through HPACK's static table (RFC 7541 appendix A): Tomcat 10.1+
            // refuses a ':' in a literal name. 2 is ":method: GET", 6 ":scheme: http"; 4 names
            // ":path" and 1 ":authority" for a literal value.
            block.write(0x80 | 2);
            block.write(0x80 | 6);
            block.write(4);
            string(block, path);
            block.write(1);
            string(block, "127.0.0.1:" + port);
            for (int i = 0; i < headerPairs.length; i += 2) {
                literal(block, headerPairs[i].toLowerCase(java.util.Locale.ROOT), headerPairs[i + 1]);
            }
            if (body == null) {
                writeFrame(out, HEADERS, END_STREAM | END_HEADERS, 1, block.toByteArray());
            } else {
                writeFrame(out, HEADERS, END_HEADERS, 1, block.toByteArray());
                writeFrame(out, DATA, END_STREAM, 1, body.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            return readBody(new DataInputStream(socket.getInputStream()), out);
        } catch (IOException e) {
            throw new UncheckedIOException("HTTP/2 GET " + path + " on 127.0.0.1:" + port + ": " + e, e);
        }
    }

    private static String readBody(DataInputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            if (type == SETTINGS && (flags & ACK) == 0) {
                writeFrame(out, SETTINGS, ACK, 0, new byte[0]);
            } else if (type == PING && (flags & ACK) == 0) {
                writeFrame(out, PING, ACK, 0, payload);
            } else if (type == GOAWAY || (type == RST_STREAM && stream == 1)) {
                throw new IOException("HTTP/2 " + (type == GOAWAY ? "GOAWAY" : "RST_STREAM") + " from Tomcat");
            } else if (stream == 1 && type == DATA) {
                int padding = (flags & PADDED) != 0 ? (payload[0] & 0xff) + 1 : 0;
                int from = (flags & PADDED) != 0 ? 1 : 0;
                body.write(payload, from, length - padding);
            }
            if (stream == 1 && (type == DATA || type == HEADERS) && (flags & END_STREAM) != 0) {
                return body.toString(StandardCharsets.UTF_8);
            }
            out.flush();
        }
    }

    private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload)
            throws IOException {
        out.write(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags,
                (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
    }

    /** A literal header field without indexing, new name (RFC 7541 section 6.2.2), no Huffman. */
    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        string(block, name);
        string(block, value);
    }

    private static void string(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        // Length as an HPACK integer with a 7-bit prefix (RFC 7541 section 5.1); H bit 0.
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            length -= 127;
            while (length >= 128) {
                block.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            block.write(length);
        }
        block.write(bytes, 0, bytes.length);
    }
}
