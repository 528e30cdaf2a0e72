package io.cato.aws.bedrock;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** JSON (Jackson) and the SDK's {@link Document}, which Converse uses for schemas and tool inputs. */
final class Documents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {
    }

    static Document fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Document.fromNull();
        }
        if (node.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), fromJson(e.getValue())));
            return Document.fromMap(map);
        }
        if (node.isArray()) {
            List<Document> list = new ArrayList<>();
            node.forEach(item -> list.add(fromJson(item)));
            return Document.fromList(list);
        }
        if (node.isBoolean()) {
            return Document.fromBoolean(node.asBoolean());
        }
        if (node.isIntegralNumber()) {
            return Document.fromNumber(SdkNumber.fromBigInteger(node.bigIntegerValue()));
        }
        if (node.isNumber()) {
            return Document.fromNumber(SdkNumber.fromBigDecimal(node.decimalValue()));
        }
        return Document.fromString(node.asText());
    }

    /** Arguments as the OpenAI API carries them (JSON text) as a Converse tool input; not an object reads as {}. */
    static Document fromJsonText(String json) {
        return jsonObject(json).orElseGet(() -> Document.fromMap(Map.of()));
    }

    static Optional<Document> jsonObject(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node != null && node.isObject() ? Optional.of(fromJson(node)) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    static JsonNode toJson(Document document) {
        if (document == null || document.isNull()) {
            return JSON.nullNode();
        }
        if (document.isMap()) {
            ObjectNode object = JSON.createObjectNode();
            document.asMap().forEach((k, v) -> object.set(k, toJson(v)));
            return object;
        }
        if (document.isList()) {
            ArrayNode array = JSON.createArrayNode();
            document.asList().forEach(v -> array.add(toJson(v)));
            return array;
        }
        if (document.isBoolean()) {
            return JSON.getNodeFactory().booleanNode(document.asBoolean());
        }
        if (document.isNumber()) {
            BigDecimal value = document.asNumber().bigDecimalValue();
            return value.scale() <= 0 ? JSON.getNodeFactory().numberNode(value.toBigInteger())
                    : JSON.getNodeFactory().numberNode(value);
        }
        return JSON.getNodeFactory().textNode(document.asString());
    }

    static String toJsonText(Document document) {
        return toJson(document).toString();
    }
}
