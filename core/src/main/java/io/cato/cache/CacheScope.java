package io.cato.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a cached answer may be served: the same tenant, domain, requested model and system prompt.
 * Two questions in different scopes never share an answer, however alike they are.
 *
 * @param model the model the caller asked for ("auto" when Cato routes), not the tier that answered:
 *              the scope is known before any routing work is done
 * @param systemPromptHash a digest of the system prompt, empty when there is none
 */
public record CacheScope(String tenant, String domain, String model, String systemPromptHash) {

    public static final String AUTO_MODEL = "auto";

    public CacheScope {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(systemPromptHash, "systemPromptHash");
    }

    public static CacheScope of(String tenant, String domain, String model, String systemPrompt) {
        return new CacheScope(tenant, domain, model,
                systemPrompt == null || systemPrompt.isBlank() ? "" : sha256(systemPrompt).substring(0, 32));
    }

    /** One opaque string per scope, used as an exact-match filter by the indexes. */
    public String key() {
        return sha256(tenant + '\u0000' + domain + '\u0000' + model + '\u0000' + systemPromptHash).substring(0, 32);
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
