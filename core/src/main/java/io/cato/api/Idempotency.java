package io.cato.api;

import io.cato.idempotency.Claim;
import io.cato.idempotency.IdempotencyStore;
import io.cato.idempotency.StoredResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Serves a request at most once per {@code Idempotency-Key}: a repeat replays the stored bytes,
 * a concurrent duplicate gets a 409, and nothing is stored for a failed attempt.
 */
public final class Idempotency {
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private final IdempotencyStore store;
    private final Duration inProgressFor;

    public Idempotency(IdempotencyStore store, Duration inProgressFor) {
        this.store = store;
        this.inProgressFor = inProgressFor;
    }

    /** Checks the header before any work is done, so a bad key rejects the request untouched. */
    public Optional<String> keyOf(ApiRequest request) {
        Optional<String> key = request.header("idempotency-key");
        if (key.isPresent() && !KEY.matcher(key.get()).matches()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Idempotency-Key must be 1-255 visible ASCII characters");
        }
        return key;
    }

    public ApiResponse run(String tenant, String key, ApiRequest request, Supplier<ApiResponse> work) {
        String scopedKey = tenant + "#" + request.path() + "#" + key;
        String payloadHash = sha256(request.body());
        return switch (store.claim(scopedKey, payloadHash, inProgressFor)) {
            case Claim.Completed completed -> replay(completed.response());
            case Claim.InProgress ignored -> throw new ApiException(ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                    "a request with this Idempotency-Key is still being served; retry shortly");
            case Claim.PayloadMismatch ignored -> throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used with a different request body");
            case Claim.Acquired ignored -> runOnce(scopedKey, payloadHash, work);
        };
    }

    private ApiResponse runOnce(String key, String payloadHash, Supplier<ApiResponse> work) {
        ApiResponse response;
        byte[] body;
        try {
            response = work.get();
            body = response.bodyBytes();
        } catch (RuntimeException e) {
            store.release(key, payloadHash);
            throw e;
        }
        if (response.status() / 100 == 2) {
            store.complete(key, payloadHash, new StoredResponse(response.status(), response.contentType(),
                    new String(body, StandardCharsets.UTF_8)));
        } else {
            store.release(key, payloadHash);
        }
        return ApiResponse.bytes(response.status(), response.contentType(), body);
    }

    private static ApiResponse replay(StoredResponse stored) {
        return ApiResponse.bytes(stored.status(), stored.contentType(), stored.body().getBytes(StandardCharsets.UTF_8))
                .withHeader("idempotent-replayed", "true");
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
