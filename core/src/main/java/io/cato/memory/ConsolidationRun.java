package io.cato.memory;

import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the consolidation steps in-process, in the order the consolidate state machine runs them,
 * logging progress: the embedded default's nightly schedule and its admin route both call it.
 * One run at a time; a second caller meanwhile is told a run is in progress.
 */
public final class ConsolidationRun {
    private static final Logger LOG = LoggerFactory.getLogger(ConsolidationRun.class);

    /** Totals of one run; {@code status} is {@code completed} or {@code already_running}. */
    public record Report(String status, int interactions, int factsWritten, int duplicates, int episodes,
                         int batches, String watermark) {
    }

    private final Consolidation steps;
    private final ReentrantLock running = new ReentrantLock();

    public ConsolidationRun(Consolidation steps) {
        this.steps = steps;
    }

    public Report runOnce() {
        if (!running.tryLock()) {
            return new Report("already_running", 0, 0, 0, 0, 0, null);
        }
        try {
            return run();
        } finally {
            running.unlock();
        }
    }

    private Report run() {
        int interactions = 0;
        int written = 0;
        int duplicates = 0;
        int episodes = 0;
        int batches = 0;
        String watermark;
        Consolidation.Batch batch;
        do {
            batch = steps.read();
            batches++;
            LOG.info(String.format("consolidation: batch %d, %d interactions since %s", batches, batch.items().size(),
                    batch.from() == null ? "the beginning" : batch.from()));
            for (Consolidation.TurnRef ref : batch.items()) {
                var findings = steps.checkContradictions(steps.dedupe(steps.extract(ref)));
                var result = steps.write(findings);
                interactions++;
                written += result.factsWritten();
                duplicates += result.duplicates();
                episodes += result.episode() ? 1 : 0;
                if (interactions % 50 == 0) {
                    LOG.info(String.format("consolidation: %d interactions done, %d facts written", interactions, written));
                }
            }
            watermark = steps.advance(batch).watermark();
        } while (batch.more());
        LOG.info(String.format("consolidation: done, %d interactions, %d facts written, %d duplicates skipped, "
                + "watermark %s", interactions, written, duplicates, watermark));
        return new Report("completed", interactions, written, duplicates, episodes, batches, watermark);
    }
}
