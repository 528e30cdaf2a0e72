package io.cato.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link ModelRequest} as an OpenAI chat completions request, and the parts of OpenAI's answers Cato reads:
 * tools, tool calls and results, image parts, response formats and sampling settings are passed through as
 * OpenAI-compatible servers take them.
 */
final class OpenAiWireFormat {
    private OpenAiWireFormat() {
    }

    static ObjectNode body(ObjectMapper mapper, TierConfig tier, ModelRequest request, boolean stream) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", tier.modelId());
        ArrayNode messages = body.putArray("messages");
        if (request.system() != null && !request.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        boolean tools = tier.capabilities().contains(Capability.TOOLS);
        for (ChatMessage message : request.messages()) {
            messages.add(message(mapper, tools ? message : message.asPlainText()));
        }
        body.put("max_tokens", Math.min(request.maxTokens(), tier.maxOutputTokens()));
        body.put("temperature", request.temperature());
        options(body, request.options());
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static ObjectNode message(ObjectMapper mapper, ChatMessage message) {
        ObjectNode out = mapper.createObjectNode();
        out.put("role", message.role().name().toLowerCase(Locale.ROOT));
        if (message.role() == ChatMessage.Role.TOOL) {
            out.put("tool_call_id", message.toolCallId()).put("content", message.content());
        } else if (!message.images().isEmpty()) {
            ArrayNode parts = out.putArray("content");
            if (!message.content().isEmpty()) {
                parts.addObject().put("type", "text").put("text", message.content());
            }
            message.images().forEach(image -> parts.addObject().put("type", "image_url")
                    .putObject("image_url").put("url", image.dataUrl()));
        } else if (!message.toolCalls().isEmpty()) {
            if (message.content().isEmpty()) {
                out.putNull("content");
            } else {
                out.put("content", message.content());
            }
            ArrayNode calls = out.putArray("tool_calls");
            message.toolCalls().forEach(call -> calls.addObject().put("id", call.id()).put("type", "function")
                    .putObject("function").put("name", call.name()).put("arguments", call.argumentsJson()));
        } else {
            out.put("content", message.content());
        }
        return out;
    }

    private static void options(ObjectNode body, GenerationOptions options) {
        if (!options.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : options.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (tool.description() != null) {
                    function.put("description", tool.description());
                }
                function.set("parameters", tool.parameters());
            }
            ToolChoice choice = options.toolChoice();
            switch (choice.mode()) {
                case AUTO -> body.put("tool_choice", "auto");
                case REQUIRED -> body.put("tool_choice", "required");
                case NONE -> body.put("tool_choice", "none");
                case FUNCTION -> body.putObject("tool_choice").put("type", "function")
                        .putObject("function").put("name", choice.function().orElseThrow());
            }
            if (!options.parallelToolCalls()) {
                body.put("parallel_tool_calls", false);
            }
        }
        ResponseFormat format = options.responseFormat();
        switch (format.kind()) {
            case TEXT -> { }
            case JSON_OBJECT -> body.putObject("response_format").put("type", "json_object");
            case JSON_SCHEMA -> {
                ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                schema.put("name", format.name().orElse("response"));
                schema.set("schema", format.schema().orElseThrow());
                schema.put("strict", format.strict());
            }
        }
        if (!options.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            options.stop().forEach(stop::add);
        }
        options.seed().ifPresent(seed -> body.put("seed", seed));
        options.topP().ifPresent(topP -> body.put("top_p", topP));
    }

    /** {@code choices[0].message.tool_calls} of a whole answer. */
    static List<ToolCall> toolCalls(JsonNode message) {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            calls.add(new ToolCall(call.path("id").asText(), function.path("name").asText(),
                    function.path("arguments").asText("{}")));
        }
        return calls;
    }

    /** Assembles streamed {@code delta.tool_calls} pieces into whole calls, passing each piece on as it comes. */
    static final class ToolCallAssembler {
        private final List<String> ids = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<StringBuilder> arguments = new ArrayList<>();

        void add(JsonNode deltaToolCalls, java.util.function.Consumer<String> onDelta) {
            for (JsonNode piece : deltaToolCalls) {
                int index = piece.path("index").asInt(ids.size());
                while (ids.size() <= index) {
                    ids.add(null);
                    names.add(null);
                    arguments.add(new StringBuilder());
                }
                if (piece.hasNonNull("id") && ids.get(index) == null) {
                    ids.set(index, piece.get("id").asText());
                    names.set(index, piece.path("function").path("name").asText());
                    StreamSink.toolCall(onDelta, ToolCallDelta.start(index, ids.get(index), names.get(index)));
                }
                String fragment = piece.path("function").path("arguments").asText("");
                if (!fragment.isEmpty()) {
                    arguments.get(index).append(fragment);
                    StreamSink.toolCall(onDelta, ToolCallDelta.arguments(index, fragment));
                }
            }
        }

        List<ToolCall> calls() {
            List<ToolCall> calls = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (ids.get(i) != null) {
                    calls.add(new ToolCall(ids.get(i), names.get(i), arguments.get(i).isEmpty() ? "{}" : arguments.get(i).toString()));
                }
            }
            return calls;
        }
    }
}
