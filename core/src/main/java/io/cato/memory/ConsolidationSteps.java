package io.cato.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The consolidate state machine's contract with its function: the input's {@code step} names
 * the step, its {@code input} (or, without one, the rest of the object) is that step's input,
 * and the output is the step's result as JSON.
 */
public final class ConsolidationSteps {
    private final Consolidation consolidation;
    private final ObjectMapper mapper;

    public ConsolidationSteps(Consolidation consolidation, ObjectMapper mapper) {
        this.consolidation = consolidation;
        this.mapper = mapper;
    }

    public JsonNode handle(JsonNode input) {
        String step = input.path("step").asText("");
        JsonNode body = stepInput(input);
        Object result = switch (step) {
            case "read" -> consolidation.read();
            case "extract" -> consolidation.extract(as(body, Consolidation.TurnRef.class));
            case "dedupe" -> consolidation.dedupe(as(body, Consolidation.Findings.class));
            case "contradiction" -> consolidation.checkContradictions(as(body, Consolidation.Findings.class));
            case "write" -> consolidation.write(as(body, Consolidation.Findings.class));
            case "advance" -> consolidation.advance(as(body, Consolidation.Batch.class));
            default -> throw new UnknownStepException(step);
        };
        return mapper.valueToTree(result);
    }

    /** The step's own input: {@code input} when the state machine nests it there, else the rest of the object. */
    public static JsonNode stepInput(JsonNode input) {
        if (input.has("input")) {
            return input.get("input");
        }
        ObjectNode body = input.deepCopy();
        body.remove("step");
        return body;
    }

    private <T> T as(JsonNode body, Class<T> type) {
        try {
            return mapper.treeToValue(body, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("step input is not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
