package io.cato.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP response: status, headers and a body that is either bytes or a stream of events. */
public record ApiResponse(int status, Map<String, String> headers, BodyWriter body, boolean streaming) {

    public static final String JSON = "application/json";
    public static final String EVENT_STREAM = "text/event-stream";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse bytes(int status, String contentType, byte[] body) {
        return new ApiResponse(status, Map.of("content-type", contentType), out -> out.write(body), false);
    }

    public static ApiResponse json(int status, String body) {
        return bytes(status, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse eventStream(BodyWriter writer) {
        return new ApiResponse(200, Map.of("content-type", EVENT_STREAM, "cache-control", "no-cache"), writer, true);
    }

    public ApiResponse withHeader(String name, String value) {
        var all = new java.util.HashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, all, body, streaming);
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
