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

    /** A toolUse block the model answers with: its id, the tool's name and its input (a JSON object's text). */
    public record ToolUse(String id, String name, String inputJson) {
    }

    private volatile List<String> pieces = List.of("Paris ", "is the ", "capital.");
    private volatile String stopReason = "end_turn";
    private volatile String usage = usageJson(25, 3, 0, 0);
    private volatile boolean malformed;
    private volatile Failure always;
    private volatile StreamBreak streamBreak;
    private volatile List<ToolUse> toolUses = List.of();
    private final Queue<Failure> once = new ConcurrentLinkedQueue<>();

    public BedrockStub() {
        super("bedrock", PATH);
    }

    /** The answer, streamed as one delta per piece. */
    public BedrockStub answering(String... pieces) {
        this.pieces = List.of(pieces);
        return this;
    }

    /**
     * The answer holds these toolUse blocks after its text (stopReason tool_use): Converse's
     * {@code content[{toolUse{toolUseId, name, input}}]}; streamed as contentBlockStart
     * {@code start.toolUse{toolUseId, name}} and contentBlockDelta {@code delta.toolUse.input} pieces.
     */
    public BedrockStub answeringToolUse(ToolUse... uses) {
        this.toolUses = List.of(uses);
        this.stopReason = "tool_use";
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

    /**
     * Converse's own checks on content blocks: toolUse and toolResult blocks need a toolConfig, every toolResult
     * answers a toolUse of the message before it, and images carry a known format and their bytes.
     */
    @Override
    protected String shapeProblem(Request request, Matcher path) {
        String problem = super.shapeProblem(request, path);
        if (problem != null) {
            return problem;
        }
        var messages = request.body().path("messages");
        java.util.Set<String> previousUses = java.util.Set.of();
        for (var message : messages) {
            java.util.Set<String> uses = new java.util.HashSet<>();
            for (var block : message.path("content")) {
                if ((block.has("toolUse") || block.has("toolResult")) && !request.body().has("toolConfig")) {
                    return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
                }
                if (block.has("toolUse")) {
                    uses.add(block.path("toolUse").path("toolUseId").asText());
                }
                if (block.has("toolResult") && !previousUses.contains(block.path("toolResult").path("toolUseId").asText())) {
                    return "toolResult " + block.path("toolResult").path("toolUseId") + " answers no toolUse of the previous turn";
                }
                if (block.has("image") && (!block.path("image").path("format").asText().matches("png|jpeg|gif|webp")
                        || !block.path("image").path("source").path("bytes").isTextual())) {
                    return "image block without a known format and source.bytes";
                }
            }
            previousUses = uses;
        }
        return null;
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
            StringBuilder content = new StringBuilder();
            String text = String.join("", pieces);
            if (!text.isEmpty()) {
                content.append("{\"text\":").append(quote(text)).append("}");
            }
            for (ToolUse use : toolUses) {
                content.append(content.isEmpty() ? "" : ",").append("{\"toolUse\":{\"toolUseId\":").append(quote(use.id()))
                        .append(",\"name\":").append(quote(use.name())).append(",\"input\":").append(use.inputJson())
                        .append("}}");
            }
            sendJson(exchange, 200, "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[" + content
                    + "]}},\"stopReason\":" + quote(stopReason) + ",\"usage\":" + usage
                    + ",\"metrics\":{\"latencyMs\":42}}");
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
                for (int i = 0; i < toolUses.size(); i++) {
                    events.addAll(toolUseEvents(i + 1, toolUses.get(i)));
                }
                events.add(EventStreamEncoder.event("messageStop", "{\"stopReason\":" + quote(stopReason) + "}"));
                events.add(EventStreamEncoder.event("metadata", "{\"usage\":" + usage + ",\"metrics\":{\"latencyMs\":42}}"));
            }
            for (byte[] event : events) {
                out.write(event);
                out.flush();
            }
        }
    }

    /** A toolUse block in the stream: its start, its input in two pieces, its stop. */
    private static List<byte[]> toolUseEvents(int block, ToolUse use) {
        String input = use.inputJson();
        int half = input.length() / 2;
        return List.of(
                EventStreamEncoder.event("contentBlockStart", "{\"contentBlockIndex\":" + block
                        + ",\"start\":{\"toolUse\":{\"toolUseId\":" + quote(use.id()) + ",\"name\":" + quote(use.name()) + "}}}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":" + block
                        + ",\"delta\":{\"toolUse\":{\"input\":" + quote(input.substring(0, half)) + "}}}"),
                EventStreamEncoder.event("contentBlockDelta", "{\"contentBlockIndex\":" + block
                        + ",\"delta\":{\"toolUse\":{\"input\":" + quote(input.substring(half)) + "}}}"),
                EventStreamEncoder.event("contentBlockStop", "{\"contentBlockIndex\":" + block + "}"));
    }

    private static String usageJson(int input, int output, int cacheRead, int cacheWrite) {
        return "{\"inputTokens\":" + input + ",\"outputTokens\":" + output + ",\"totalTokens\":"
                + (input + output + cacheRead + cacheWrite) + ",\"cacheReadInputTokens\":" + cacheRead
                + ",\"cacheWriteInputTokens\":" + cacheWrite + "}";
    }
}
