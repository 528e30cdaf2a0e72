package io.cato.curiosity;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** An ingestion ledger for tests and single-process use. */
public final class InMemoryIngestionLedger implements IngestionLedger {
    private final Map<String, IngestionReport> jobs = new ConcurrentHashMap<>();

    @Override
    public Optional<IngestionReport> find(String jobArn) {
        return Optional.ofNullable(jobs.get(jobArn));
    }

    @Override
    public boolean record(IngestionReport report) {
        return jobs.putIfAbsent(report.jobArn(), report) == null;
    }
}
