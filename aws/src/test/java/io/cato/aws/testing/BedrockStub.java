package io.cato.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bedrock Runtime on loopback: {@code POST /model/{modelId}/converse} answers Converse's JSON,
 * {@code /converse-stream} answers an AWS event stream of messageStart, contentBlockDelta (one per
 * configured piece), contentBlockStop, messageStop and metadata. Errors come as Bedrock sends
 * them: the HTTP status, {@code x-amzn-ErrorType} and {@code {"message"}}.
 */
public final class BedrockStub extends LoopbackAwsStub {
    private static final Pattern PATH = Pattern.compile("/model/([^/]+)/(converse|converse-stream)");

    private record Failure(int status, String errorType, String message) {
    }

    private record StreamBreak(int afterDeltas, String exceptionType, String message) {
    }

    private volatile List<String> pieces = List.of("Paris ", "is the ", "capital.");
    private volatile String stopReason = "end_turn";
    private volatile String usage = usageJson(25, 3, 0, 0);
    private volatile boolean malformed;
    private volatile Failure always;
    private volatile StreamBreak streamBreak;
    private final Queue<Failure> once = new ConcurrentLinkedQueue<>();

    public BedrockStub() {
        super("bedrock", PATH);
    }

    /** The answer, streamed as one delta per piece. */
    public BedrockStub answering(String... pieces) {
        this.pieces = List.of(pieces);
        return this;
    }

    public BedrockStub stopReason(String reason) {
        this.stopReason = reason;
        return this;
    }

    public BedrockStub usage(int input, int output, int cacheRead, int cacheWrite) {
        this.usage = usageJson(input, output, cacheRead, cacheWrite);
        return this;
    }

    /** Every request fails this way. */
    public BedrockStub failingWith(int status, String errorType, String message) {
        this.always = new Failure(status, errorType, message);
        return this;
    }

    /** The next request fails this way; later ones are answered. */
    public BedrockStub failingOnceWith(int status, String errorType, String message) {
        once.add(new Failure(status, errorType, message));
        return this;
    }

    /** Converse answers 200 with a body that is not JSON. */
    public BedrockStub answeringMalformed() {
        this.malformed = true;
        return this;
    }

    /** The stream sends this many deltas, then an exception event such as {@code internalServerException}. */
    public BedrockStub streamBreakingAfter(int deltas, String exceptionType, String message) {
        this.streamBreak = new StreamBreak(deltas, exceptionType, message);
        return this;
    }

    @Override
    protected void respond(HttpExchange exchange, Matcher path, Request request) throws IOException {
        Failure failure = once.poll();
        if (failure == null) {
            failure = always;
        }
        if (failure != null) {
            sendError(exchange, failure.status(), failure.errorType(), failure.message());
        } else if (path.group(2).equals("converse-stream")) {
            stream(exchange);
        } else if (malformed) {
            sendJson(exchange, 200, "{\"output\": {\"message\": ");
        } else {
            sendJson(exchange, 200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":"
                    + quote(String.join("", pieces)) + "}]}},\"stopReason\":" + quote(stopReason)
                    + ",\"usage\":" + usage + ",\"metrics\":{\"latencyMs\":42}}");
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.amazon.eventstream");
        exchange.getResponseHeaders().set("x-amzn-RequestId", "stub-request");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            List<byte[]> events = new ArrayList<>();
            events.add(EventStreamEncoder.event("messageStart", "{\"role\":\"assistant\"}"));
            StreamBreak broken = streamBreak;
            for (int i = 0; i < pieces.size(); i++) {
                if (broken != null && i == broken.afterDeltas()) {
                    break;
                }
                events.add(EventStreamEncoder.event("contentBlockDelta",
                        "{\"contentBlockIndex\":0,\"delta\":{\"text\":" + quote(pieces.get(i)) + "}}"));
            }
            if (broken != null) {
                events.add(EventStreamEncoder.exception(broken.exceptionType(),
                        "{\"message\":" + quote(broken.message()) + "}"));
            } else {
                events.add(EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":0}"));
                events.add(EventStreamEncoder.event("messageStop", "{\"stopReason\":" + quote(stopReason) + "}"));
                events.add(EventStreamEncoder.event("metadata", "{\"usage\":" + usage + ",\"metrics\":{\"latencyMs\":42}}"));
            }
            for (byte[] event : events) {
                out.write(event);
                out.flush();
            }
        }
    }

    private static String usageJson(int input, int output, int cacheRead, int cacheWrite) {
        return "{\"inputTokens\":" + input + ",\"outputTokens\":" + output + ",\"totalTokens\":"
                + (input + output + cacheRead + cacheWrite) + ",\"cacheReadInputTokens\":" + cacheRead
                + ",\"cacheWriteInputTokens\":" + cacheWrite + "}";
    }
}
