package io.cato.route;

import io.cato.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The Lambda Runtime API (version 2018-06-01) as a runtime client speaks it: fetch the next
 * invocation, answer it as a stream, report errors, and take part in a SnapStart snapshot. Plain
 * requests go through {@link HttpClient}; a streamed answer goes through its own connection
 * ({@link ChunkedResponseStream}), which the JDK client cannot write progressively or end with
 * error trailers.
 */
final class LambdaRuntimeApi {
    private static final String VERSION = "/2018-06-01/runtime";
    /** What the runtime answers for a delivered response or error (202) and for restore/next (200). */
    private static final int ACCEPTED = 202;

    /** One invocation: the event and the headers the runtime sent with it. */
    record Invocation(String requestId, long deadlineEpochMs, String functionArn, String traceId, byte[] event) {
    }

    private final String hostAndPort;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    LambdaRuntimeApi(String hostAndPort) {
        this.hostAndPort = hostAndPort;
    }

    static LambdaRuntimeApi of(Settings.Lambda lambda) {
        return new LambdaRuntimeApi(lambda.runtimeApi().orElseThrow(
                () -> new IllegalStateException("AWS_LAMBDA_RUNTIME_API is not set: not started by Lambda")));
    }

    /** Blocks until Lambda hands over the next invocation (the environment may be frozen meanwhile). */
    Invocation next() {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/invocation/next")).GET().build());
        var headers = response.headers();
        return new Invocation(
                headers.firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow(
                        () -> new IllegalStateException("the runtime sent an invocation without a request id")),
                headers.firstValueAsLong("Lambda-Runtime-Deadline-Ms").orElse(Long.MAX_VALUE),
                headers.firstValue("Lambda-Runtime-Invoked-Function-Arn").orElse(""),
                headers.firstValue("Lambda-Runtime-Trace-Id").orElse(""),
                response.body());
    }

    /** Opens the invocation's response in streaming mode: what is flushed reaches the caller at once. */
    ChunkedResponseStream stream(String requestId, String contentType) {
        return ChunkedResponseStream.open(hostAndPort, VERSION + "/invocation/" + requestId + "/response", contentType);
    }

    /** Reports an invocation that failed before its response was opened. */
    void invocationError(String requestId, Throwable error) {
        postError("/invocation/" + requestId + "/error", error);
    }

    /** Reports that the function could not be initialised; Lambda then discards the environment. */
    void initError(Throwable error) {
        postError("/init/error", error);
    }

    /**
     * SnapStart: says initialisation (and priming) is done and blocks until the environment runs
     * again, restored from the snapshot taken meanwhile.
     */
    void restoreNext() {
        send(HttpRequest.newBuilder(uri("/restore/next")).GET().build());
    }

    void restoreError(Throwable error) {
        postError("/restore/error", error);
    }

    private void postError(String path, Throwable error) {
        String type = ErrorBodies.type(error);
        send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Lambda-Runtime-Function-Error-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(ErrorBodies.json(error), StandardCharsets.UTF_8))
                .build());
    }

    private URI uri(String path) {
        return URI.create("http://" + hostAndPort + VERSION + path);
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 && response.statusCode() != ACCEPTED) {
                throw new IllegalStateException("the Runtime API answered " + response.statusCode() + " to "
                        + request.method() + " " + request.uri().getPath());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("the Runtime API at " + hostAndPort + " cannot be reached", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to the Runtime API", e);
        }
    }

    /** Timeout for the connection of a streamed answer; reads wait as long as the invocation may run. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
}
