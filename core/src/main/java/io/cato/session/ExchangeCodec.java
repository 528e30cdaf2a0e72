package io.cato.session;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.model.ChatMessage;
import io.cato.model.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A turn's tool exchange as the JSON text session stores keep: {@code [{role, content, tool_calls?, tool_call_id?,
 * is_error?}]}. Images are never kept, only their messages' text.
 */
public final class ExchangeCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExchangeCodec() {
    }

    public static String write(List<ChatMessage> exchange) {
        ArrayNode out = JSON.createArrayNode();
        for (ChatMessage message : exchange) {
            ObjectNode item = out.addObject().put("role", message.role().name().toLowerCase(Locale.ROOT))
                    .put("content", message.content());
            if (!message.toolCalls().isEmpty()) {
                ArrayNode calls = item.putArray("tool_calls");
                message.toolCalls().forEach(c -> calls.addObject().put("id", c.id()).put("name", c.name())
                        .put("arguments", c.argumentsJson()));
            }
            if (message.toolCallId() != null) {
                item.put("tool_call_id", message.toolCallId()).put("is_error", message.toolError());
            }
        }
        return out.toString();
    }

    /** The exchange stored as {@code json}; an unreadable one reads as none, so the turn's texts stand in. */
    public static List<ChatMessage> read(String json) {
        JsonNode array;
        try {
            array = JSON.readTree(json);
        } catch (JacksonException e) {
            return List.of();
        }
        List<ChatMessage> exchange = new ArrayList<>();
        for (JsonNode item : array) {
            List<ToolCall> calls = new ArrayList<>();
            item.path("tool_calls").forEach(c -> calls.add(new ToolCall(c.path("id").asText(), c.path("name").asText(),
                    c.path("arguments").asText("{}"))));
            exchange.add(new ChatMessage(ChatMessage.Role.valueOf(item.path("role").asText().toUpperCase(Locale.ROOT)),
                    item.path("content").asText(""), List.of(), calls,
                    item.hasNonNull("tool_call_id") ? item.get("tool_call_id").asText() : null,
                    item.path("is_error").asBoolean(false)));
        }
        return exchange;
    }
}
