package io.cato.curiosity;

import java.util.Optional;

/**
 * Which batch jobs' answers are in memory already. The completion event and the workflow's own
 * reconcile both ingest a job; the first to finish records it here, and the other then adds
 * nothing (fact ids are deterministic as well, so even two ingestions at once store each fact once).
 */
public interface IngestionLedger {

    Optional<IngestionReport> find(String jobArn);

    /** Records the job as ingested unless it already is; false, changing nothing, when it was. */
    boolean record(IngestionReport report);
}
