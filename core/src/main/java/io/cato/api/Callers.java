package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.budget.Caller;
import io.cato.digest.Sha256;
import java.util.Optional;

/**
 * Who a request comes from, as limits count it. The API key: an id an edge in front gives in {@code X-Cato-Key-Id},
 * else a digest of the key the client sent ({@code x-api-key}, or {@code Authorization: Bearer}; in AWS the route
 * function puts the key API Gateway authenticated there, and drops any {@code X-Cato-Key-Id} a client sent); a key
 * itself is never kept. The end user:
 * {@code X-Cato-User}, else the body's {@code user} (OpenAI's field for it, which also names the session of a chat
 * completion that gives no {@code X-Cato-Session}) or {@code metadata.user_id} (Anthropic's).
 */
final class Callers {
    static final String KEY_ID_HEADER = "x-cato-key-id";
    static final int MAX_ID_CHARS = 256;

    private Callers() {
    }

    static Caller of(String tenant, ApiRequest request, JsonNode body) {
        return new Caller(tenant, keyId(request), user(request, body));
    }

    private static Optional<String> keyId(ApiRequest request) {
        Optional<String> edge = request.header(KEY_ID_HEADER);
        if (edge.isPresent()) {
            return Optional.of(bounded(edge.get(), "X-Cato-Key-Id"));
        }
        return request.header("x-api-key")
                .or(() -> request.header("authorization")
                        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                        .map(h -> h.substring(7).strip()))
                .filter(key -> !key.isEmpty())
                .map(Callers::digest);
    }

    private static Optional<String> user(ApiRequest request, JsonNode body) {
        Optional<String> user = request.header("x-cato-user");
        if (user.isEmpty()) {
            // OpenAI's "user", or Anthropic's "metadata.user_id".
            JsonNode field = body.has("user") ? body.get("user") : body.path("metadata").get("user_id");
            user = field != null && field.isTextual() && !field.asText().isBlank() ? Optional.of(field.asText())
                    : Optional.empty();
        }
        return user.map(u -> bounded(u, "the user"));
    }

    private static String bounded(String value, String what) {
        if (value.length() > MAX_ID_CHARS) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, what + " must be at most " + MAX_ID_CHARS + " characters");
        }
        return value;
    }

    /** A key's id: the first 128 bits of its SHA-256, in hex ({@code printf %s KEY | sha256sum | cut -c1-32}). */
    static String digest(String key) {
        return Sha256.hexPrefix(key, 16);
    }
}
