package io.cato.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as Cato uses it: stable ids for keys, facts, episodes and cache scopes, buckets that similar strings do
 * not cluster in, and fingerprints of request bodies. Text is hashed as UTF-8.
 */
public final class Sha256 {
    private Sha256() {
    }

    public static byte[] of(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static byte[] of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The whole digest in lower-case hex (64 characters). */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(of(bytes));
    }

    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest's first {@code bytes} bytes in lower-case hex: a shorter id where collisions stay negligible. */
    public static String hexPrefix(String text, int bytes) {
        return HexFormat.of().formatHex(of(text), 0, bytes);
    }
}
