package io.cato.consolidate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.memory.ConsolidationSteps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** The consolidate state machine's function: one step per invocation, chosen by the input's {@code step}. */
public final class ConsolidateStepHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    private final SnapStartPriming priming;
    private final ConsolidationSteps steps;

    public ConsolidateStepHandler() {
        this(SettingsLoader.fromProcess().load(Optional.empty()));
    }

    ConsolidateStepHandler(Settings settings) {
        WorkflowWiring wiring = new WorkflowWiring(settings);
        this.mapper = wiring.mapper();
        this.steps = wiring.consolidation();
        this.priming = wiring.priming();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StepStreams.handle(mapper, context, input, output, steps::handle);
    }
}
