package io.cato.consolidate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.memory.ConsolidationSteps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** The consolidate state machine's function: one step per invocation, chosen by the input's {@code step}. */
public final class ConsolidateStepHandler implements RequestStreamHandler {
    private final WorkflowWiring.Parts parts;
    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    private final SnapStartPriming priming;
    private final ConsolidationSteps steps;

    public ConsolidateStepHandler() {
        this(System.getenv());
    }

    ConsolidateStepHandler(Map<String, String> env) {
        this.parts = WorkflowWiring.from(env);
        this.steps = WorkflowWiring.consolidation(parts);
        this.priming = WorkflowWiring.priming(parts);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StepStreams.handle(parts.mapper(), input, output, steps::handle);
    }
}
