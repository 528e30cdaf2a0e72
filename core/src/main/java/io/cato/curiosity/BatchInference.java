package io.cato.curiosity;

import java.util.Objects;
import java.util.Optional;

/**
 * Batch inference jobs of a model provider (Bedrock CreateModelInvocationJob and
 * GetModelInvocationJob). Failures reaching the provider are thrown as they come: the
 * workflow's retries handle them.
 */
public interface BatchInference {

    /**
     * Starts a job reading JSONL records from {@code inputUri} and writing its results under
     * {@code outputUri}, and returns its ARN. Submitting the same {@code clientRequestToken} again
     * starts nothing new and returns the job the first submission started.
     */
    String submit(JobRequest request);

    /** The job as the provider reports it now. */
    JobStatus status(String jobArn);

    /** What a job is started with; every field is required. */
    record JobRequest(String jobName, String clientRequestToken, String modelId, String roleArn, String inputUri,
                      String outputUri) {
        public JobRequest {
            Objects.requireNonNull(jobName, "jobName");
            Objects.requireNonNull(clientRequestToken, "clientRequestToken");
            Objects.requireNonNull(modelId, "modelId");
            Objects.requireNonNull(roleArn, "roleArn");
            Objects.requireNonNull(inputUri, "inputUri");
            Objects.requireNonNull(outputUri, "outputUri");
        }
    }

    /**
     * A job's state.
     *
     * @param status as the provider names it: {@code Submitted}, {@code Validating}, {@code Scheduled},
     *     {@code InProgress}, {@code Completed}, {@code PartiallyCompleted}, {@code Failed}, {@code Stopping},
     *     {@code Stopped} or {@code Expired}
     * @param message why a job failed, when the provider says
     */
    record JobStatus(String jobArn, String jobName, String status, Optional<String> message, String inputUri,
                     String outputUri) {

        /** Finished with results to read: every record, or some of them. */
        public boolean hasResults() {
            return "Completed".equals(status) || "PartiallyCompleted".equals(status);
        }
    }
}
