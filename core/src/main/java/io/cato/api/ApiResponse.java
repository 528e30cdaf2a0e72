package io.cato.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP response: status, headers and a body that is either bytes or a stream of events.
 *
 * @param outcome whether the response may be replayed once written; see {@link ResponseOutcome}
 */
public record ApiResponse(int status, Map<String, String> headers, BodyWriter body, boolean streaming,
                          ResponseOutcome outcome) {

    public static final String JSON = "application/json";
    public static final String EVENT_STREAM = "text/event-stream";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int status, Map<String, String> headers, BodyWriter body, boolean streaming) {
        this(status, headers, body, streaming,
                status / 100 == 2 ? ResponseOutcome.replayable() : ResponseOutcome.notReplayable());
    }

    public static ApiResponse bytes(int status, String contentType, byte[] body) {
        return new ApiResponse(status, Map.of("content-type", contentType), out -> out.write(body), false);
    }

    public static ApiResponse json(int status, String body) {
        return bytes(status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Server-sent events written by {@code writer}, which marks {@code outcome} if the answer falls short. */
    public static ApiResponse eventStream(BodyWriter writer, ResponseOutcome outcome) {
        return new ApiResponse(200, Map.of("content-type", EVENT_STREAM, "cache-control", "no-cache"), writer, true,
                outcome);
    }

    public static ApiResponse eventStream(BodyWriter writer) {
        return eventStream(writer, ResponseOutcome.replayable());
    }

    public ApiResponse withHeader(String name, String value) {
        var all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, all, body, streaming, outcome);
    }

    /** The same response, never replayed to a retry. */
    public ApiResponse notReplayable() {
        return new ApiResponse(status, headers, body, streaming, ResponseOutcome.notReplayable());
    }

    /** The same response with another body writer (e.g. one that also keeps a copy of what it writes). */
    public ApiResponse withBody(BodyWriter writer) {
        return new ApiResponse(status, headers, writer, streaming, outcome);
    }

    public String contentType() {
        return headers.getOrDefault("content-type", JSON);
    }

    /** The whole body, for edges that cannot stream (API Gateway REST proxy) and for tests. */
    public byte[] bodyBytes() {
        var out = new ByteArrayOutputStream();
        try {
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public String bodyText() {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }
}
