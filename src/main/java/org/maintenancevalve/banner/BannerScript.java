package org.maintenancevalve.banner;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.maintenancevalve.response.ResponseStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

/**
 * {@code banner.js}: the script in the jar ({@code banner.js} beside this class), read once when
 * the valve is created, its indentation and whole-line comments dropped, and kept as bytes twice:
 * as they are and gzip-compressed (for the browsers that accept it: all of them). The same for
 * every state and every visitor, so it may be cached: {@code max-age} of
 * {@value #MAX_AGE_SECONDS} s (page views cost no request for ten minutes; a new valve version
 * reaches browsers within ten minutes) and an {@code ETag} per encoding, so a browser whose copy
 * has expired gets a {@code 304} without a body.
 */
final class BannerScript {

    static final int MAX_AGE_SECONDS = 600;
    static final String CONTENT_TYPE = "text/javascript;charset=UTF-8";
    static final String RESOURCE = "banner.js";

    private final byte[] plain;
    private final byte[] gzip;
    private final String plainTag;
    private final String gzipTag;

    BannerScript() {
        this(read());
    }

    BannerScript(String source) {
        plain = compact(source).getBytes(StandardCharsets.UTF_8);
        gzip = gzip(plain);
        CRC32 crc = new CRC32();
        crc.update(plain, 0, plain.length);
        String tag = "mv-" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(plain.length);
        plainTag = "\"" + tag + "\"";
        gzipTag = "\"" + tag + "-gz\"";
    }

    private static String read() {
        try (InputStream in = BannerScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the valve's jar");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + " from the valve's jar", e);
        }
    }

    /**
     * The source without leading and trailing blanks, empty lines and lines that are a {@code //}
     * comment. Safe for a script like ours, where no string or regular expression spans lines.
     */
    static String compact(String source) {
        StringBuilder out = new StringBuilder(source.length());
        for (String line : source.split("\n", -1)) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("//")) {
                out.append(trimmed).append('\n');
            }
        }
        return out.toString();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] plainBytes() {
        return plain.clone();
    }

    int gzipLength() {
        return gzip.length;
    }

    /** {@code 200} with the script, or {@code 304} when the browser's copy is this one. */
    void writeTo(Request request, Response response, boolean headOnly) throws IOException {
        boolean zipped = acceptsGzip(request.getHeader("Accept-Encoding"));
        String etag = zipped ? gzipTag : plainTag;
        String ifNoneMatch = request.getHeader("If-None-Match");
        boolean unchanged = ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"));
        if (unchanged) {
            response.setStatus(304);
        } else {
            BannerEndpoints.startAnswer(response, 200, CONTENT_TYPE);
        }
        response.setHeader("Cache-Control", "max-age=" + MAX_AGE_SECONDS);
        response.setHeader("ETag", etag);
        response.setHeader("Vary", "Accept-Encoding");
        if (unchanged) {
            return;
        }
        byte[] body = zipped ? gzip : plain;
        if (zipped) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(body.length);
        if (!headOnly) {
            OutputStream out = ResponseStream.of(response);
            out.write(body);
            out.flush();
        }
    }

    /**
     * Whether an {@code Accept-Encoding} header accepts gzip: named with a quality above 0, or not
     * named and {@code *} with a quality above 0 (RFC 9110 section 12.5.3).
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        double named = -1;
        double star = -1;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            double quality = 1;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].trim().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(parameter.substring(2).trim());
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                named = Math.max(named, quality);
            } else if (coding.equals("*")) {
                star = Math.max(star, quality);
            }
        }
        return named >= 0 ? named > 0 : star > 0;
    }
}
