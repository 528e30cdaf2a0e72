package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.model.ChatMessage;
import io.cato.model.GenerationOptions;
import io.cato.model.ImageInput;
import io.cato.model.ToolCall;
import io.cato.model.ToolChoice;
import io.cato.model.ToolSpec;
import io.cato.routing.QueryCommand;
import io.cato.session.SessionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Anthropic's Messages API request ({@code POST /v1/messages}) as a {@link QueryCommand}: system as a string or
 * text blocks, text, image, tool_use and tool_result blocks, tools and tool_choice, stop_sequences. Fields Cato
 * does not honour are refused with {@code unsupported_parameter}, never dropped.
 */
final class AnthropicRequests {
    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "system", "metadata",
            "stop_sequences", "stream", "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking",
            "service_tier", "container", "mcp_servers", "context_management");
    private static final Map<String, String> REFUSED = Map.of(
            "top_k", "top_k is not offered by Cato's tiers; use temperature or top_p",
            "container", "code execution containers are not offered",
            "mcp_servers", "MCP servers are not offered",
            "context_management", "context management is not offered");

    /** A parsed request; {@code stream} asks for Anthropic's server-sent events. */
    record MessagesRequest(QueryCommand command, boolean stream, String requestedModel) {
        /** The same request, asked by {@code caller} (the API key and end user the edge knows of). */
        MessagesRequest by(io.cato.budget.Caller caller) {
            return new MessagesRequest(command.withCaller(caller), stream, requestedModel);
        }
    }

    private AnthropicRequests() {
    }

    static MessagesRequest parse(String tenant, ApiRequest request, JsonNode body) {
        body.fieldNames().forEachRemaining(field -> {
            if (!KNOWN.contains(field)) {
                throw ApiException.unsupported(field, "unknown parameter '" + field + "'");
            }
            if (REFUSED.containsKey(field) && !body.get(field).isNull()) {
                throw ApiException.unsupported(field, field + ": " + REFUSED.get(field));
            }
        });
        JsonNode thinking = body.get("thinking");
        if (thinking != null && !thinking.isNull() && !"disabled".equals(thinking.path("type").asText())) {
            throw ApiException.unsupported("thinking", "extended thinking is not offered by Cato's tiers");
        }
        RequestReader.optionalText(body, "service_tier").filter(t -> !t.equals("auto") && !t.equals("standard_only"))
                .ifPresent(t -> {
                    throw ApiException.unsupported("service_tier", "service_tier: only auto or standard_only");
                });
        String model = RequestReader.requiredText(body, "model", 256);
        int maxTokens = RequestReader.optionalInt(body, "max_tokens", 1, 64_000)
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_REQUEST, "max_tokens is required", "max_tokens"));
        Conversation conversation = Conversation.of(system(body.get("system")), messages(body.get("messages")),
                "messages");
        List<ToolSpec> tools = tools(body.get("tools"));
        JsonNode choice = body.get("tool_choice");
        GenerationOptions options = GenerationOptions.builder().tools(tools).toolChoice(toolChoice(choice, tools))
                .parallelToolCalls(choice == null || !choice.path("disable_parallel_tool_use").asBoolean(false))
                .stop(stopSequences(body.get("stop_sequences")))
                .topP(RequestReader.optionalNumber(body, "top_p", 0, 1)).exchange(conversation.exchange()).build();
        Optional<SessionKey> session = request.header("x-cato-session")
                .or(() -> RequestReader.optionalText(body.path("metadata"), "user_id"))
                .map(id -> new SessionKey(tenant, id));
        QueryCommand command = QueryCommand.builder().tenant(tenant).session(session).query(conversation.query())
                .system(conversation.system()).history(conversation.history()).maxTokens(Optional.of(maxTokens))
                .temperature(RequestReader.optionalNumber(body, "temperature", 0, 1)).model(Optional.of(model))
                .options(options).build();
        return new MessagesRequest(command, RequestReader.optionalBoolean(body, "stream"), model);
    }

    private static Optional<String> system(JsonNode system) {
        if (system == null || system.isNull()) {
            return Optional.empty();
        }
        if (system.isTextual()) {
            return Optional.of(system.asText()).filter(s -> !s.isBlank());
        }
        if (!system.isArray()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "system must be a string or text blocks", "system");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : system) {
            if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "system blocks must be text blocks", "system");
            }
            text.append(text.isEmpty() ? "" : "\n").append(block.get("text").asText());
        }
        return Optional.of(text.toString()).filter(s -> !s.isBlank());
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > OpenAiMessages.MAX_MESSAGES) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "messages must be a non-empty array of at most "
                    + OpenAiMessages.MAX_MESSAGES, "messages");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "messages[" + i + "]";
            String role = item.path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, at + ".role must be user or assistant", at + ".role");
            }
            JsonNode content = item.get("content");
            if (content != null && content.isTextual()) {
                messages.add(role.equals("user") ? ChatMessage.user(content.asText()) : ChatMessage.assistant(content.asText()));
            } else if (content != null && content.isArray()) {
                blocks(role, content, at, messages);
            } else {
                throw new ApiException(ErrorCode.INVALID_REQUEST, at + ".content must be a string or blocks", at);
            }
        }
        return messages;
    }

    /** A user message's tool results become tool messages, followed by its text and images, if any. */
    private static void blocks(String role, JsonNode content, String at, List<ChatMessage> messages) {
        StringBuilder text = new StringBuilder();
        List<ImageInput> images = new ArrayList<>();
        List<ToolCall> calls = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            JsonNode block = content.get(j);
            String field = at + ".content[" + j + "]";
            String type = block.path("type").asText();
            switch (type) {
                case "text" -> text.append(block.path("text").asText());
                case "image" -> images.add(image(block.path("source"), field));
                case "tool_use" -> calls.add(new ToolCall(block.path("id").asText(), block.path("name").asText(),
                        block.path("input").isObject() ? block.get("input").toString() : "{}"));
                case "tool_result" -> messages.add(ChatMessage.toolResult(block.path("tool_use_id").asText(),
                        toolResultText(block.get("content"), field), block.path("is_error").asBoolean(false)));
                default -> throw ApiException.unsupported(field, field + ": " + type
                        + " blocks are not supported; send text, image, tool_use and tool_result blocks");
            }
            if ((type.equals("tool_use") && role.equals("user")) || (type.equals("tool_result") && role.equals("assistant"))
                    || (type.equals("image") && role.equals("assistant"))) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, field + ": a " + type + " block cannot be in a "
                        + role + " message", field);
            }
        }
        if (role.equals("assistant")) {
            messages.add(ChatMessage.assistant(text.toString(), calls));
        } else if (!text.isEmpty() || !images.isEmpty()) {
            messages.add(ChatMessage.user(text.toString(), images));
        }
    }

    private static ImageInput image(JsonNode source, String field) {
        return switch (source.path("type").asText()) {
            case "base64" -> ImageDecoder.decode(source.path("media_type").asText(), source.path("data").asText(), field);
            case "url" -> throw new ApiException(ErrorCode.REMOTE_IMAGE_NOT_FETCHED, field
                    + ": Cato does not fetch image URLs; send the image as a base64 source", field);
            default -> throw new ApiException(ErrorCode.INVALID_REQUEST, field + ": image source must be base64", field);
        };
    }

    private static String toolResultText(JsonNode content, String field) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if (!"text".equals(block.path("type").asText())) {
                throw ApiException.unsupported(field + ".content", field + ": tool results may hold text only");
            }
            text.append(block.path("text").asText());
        }
        return text.toString();
    }

    private static List<ToolSpec> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray() || tools.size() > OpenAiOptions.MAX_TOOLS) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "tools must be an array of at most "
                    + OpenAiOptions.MAX_TOOLS, "tools");
        }
        List<ToolSpec> specs = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText("custom");
            if (!type.equals("custom")) {
                throw ApiException.unsupported("tools[" + i + "]", "server tool '" + type + "' is not offered");
            }
            String name = RequestReader.requiredText(tool, "name", 64);
            if (!OpenAiOptions.NAME.matcher(name).matches()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "tools[" + i + "].name must be 1-64 letters, digits, _ or -",
                        "tools[" + i + "].name");
            }
            specs.add(new ToolSpec(name, tool.hasNonNull("description") ? tool.get("description").asText() : null,
                    OpenAiOptions.schema(tool.get("input_schema"), "tools[" + i + "].input_schema")));
        }
        return specs;
    }

    private static ToolChoice toolChoice(JsonNode choice, List<ToolSpec> tools) {
        if (choice == null || choice.isNull()) {
            return ToolChoice.AUTO;
        }
        return switch (choice.path("type").asText()) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> ToolChoice.REQUIRED;
            case "none" -> ToolChoice.NONE;
            case "tool" -> {
                String name = choice.path("name").asText();
                if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                    throw new ApiException(ErrorCode.INVALID_REQUEST, "tool_choice names a tool that is not in tools",
                            "tool_choice");
                }
                yield ToolChoice.function(name);
            }
            default -> throw new ApiException(ErrorCode.INVALID_REQUEST, "tool_choice.type must be auto, any, tool or none",
                    "tool_choice");
        };
    }

    private static List<String> stopSequences(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (!stop.isArray() || stop.size() > OpenAiOptions.MAX_STOP) {
            throw ApiException.unsupported("stop_sequences", "stop_sequences: at most " + OpenAiOptions.MAX_STOP
                    + " sequences are supported");
        }
        List<String> sequences = new ArrayList<>();
        stop.forEach(s -> sequences.add(s.asText()));
        return sequences;
    }
}
