package io.cato.api;

import io.cato.digest.Sha256;
import io.cato.idempotency.Claim;
import io.cato.idempotency.IdempotencyStore;
import io.cato.idempotency.StoredResponse;
import io.cato.model.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a request at most once per {@code Idempotency-Key}: a repeat replays the stored bytes, a concurrent
 * duplicate gets a 409, and nothing is stored for an attempt that failed, broke off or was answered by the memory
 * tier in place of a model. A claim is held in progress for the request's whole deadline and a margin, so a request
 * still being answered is never run a second time. A streamed answer streams to its caller while a copy is kept.
 */
public final class Idempotency {
    private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    /** Beyond the deadline: what answering still does after it (recording the turn, storing the response). */
    static final Duration IN_PROGRESS_MARGIN = Duration.ofSeconds(5);
    private final IdempotencyStore store;

    public Idempotency(IdempotencyStore store) {
        this.store = store;
    }

    /** Checks the header before any work is done, so a bad key rejects the request untouched. */
    public Optional<String> keyOf(ApiRequest request) {
        Optional<String> key = request.header("idempotency-key");
        if (key.isPresent() && !KEY.matcher(key.get()).matches()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "Idempotency-Key must be 1-255 visible ASCII characters");
        }
        return key;
    }

    /**
     * @param operation the operation the request names, independent of how its path was spelled (a trailing slash,
     *                  an alias), so that one key means one execution of it
     */
    public ApiResponse run(String tenant, String operation, String key, ApiRequest request, Deadline deadline,
                           Supplier<ApiResponse> work) {
        String scopedKey = tenant + "#" + operation + "#" + key;
        String payloadHash = sha256(request.body());
        Duration inProgressFor = deadline.remaining().plus(IN_PROGRESS_MARGIN);
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
        try {
            response = work.get();
        } catch (RuntimeException e) {
            store.release(key, payloadHash);
            throw e;
        }
        if (response.streaming()) {
            return response.withBody(out -> writeAndKeep(response, out, key, payloadHash));
        }
        byte[] body;
        try {
            body = response.bodyBytes();
        } catch (RuntimeException e) {
            store.release(key, payloadHash);
            throw e;
        }
        settle(response, body, key, payloadHash);
        return response.withBody(out -> out.write(body));
    }

    /** Streams the body to the caller and keeps a copy, stored once the whole answer was written. */
    private void writeAndKeep(ApiResponse response, OutputStream out, String key, String payloadHash)
            throws IOException {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        boolean written = false;
        try {
            response.body().writeTo(new TeeOutputStream(out, copy));
            written = true;
        } finally {
            if (written) {
                settle(response, copy.toByteArray(), key, payloadHash);
            } else {
                store.release(key, payloadHash);
            }
        }
    }

    private void settle(ApiResponse response, byte[] body, String key, String payloadHash) {
        try {
            if (response.status() / 100 == 2 && response.outcome().isReplayable()) {
                store.complete(key, payloadHash, new StoredResponse(response.status(), response.contentType(),
                        new String(body, StandardCharsets.UTF_8)));
            } else {
                store.release(key, payloadHash);
            }
        } catch (RuntimeException e) {
            // The caller has its answer; a retry finds the claim expired and is served afresh.
            LOG.atWarn().log(() -> "idempotency record not settled: " + e.getClass().getSimpleName());
        }
    }

    private static ApiResponse replay(StoredResponse stored) {
        return ApiResponse.bytes(stored.status(), stored.contentType(), stored.body().getBytes(StandardCharsets.UTF_8))
                .withHeader("idempotent-replayed", "true");
    }

    static String sha256(byte[] body) {
        return Sha256.hex(body);
    }

    /** Writes to the caller and to a copy; a caller that went away fails the write, the copy is then dropped. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream out;
        private final OutputStream copy;

        TeeOutputStream(OutputStream out, OutputStream copy) {
            this.out = out;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            copy.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            copy.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
