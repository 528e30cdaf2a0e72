package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.model.CallerGoneException;
import io.cato.model.Deadline;
import io.cato.model.FinishReason;
import io.cato.model.StreamSink;
import io.cato.model.ToolCall;
import io.cato.model.ToolCallDelta;
import io.cato.routing.Answer;
import io.cato.routing.Orchestrator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API over the same core as the OpenAI API (sessions, cache,
 * routing, breakers, cost), so Claude-native clients can point their base URL at Cato. Streams use Anthropic's
 * events: message_start, ping, content_block_start/delta/stop, message_delta, message_stop.
 */
final class MessagesEndpoint {
    private final ObjectMapper mapper;
    private final Orchestrator orchestrator;
    private final ErrorResponses errors;

    MessagesEndpoint(ObjectMapper mapper, Orchestrator orchestrator, ErrorResponses errors) {
        this.mapper = mapper;
        this.orchestrator = orchestrator;
        this.errors = errors;
    }

    ApiResponse serve(AnthropicRequests.MessagesRequest request, Deadline deadline) {
        orchestrator.router().pinnedTier(request.command().model());
        orchestrator.router().requireCapable(request.command());
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        Orchestrator.Prepared prepared = orchestrator.prepare(request.command(), deadline);
        if (!request.stream()) {
            Answer answer = orchestrator.answer(prepared, null);
            ApiResponse response = RateLimitHeaders.on(ApiResponse.json(200, message(id, answer).toString()), prepared);
            return answer.degraded() ? response.notReplayable() : response;
        }
        ResponseOutcome outcome = ResponseOutcome.replayable();
        return RateLimitHeaders.on(ApiResponse.eventStream(
                out -> stream(prepared, id, request.requestedModel(), out, outcome), outcome), prepared);
    }

    private ObjectNode message(String id, Answer answer) {
        ObjectNode message = mapper.createObjectNode();
        message.put("id", id).put("type", "message").put("role", "assistant").put("model", answer.model());
        ArrayNode content = message.putArray("content");
        if (!answer.text().isEmpty() || answer.output().toolCalls().isEmpty()) {
            content.addObject().put("type", "text").put("text", answer.text());
        }
        for (ToolCall call : answer.output().toolCalls()) {
            content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                    .set("input", input(call.argumentsJson()));
        }
        message.put("stop_reason", stopReason(answer.output().finishReason())).putNull("stop_sequence");
        message.set("usage", usage(answer));
        message.set("cato", new ChatCompletionRenderer(mapper).cato(answer));
        return message;
    }

    private JsonNode input(String argumentsJson) {
        try {
            JsonNode input = mapper.readTree(argumentsJson);
            return input != null && input.isObject() ? input : mapper.createObjectNode();
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    static String stopReason(FinishReason reason) {
        return switch (reason) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    private ObjectNode usage(Answer answer) {
        ObjectNode usage = mapper.createObjectNode();
        int cached = answer.usage().cachedInputTokens();
        usage.put("input_tokens", Math.max(0, answer.usage().inputTokens() - cached));
        usage.put("cache_read_input_tokens", cached);
        usage.put("output_tokens", answer.usage().outputTokens());
        return usage;
    }

    /**
     * Writes Anthropic's events as the answer comes. One that breaks off ends with an error event, one whose caller
     * went away ends at once; neither, nor a degraded answer, is replayed to a retry.
     */
    private void stream(Orchestrator.Prepared prepared, String id, String model, OutputStream out,
                        ResponseOutcome outcome) {
        ObjectNode start = mapper.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", id).put("type", "message").put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 0).put("output_tokens", 0);
        event(out, "message_start", start);
        event(out, "ping", mapper.createObjectNode().put("type", "ping"));
        BlockSink blocks = new BlockSink(out);
        try {
            Answer answer = orchestrator.answer(prepared, blocks);
            blocks.close();
            ObjectNode delta = mapper.createObjectNode().put("type", "message_delta");
            delta.putObject("delta").put("stop_reason", stopReason(answer.output().finishReason())).putNull("stop_sequence");
            delta.set("usage", usage(answer));
            event(out, "message_delta", delta);
            event(out, "message_stop", mapper.createObjectNode().put("type", "message_stop"));
            if (answer.degraded()) {
                outcome.keepFromReplay();
            }
        } catch (CallerGoneException gone) {
            outcome.keepFromReplay();
        } catch (RuntimeException e) {
            outcome.keepFromReplay();
            ApiResponse error = errors.anthropic(new ApiException(ErrorCode.DEPENDENCY_UNAVAILABLE,
                    "the answer broke off; retry"));
            try {
                event(out, "error", readTree(error.bodyBytes()));
            } catch (CallerGoneException gone) {
                // Nobody is left to tell.
            }
        }
    }

    private JsonNode readTree(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens, fills and closes content blocks as text deltas and tool-call pieces arrive. */
    private final class BlockSink implements StreamSink {
        private final OutputStream out;
        private int index = -1;
        private String open;
        private int openToolCall = -1;

        BlockSink(OutputStream out) {
            this.out = out;
        }

        @Override
        public void accept(String text) {
            if (!"text".equals(open)) {
                startBlock(mapper.createObjectNode().put("type", "text").put("text", ""), "text");
            }
            if (!text.isEmpty()) {
                ObjectNode delta = blockEvent("content_block_delta");
                delta.putObject("delta").put("type", "text_delta").put("text", text);
                event(out, "content_block_delta", delta);
            }
        }

        @Override
        public void toolCall(ToolCallDelta piece) {
            if (piece.id().isPresent() || piece.index() != openToolCall) {
                ObjectNode block = mapper.createObjectNode().put("type", "tool_use")
                        .put("id", piece.id().orElse("toolu_" + piece.index())).put("name", piece.name().orElse(""));
                block.putObject("input");
                startBlock(block, "tool_use");
                openToolCall = piece.index();
            }
            if (!piece.argumentsFragment().isEmpty()) {
                ObjectNode delta = blockEvent("content_block_delta");
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece.argumentsFragment());
                event(out, "content_block_delta", delta);
            }
        }

        private void startBlock(ObjectNode block, String type) {
            close();
            index++;
            open = type;
            ObjectNode start = blockEvent("content_block_start");
            start.set("content_block", block);
            event(out, "content_block_start", start);
        }

        void close() {
            if (open != null) {
                event(out, "content_block_stop", blockEvent("content_block_stop"));
                open = null;
                openToolCall = -1;
            }
        }

        private ObjectNode blockEvent(String type) {
            return mapper.createObjectNode().put("type", type).put("index", index);
        }
    }

    private static void event(OutputStream out, String name, JsonNode data) {
        try {
            out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new CallerGoneException(e);
        }
    }
}
