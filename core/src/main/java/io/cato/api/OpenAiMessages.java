package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.model.ChatMessage;
import io.cato.model.ImageInput;
import io.cato.model.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** OpenAI's {@code messages}: system/developer, user (text and image parts), assistant (tool calls), tool. */
final class OpenAiMessages {
    static final int MAX_MESSAGES = 1_000;
    private static final Set<String> USER_KEYS = Set.of("role", "content");
    private static final Set<String> ASSISTANT_KEYS = Set.of("role", "content", "tool_calls", "refusal");
    private static final Set<String> TOOL_KEYS = Set.of("role", "content", "tool_call_id");

    private OpenAiMessages() {
    }

    static Conversation parse(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "messages must be a non-empty array", "messages");
        }
        if (node.size() > MAX_MESSAGES) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "messages may hold at most " + MAX_MESSAGES + " entries",
                    "messages");
        }
        StringBuilder system = new StringBuilder();
        List<ChatMessage> messages = new ArrayList<>();
        int images = 0;
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "messages[" + i + "]";
            if (!item.isObject()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "each message must be an object", at);
            }
            String role = RequestReader.optionalText(item, "role")
                    .orElseThrow(() -> new ApiException(ErrorCode.INVALID_REQUEST, "each message needs a role", at));
            switch (role.toLowerCase(Locale.ROOT)) {
                case "system", "developer" -> {
                    known(item, USER_KEYS, at);
                    system.append(system.isEmpty() ? "" : "\n").append(text(item.get("content"), at));
                }
                case "user" -> {
                    known(item, USER_KEYS, at);
                    ChatMessage user = user(item.get("content"), at);
                    images += user.images().size();
                    messages.add(user);
                }
                case "assistant" -> messages.add(assistant(item, at));
                case "tool" -> {
                    known(item, TOOL_KEYS, at);
                    String id = RequestReader.optionalText(item, "tool_call_id").orElseThrow(() ->
                            new ApiException(ErrorCode.INVALID_REQUEST, at + ": a tool message needs tool_call_id", at));
                    messages.add(ChatMessage.toolResult(id, text(item.get("content"), at), false));
                }
                case "function" -> throw ApiException.unsupported(at + ".role", at
                        + ": function messages belong to the deprecated functions API; send tool messages");
                default -> throw new ApiException(ErrorCode.INVALID_REQUEST,
                        "message role must be system, developer, user, assistant or tool", at + ".role");
            }
        }
        if (images > ImageDecoder.MAX_IMAGES) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "a request may carry at most " + ImageDecoder.MAX_IMAGES
                    + " images", "messages");
        }
        return Conversation.of(system.isEmpty() ? Optional.empty() : Optional.of(system.toString()), messages,
                "messages");
    }

    /** Message fields beyond the ones Cato reads (a participant {@code name}, audio) are refused, not dropped. */
    private static void known(JsonNode item, Set<String> keys, String at) {
        item.fieldNames().forEachRemaining(key -> {
            if (!keys.contains(key) && !item.get(key).isNull()) {
                throw ApiException.unsupported(at + "." + key, at + "." + key + " is not supported for this role");
            }
        });
    }

    /** Content as text: a string, or an array of {type: text, text} parts. */
    private static String text(JsonNode content, String at) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new ApiException(ErrorCode.INVALID_REQUEST, at + ": only text content parts are allowed here",
                            at + ".content");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST,
                "message content must be a string or an array of text parts", at + ".content");
    }

    private static ChatMessage user(JsonNode content, String at) {
        if (content == null || !content.isArray()) {
            return ChatMessage.user(text(content, at));
        }
        StringBuilder text = new StringBuilder();
        List<ImageInput> images = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            String field = at + ".content[" + j + "]";
            switch (part.path("type").asText()) {
                case "text" -> text.append(text(part.get("text"), field));
                case "image_url" -> {
                    JsonNode url = part.path("image_url").path("url");
                    if (!url.isTextual()) {
                        throw new ApiException(ErrorCode.INVALID_REQUEST, field + ": image_url.url must be a string", field);
                    }
                    images.add(ImageDecoder.fromUrl(url.asText(), field + ".image_url"));
                }
                case "input_audio", "file" -> throw ApiException.unsupported(field, field + ": "
                        + part.path("type").asText() + " content is not supported; send text and images");
                default -> throw new ApiException(ErrorCode.INVALID_REQUEST,
                        field + ": content parts must be text or image_url", field);
            }
        }
        return ChatMessage.user(text.toString(), images);
    }

    private static ChatMessage assistant(JsonNode item, String at) {
        known(item, ASSISTANT_KEYS, at);
        JsonNode content = item.get("content");
        String text = content == null || content.isNull() ? "" : assistantText(content, at);
        List<ToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = item.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull()) {
            if (!toolCalls.isArray()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, at + ".tool_calls must be an array", at + ".tool_calls");
            }
            for (JsonNode call : toolCalls) {
                JsonNode function = call.path("function");
                if (!call.path("id").isTextual() || !function.path("name").isTextual()) {
                    throw new ApiException(ErrorCode.INVALID_REQUEST,
                            at + ".tool_calls: each needs an id and function.name", at + ".tool_calls");
                }
                if (!"function".equals(call.path("type").asText("function"))) {
                    throw ApiException.unsupported(at + ".tool_calls", "only function tool calls are supported");
                }
                calls.add(new ToolCall(call.get("id").asText(), function.get("name").asText(),
                        function.path("arguments").asText("{}")));
            }
        }
        return ChatMessage.assistant(text, calls);
    }

    /** An assistant's content: a string, or text (and refusal) parts. */
    private static String assistantText(JsonNode content, String at) {
        if (!content.isArray()) {
            return text(content, at);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (!type.equals("text") && !type.equals("refusal")) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, at + ": assistant parts must be text or refusal",
                        at + ".content");
            }
            text.append(part.path(type).asText(""));
        }
        return text.toString();
    }
}
