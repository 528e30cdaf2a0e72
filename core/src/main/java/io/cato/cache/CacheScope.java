package io.cato.cache;

import io.cato.digest.Sha256;
import java.util.Objects;

/**
 * Where a cached answer may be served: the same tenant, domain and requested model, and the same context, which is
 * everything besides the question that the answer was given (system prompt, the conversation before the question,
 * options that change the answer). Two questions in different scopes never share an answer, however alike they are.
 * A question asked after earlier turns is therefore only ever served an answer given after the very same turns.
 *
 * @param model the model the caller asked for ("auto" when Cato routes), not the tier that answered:
 *              the scope is known before any routing work is done
 * @param contextHash a digest of the context, empty when the question opens its conversation with no system prompt
 */
public record CacheScope(String tenant, String domain, String model, String contextHash) {

    public static final String AUTO_MODEL = "auto";

    public CacheScope {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(contextHash, "contextHash");
    }

    /** The scope of a question that opens its conversation. */
    public static CacheScope of(String tenant, String domain, String model, String systemPrompt) {
        return of(tenant, domain, model, systemPrompt, "");
    }

    /**
     * @param conversation a digest of the conversation before the question and of any option that changes the
     *                     answer; empty when the question opens its conversation with default options
     */
    public static CacheScope of(String tenant, String domain, String model, String systemPrompt, String conversation) {
        boolean noSystem = systemPrompt == null || systemPrompt.isBlank();
        if (conversation.isEmpty()) {
            return new CacheScope(tenant, domain, model, noSystem ? "" : sha256(systemPrompt).substring(0, 32));
        }
        String system = noSystem ? "" : systemPrompt;
        return new CacheScope(tenant, domain, model,
                "c" + sha256(system + '\u0000' + conversation).substring(0, 31));
    }

    /** One opaque string per scope, used as an exact-match filter by the indexes. */
    public String key() {
        return sha256(tenant + '\u0000' + domain + '\u0000' + model + '\u0000' + contextHash).substring(0, 32);
    }

    /** Whether the scope holds answers given after earlier turns of a conversation. */
    public boolean followsConversation() {
        return contextHash.startsWith("c");
    }

    public static String sha256(String text) {
        return Sha256.hex(text);
    }
}
