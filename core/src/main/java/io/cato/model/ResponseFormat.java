package io.cato.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The shape the answer must have: free text, any JSON object, or JSON matching a schema.
 *
 * @param name for {@link Kind#JSON_SCHEMA}, the schema's name (also the forced tool's name on Bedrock)
 * @param schema for {@link Kind#JSON_SCHEMA}, the JSON Schema the answer must match
 */
public record ResponseFormat(Kind kind, Optional<String> name, Optional<JsonNode> schema, boolean strict) {

    public enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }

    public static final ResponseFormat TEXT = new ResponseFormat(Kind.TEXT, Optional.empty(), Optional.empty(), false);
    public static final ResponseFormat JSON_OBJECT =
            new ResponseFormat(Kind.JSON_OBJECT, Optional.empty(), Optional.empty(), false);

    public static ResponseFormat jsonSchema(String name, JsonNode schema, boolean strict) {
        return new ResponseFormat(Kind.JSON_SCHEMA, Optional.of(name), Optional.of(schema), strict);
    }

    public boolean structured() {
        return kind != Kind.TEXT;
    }

    /** The schema the answer is checked against: the given one, or "any object" for {@link Kind#JSON_OBJECT}. */
    public JsonNode effectiveSchema() {
        return schema.orElseGet(() -> new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("type", "object"));
    }

    /** A canonical text for cache scopes. */
    public String canonical() {
        return switch (kind) {
            case TEXT -> "";
            case JSON_OBJECT -> "json_object";
            case JSON_SCHEMA -> "json_schema:" + name.orElse("") + ":" + strict + ":" + schema.map(JsonNode::toString).orElse("");
        };
    }
}
