package io.cato.curiosity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The curiosity state machine's function: {@code collect}, {@code build}, {@code submit},
 * {@code advance}, {@code status} or {@code ingest}, one step per invocation.
 */
public final class CuriosityStepHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final CuriositySteps steps;

    public CuriosityStepHandler() {
        this(System.getenv());
    }

    CuriosityStepHandler(Map<String, String> env) {
        CuriosityWiring wiring = CuriosityWiring.from(env);
        this.mapper = wiring.mapper();
        this.steps = wiring.steps();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        mapper.writeValue(output, steps.handle(event));
    }
}
