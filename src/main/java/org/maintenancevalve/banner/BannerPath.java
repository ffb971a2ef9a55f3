package org.maintenancevalve.banner;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.tomcat.util.buf.ByteChunk;
import org.apache.tomcat.util.buf.CharChunk;
import org.apache.tomcat.util.buf.MessageBytes;

/**
 * Where in each context the valve answers {@code status.json} and {@code banner.js} itself: the
 * {@code bannerPath} attribute ({@code /maintenance-valve/} by default, {@code off} for neither;
 * parsed by {@link BannerPrefix}), and the test every request meets, on the decoded, normalised
 * URI as Tomcat holds it: {@code <context path><bannerPath>status.json} or {@code ...banner.js},
 * exactly.
 * <p>
 * The test runs while maintenance is off too, so it allocates nothing and takes no lock: it
 * compares lengths first (which settles it for nearly every request), then the characters in
 * place, whichever form (chars, bytes, String) Tomcat holds the URI in.
 */
public final class BannerPath {

    /** The attribute's default ({@link BannerPrefix#DEFAULT}). */
    public static final String DEFAULT = BannerPrefix.DEFAULT;

    /** Neither endpoint: every request goes on as if there were none. */
    public static final BannerPath OFF = new BannerPath(null);

    /** What the valve answers under the path. */
    public enum Endpoint {
        /** {@code status.json}: where maintenance stands, for this request. */
        STATUS("status.json"),
        /** {@code banner.js}: the script that shows it in the application's pages. */
        SCRIPT("banner.js");

        private final String fileName;

        Endpoint(String fileName) {
            this.fileName = fileName;
        }

        /** The last segment of the endpoint's path. */
        public String fileName() {
            return fileName;
        }
    }

    /** The prefix, or {@code null} when off. */
    private final String prefix;
    /** {@code prefix + "status.json"} and {@code prefix + "banner.js"}: never the same length. */
    private final String status;
    private final String script;

    private BannerPath(String prefix) {
        this.prefix = prefix;
        this.status = prefix == null ? null : prefix + Endpoint.STATUS.fileName;
        this.script = prefix == null ? null : prefix + Endpoint.SCRIPT.fileName;
    }

    /**
     * The matcher for a {@code bannerPath} value.
     *
     * @throws IllegalArgumentException when {@link BannerPrefix#parse} refuses it
     */
    public static BannerPath parse(String value) {
        String prefix = BannerPrefix.parse(value);
        return BannerPrefix.OFF.equals(prefix) ? OFF : new BannerPath(prefix);
    }

    /** Whether the endpoints are answered at all. */
    public boolean isOn() {
        return prefix != null;
    }

    /** The attribute's value as it is in force: the prefix, or {@code off}. */
    public String text() {
        return prefix == null ? BannerPrefix.OFF : prefix;
    }

    /** The path of an endpoint relative to the context ({@code /maintenance-valve/banner.js}), or null when off. */
    public String pathOf(Endpoint endpoint) {
        return prefix == null ? null : endpoint == Endpoint.STATUS ? status : script;
    }

    /**
     * The endpoint a request asks for, or {@code null} (nearly always). Reads the decoded,
     * normalised URI and the mapped context's path; allocates nothing.
     */
    public Endpoint match(Request request) {
        if (prefix == null) {
            return null;
        }
        MessageBytes uri = request.getDecodedRequestURIMB();
        if (uri == null || uri.getLength() < script.length()) {
            return null; // shorter than the shorter endpoint's path: no need to look at the context
        }
        Context context = request.getContext();
        String contextPath = context == null ? null : context.getPath();
        return match(uri, contextPath == null ? "" : contextPath);
    }

    /**
     * @param decodedUri  the decoded, normalised request URI (with the context path)
     * @param contextPath the path of the context the request was mapped to ({@code ""} for ROOT)
     */
    public Endpoint match(MessageBytes decodedUri, String contextPath) {
        if (prefix == null || decodedUri == null) {
            return null;
        }
        int relative = decodedUri.getLength() - contextPath.length();
        String candidate;
        Endpoint endpoint;
        if (relative == status.length()) {
            candidate = status;
            endpoint = Endpoint.STATUS;
        } else if (relative == script.length()) {
            candidate = script;
            endpoint = Endpoint.SCRIPT;
        } else {
            return null;
        }
        switch (decodedUri.getType()) {
            case MessageBytes.T_CHARS: {
                CharChunk chars = decodedUri.getCharChunk();
                char[] buffer = chars.getBuffer();
                int start = chars.getStart();
                return equalChars(buffer, start, contextPath)
                        && equalChars(buffer, start + contextPath.length(), candidate) ? endpoint : null;
            }
            case MessageBytes.T_BYTES: {
                ByteChunk bytes = decodedUri.getByteChunk();
                byte[] buffer = bytes.getBuffer();
                int start = bytes.getStart();
                return equalAscii(buffer, start, contextPath)
                        && equalAscii(buffer, start + contextPath.length(), candidate) ? endpoint : null;
            }
            case MessageBytes.T_STR: {
                String uri = decodedUri.getString();
                return uri.startsWith(contextPath) && uri.startsWith(candidate, contextPath.length()) ? endpoint : null;
            }
            default:
                return null;
        }
    }

    private static boolean equalChars(char[] buffer, int from, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            if (buffer[from + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes against characters: only ASCII can be equal (a non-ASCII context path has more bytes than chars). */
    private static boolean equalAscii(byte[] buffer, int from, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            char c = expected.charAt(i);
            if (c >= 0x80 || buffer[from + i] != (byte) c) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "BannerPath[" + text() + "]";
    }
}
