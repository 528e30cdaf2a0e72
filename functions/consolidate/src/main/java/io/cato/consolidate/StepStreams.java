package io.cato.consolidate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

/** Reads a step's JSON input from the Lambda stream and writes its JSON result back. */
final class StepStreams {
    private StepStreams() {
    }

    static void handle(ObjectMapper mapper, InputStream input, OutputStream output, UnaryOperator<JsonNode> step)
            throws IOException {
        JsonNode event = mapper.readTree(input);
        mapper.writeValue(output, step.apply(event));
    }
}
