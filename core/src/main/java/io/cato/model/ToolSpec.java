package io.cato.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the caller offers the model.
 *
 * @param parameters the JSON Schema of the function's arguments (an object schema)
 * @param strict whether the arguments of a call must match {@code parameters}; a call that does not is a failure
 *     of the tier that made it
 */
public record ToolSpec(String name, String description, JsonNode parameters, boolean strict) {

    public ToolSpec(String name, String description, JsonNode parameters) {
        this(name, description, parameters, false);
    }
}
