package io.cato.consolidate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.verification.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/** The verify state machine's function: {@code probe}, {@code entail}, {@code aggregate} or {@code store}. */
public final class VerifyStepHandler implements RequestStreamHandler {
    private final WorkflowWiring.Parts parts;
    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    private final SnapStartPriming priming;
    private final Verification verification;

    public VerifyStepHandler() {
        this(System.getenv());
    }

    VerifyStepHandler(Map<String, String> env) {
        this.parts = WorkflowWiring.from(env);
        this.verification = WorkflowWiring.verification(parts);
        this.priming = WorkflowWiring.priming(parts);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StepStreams.handle(parts.mapper(), input, output, verification::handle);
    }
}
