package io.cato.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads what a state machine sent to its function. */
final class StepInputs {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StepInputs() {
    }

    static String step(String input) {
        return json(input).path("step").asText();
    }

    static JsonNode json(String input) {
        try {
            return MAPPER.readTree(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
