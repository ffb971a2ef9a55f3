package org.maintenancevalve.access;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The bypass secret and the cookie it signs. The cookie holds an expiry and an HMAC-SHA256 of it
 * keyed by the secret, so it is valid for 12 hours or until the secret changes, and the secret
 * itself never travels in the cookie. Every comparison is constant-time.
 */
public final class BypassSecret {

    /** Secrets shorter than this are refused: a guessable bypass is a hole. */
    public static final int MIN_LENGTH = 16;
    /** How long a bypass cookie stays valid. */
    public static final long VALIDITY_SECONDS = 12 * 60 * 60;

    private static final String MAC = "HmacSHA256";

    private final byte[] secretDigest;
    private final SecretKeySpec key;

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
    }

    /** Whether {@code candidate} is the secret; constant-time whatever the lengths. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(secretDigest, sha256(candidate.getBytes(StandardCharsets.UTF_8)));
    }

    /** A new cookie value, valid {@link #VALIDITY_SECONDS} from {@code nowSeconds}. */
    public String issue(long nowSeconds) {
        long expiry = nowSeconds + VALIDITY_SECONDS;
        return expiry + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(expiry));
    }

    /** Whether a cookie value was issued with this secret and has not expired. */
    public boolean accepts(String cookieValue, long nowSeconds) {
        if (cookieValue == null) {
            return false;
        }
        int dot = cookieValue.indexOf('.');
        if (dot < 1 || dot > 19) {
            return false;
        }
        long expiry;
        try {
            String digits = cookieValue.substring(0, dot);
            if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            expiry = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return false;
        }
        if (expiry <= nowSeconds || expiry > nowSeconds + VALIDITY_SECONDS + 60) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(cookieValue.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(expiry), presented);
    }

    private byte[] mac(long expiry) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac.doFinal(("maintenance-bypass:" + expiry).getBytes(StandardCharsets.US_ASCII));
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
