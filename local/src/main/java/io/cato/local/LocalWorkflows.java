package io.cato.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.CatoApi;
import io.cato.cache.VectorIndex;
import io.cato.embedding.Embedder;
import io.cato.memory.ConsolidationRun;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly workflows of the embedded default, run in-process by the same steps the state
 * machines call: consolidation at 03:00 UTC every day and on demand through
 * {@code POST /api/admin/cato/consolidate}.
 */
final class LocalWorkflows implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalWorkflows.class);
    private static final LocalTime NIGHTLY_AT = LocalTime.of(3, 0);

    private final ConsolidationRun consolidation;
    private final VectorIndex episodes;
    private final Optional<Embedder> ownEmbedder;
    private final ObjectMapper mapper;
    private io.cato.verification.LocalVerificationStarter verifier;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cato-nightly").factory());

    LocalWorkflows(ConsolidationRun consolidation, VectorIndex episodes, Optional<Embedder> ownEmbedder,
                   ObjectMapper mapper) {
        this.consolidation = consolidation;
        this.episodes = episodes;
        this.ownEmbedder = ownEmbedder;
        this.mapper = mapper;
    }

    /** Verification in-process after each answer, on the same steps as the verify state machine. */
    io.cato.verification.VerificationStarter verifier(io.cato.verification.Verification verification) {
        verifier = new io.cato.verification.LocalVerificationStarter(verification);
        return verifier;
    }

    CatoApi.AdminAction consolidateAction() {
        return new CatoApi.AdminAction("consolidate", body -> mapper.valueToTree(consolidation.runOnce()));
    }

    void scheduleNightly() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime next = now.with(NIGHTLY_AT);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        scheduler.scheduleAtFixedRate(this::consolidateQuietly, Duration.between(now, next).toSeconds(),
                TimeUnit.DAYS.toSeconds(1), TimeUnit.SECONDS);
    }

    private void consolidateQuietly() {
        try {
            consolidation.runOnce();
        } catch (RuntimeException e) {
            // The watermark did not move: tomorrow's run reads the same interactions again.
            LOG.warn("nightly consolidation failed; it resumes from the same watermark next time", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (verifier != null) {
            verifier.close();
        }
        episodes.close();
        ownEmbedder.ifPresent(e -> {
            if (e instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ex) {
                    LOG.debug("embedding model did not close cleanly", ex);
                }
            }
        });
    }
}
