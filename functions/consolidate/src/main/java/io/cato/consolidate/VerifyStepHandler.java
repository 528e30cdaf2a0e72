package io.cato.consolidate;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.verification.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** The verify state machine's function: {@code probe}, {@code entail}, {@code aggregate} or {@code store}. */
public final class VerifyStepHandler implements RequestStreamHandler {
    private final ObjectMapper mapper;
    /** Held so that CRaC, which keeps resources weakly, runs it before the snapshot. */
    private final SnapStartPriming priming;
    private final Verification verification;

    public VerifyStepHandler() {
        this(SettingsLoader.fromProcess().load(Optional.empty()));
    }

    VerifyStepHandler(Settings settings) {
        WorkflowWiring wiring = new WorkflowWiring(settings);
        this.mapper = wiring.mapper();
        this.verification = wiring.verification();
        this.priming = wiring.priming();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        StepStreams.handle(mapper, context, input, output, verification::handle);
    }
}
