package org.maintenancevalve.access;

import org.maintenancevalve.state.FlagSettings;
import org.maintenancevalve.state.MaintenanceState;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * The bypass secret and the cookie it signs. The cookie value is
 * {@code 1.<expiry>.<mac>}: the format's version, the expiry in epoch seconds, and an
 * HMAC-SHA256 keyed by the secret over the version, the maintenance window, the context path and
 * the expiry. So a cookie is valid 12 hours at most, only in the window and the web application
 * it was issued for, and only while the secret stays the same; the secret itself never travels
 * in the cookie. A value has exactly one valid spelling: the expected value is built again and
 * the whole string compared, in constant time.
 */
public final class BypassSecret {

    /** Secrets shorter than this are refused: a guessable bypass is a hole. */
    public static final int MIN_LENGTH = 16;
    /** How long a bypass cookie stays valid. */
    public static final long VALIDITY_SECONDS = 12 * 60 * 60;

    /** The cookie format's version: the value's first field, and part of what the MAC covers. */
    private static final String VERSION = "1";
    private static final String PREFIX = VERSION + ".";
    /** Expiries have 10 digits until the year 2286; 12 leave room and cannot overflow a long. */
    private static final int MAX_EXPIRY_DIGITS = 12;
    private static final String MAC = "HmacSHA256";

    private final byte[] secretDigest;
    private final SecretKeySpec key;
    /** The window this secret signs cookies for; {@code null} until {@link #forWindow(String)}. */
    private final String window;

    /**
     * @throws IllegalArgumentException when the secret is shorter than {@link #MIN_LENGTH}
     */
    public BypassSecret(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("must be at least " + MIN_LENGTH + " characters long");
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        this.secretDigest = sha256(bytes);
        this.key = new SecretKeySpec(bytes, MAC);
        this.window = null;
    }

    private BypassSecret(BypassSecret secret, String window) {
        this.secretDigest = secret.secretDigest;
        this.key = secret.key;
        this.window = window;
    }

    /** The same secret, issuing and accepting cookies for the maintenance window {@code window} only. */
    public BypassSecret forWindow(String window) {
        return new BypassSecret(this, Objects.requireNonNull(window, "window"));
    }

    /**
     * What identifies a maintenance window, for the cookies that belong to it: the flag file's
     * {@code window} id (the tools write a new one when a window starts and keep it while it is
     * changed); else its {@code from}; else, for a flag file made by hand, the second the window
     * began (the file's modification time as first seen, so editing such a file by hand may end
     * the cookies once a valve restarts).
     */
    public static String windowOf(MaintenanceState state) {
        return windowOf(state.settings(), state.since());
    }

    static String windowOf(FlagSettings settings, Instant since) {
        if (settings != null && settings.window() != null) {
            return "id:" + settings.window();
        }
        if (settings != null && settings.from() != null) {
            return "from:" + settings.from().getEpochSecond();
        }
        return since == null ? "since:unknown" : "since:" + since.getEpochSecond();
    }

    /** Whether {@code candidate} is the secret; constant-time whatever the lengths. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(secretDigest, sha256(candidate.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A new cookie value for this window and the web application at {@code contextPath}, valid
     * {@link #VALIDITY_SECONDS} from {@code nowSeconds}.
     */
    public String issue(String contextPath, long nowSeconds) {
        return value(nowSeconds + VALIDITY_SECONDS, contextPath);
    }

    /**
     * Whether {@code cookieValue} is, character for character, a value this secret issued for this
     * window and {@code contextPath}, and has not expired.
     */
    public boolean accepts(String cookieValue, String contextPath, long nowSeconds) {
        if (cookieValue == null || !cookieValue.startsWith(PREFIX)) {
            return false;
        }
        // Only the expiry is read from the value; everything else is checked by building the one
        // valid spelling for that expiry and comparing the whole of it.
        int end = cookieValue.indexOf('.', PREFIX.length());
        if (end == PREFIX.length() || end > PREFIX.length() + MAX_EXPIRY_DIGITS) {
            return false;
        }
        long expiry = 0;
        for (int i = PREFIX.length(); i < end; i++) {
            char c = cookieValue.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            expiry = expiry * 10 + (c - '0');
        }
        if (expiry <= nowSeconds || expiry > nowSeconds + VALIDITY_SECONDS + 60) {
            return false;
        }
        byte[] expected = value(expiry, contextPath).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, cookieValue.getBytes(StandardCharsets.UTF_8));
    }

    private String value(long expiry, String contextPath) {
        return PREFIX + expiry + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(expiry, contextPath));
    }

    /** The MAC over version, window, context path and expiry; each text length-prefixed, so none can run into the next. */
    private byte[] mac(long expiry, String contextPath) {
        if (window == null) {
            throw new IllegalStateException("a bypass secret signs cookies for one window: use forWindow");
        }
        String path = contextPath == null ? "" : contextPath;
        String signed = "maintenance-bypass\n" + VERSION + "\n" + window.length() + ":" + window + "\n"
                + path.length() + ":" + path + "\n" + expiry;
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
