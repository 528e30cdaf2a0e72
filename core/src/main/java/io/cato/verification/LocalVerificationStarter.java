package io.cato.verification;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the verify steps in-process on a virtual thread, after the answer has been returned. */
public final class LocalVerificationStarter implements VerificationStarter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalVerificationStarter.class);

    private final Verification verification;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public LocalVerificationStarter(Verification verification) {
        this.verification = verification;
    }

    @Override
    public void start(Request request) {
        executor.execute(() -> {
            try {
                verification.verify(request);
            } catch (RuntimeException e) {
                LOG.atWarn().log(() -> "verification failed, the turn keeps no verdict: "
                        + e.getClass().getSimpleName());
            }
        });
    }

    @Override
    public void close() {
        executor.close();
    }
}
