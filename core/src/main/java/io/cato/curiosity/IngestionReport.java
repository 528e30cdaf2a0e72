package io.cato.curiosity;

import java.util.List;

/**
 * Step {@code ingest}'s result.
 *
 * @param ingested facts stored
 * @param alreadyPresent facts memory held already
 * @param unanswered records the model answered {@code UNKNOWN} or with nothing worth keeping
 * @param failed the first {@value Curiosity#FAILED_REPORTED} failed records; all of them are in {@code failedUri}
 * @param repeated true when the job had been ingested before and this call added nothing
 */
public record IngestionReport(String jobArn, String status, int ingested, int alreadyPresent, int answered,
                              int unanswered, int failedCount, List<Curiosity.FailedRecord> failed, String failedUri,
                              Curiosity.Manifest manifest, boolean repeated) {
    public IngestionReport {
        failed = failed == null ? List.of() : List.copyOf(failed);
    }

    /** The same job's report when it had been ingested before: this call added nothing. */
    IngestionReport asRepeat() {
        return builder().jobArn(jobArn).status(status).failedCount(failedCount).failed(failed).failedUri(failedUri)
                .manifest(manifest).repeated(true).build();
    }

    /**
     * Starts an ingestion report named part by named part. Counts left unset are 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of an ingestion report by name. */
    public static final class Builder {
        private String jobArn;
        private String status;
        private int ingested;
        private int alreadyPresent;
        private int answered;
        private int unanswered;
        private int failedCount;
        private List<Curiosity.FailedRecord> failed = List.of();
        private String failedUri;
        private Curiosity.Manifest manifest;
        private boolean repeated;

        private Builder() {
        }

        public Builder jobArn(String value) {
            this.jobArn = value;
            return this;
        }

        public Builder status(String value) {
            this.status = value;
            return this;
        }

        public Builder ingested(int value) {
            this.ingested = value;
            return this;
        }

        public Builder alreadyPresent(int value) {
            this.alreadyPresent = value;
            return this;
        }

        public Builder answered(int value) {
            this.answered = value;
            return this;
        }

        public Builder unanswered(int value) {
            this.unanswered = value;
            return this;
        }

        public Builder failedCount(int value) {
            this.failedCount = value;
            return this;
        }

        public Builder failed(List<Curiosity.FailedRecord> value) {
            this.failed = value;
            return this;
        }

        public Builder failedUri(String value) {
            this.failedUri = value;
            return this;
        }

        public Builder manifest(Curiosity.Manifest value) {
            this.manifest = value;
            return this;
        }

        public Builder repeated(boolean value) {
            this.repeated = value;
            return this;
        }

        public IngestionReport build() {
            return new IngestionReport(jobArn, status, ingested, alreadyPresent, answered, unanswered, failedCount,
                    failed, failedUri, manifest, repeated);
        }
    }
}
