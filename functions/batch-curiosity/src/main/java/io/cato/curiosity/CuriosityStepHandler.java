package io.cato.curiosity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * The curiosity state machine's function: {@code collect}, {@code build}, {@code submit},
 * {@code advance}, {@code status} or {@code ingest}, one step per invocation.
 */
public final class CuriosityStepHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    private final CuriositySteps steps;
    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    private final SnapStartPriming priming;

    public CuriosityStepHandler() {
        this(SettingsLoader.fromProcess().load(Optional.empty()));
    }

    CuriosityStepHandler(Settings settings) {
        CuriosityWiring wiring = new CuriosityWiring(settings);
        this.mapper = wiring.mapper();
        this.steps = wiring.steps();
        this.priming = wiring.priming();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = mapper.readTree(input);
        // Log lines carry the invocation's request id and cold start (Powertools' JSON layout, log4j2.xml).
        mapper.writeValue(output, PowertoolsLogging.withLogging(context, () -> steps.handle(event)));
    }
}
