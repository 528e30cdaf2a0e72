package io.cato.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the caller offers the model.
 *
 * @param parameters the JSON Schema of the function's arguments (an object schema)
 */
public record ToolSpec(String name, String description, JsonNode parameters) {
}
