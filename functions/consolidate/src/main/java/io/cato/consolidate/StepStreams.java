package io.cato.consolidate;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.UnaryOperator;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Reads a step's JSON input from the Lambda stream and writes its JSON result back; the step's log lines carry the
 * invocation's request id and cold start (Powertools' JSON layout, log4j2.xml).
 */
final class StepStreams {
    private StepStreams() {
    }

    static void handle(ObjectMapper mapper, Context context, InputStream input, OutputStream output,
                       UnaryOperator<JsonNode> step) throws IOException {
        JsonNode event = mapper.readTree(input);
        mapper.writeValue(output, PowertoolsLogging.withLogging(context, () -> step.apply(event)));
    }
}
