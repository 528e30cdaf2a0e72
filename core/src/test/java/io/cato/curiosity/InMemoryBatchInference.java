package io.cato.curiosity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batch inference for tests: a job per client request token (a repeated token returns the
 * first job, as Bedrock does), statuses set by the test.
 */
public final class InMemoryBatchInference implements BatchInference {
    private final Map<String, String> jobsByToken = new ConcurrentHashMap<>();
    private final Map<String, JobRequest> requests = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final List<JobRequest> submissions = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public String submit(JobRequest request) {
        submissions.add(request);
        return jobsByToken.computeIfAbsent(request.clientRequestToken(), token -> {
            String arn = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/job" + ids.incrementAndGet();
            requests.put(arn, request);
            statuses.put(arn, "Submitted");
            return arn;
        });
    }

    @Override
    public JobStatus status(String jobArn) {
        JobRequest request = requests.get(jobArn);
        if (request == null) {
            throw new IllegalArgumentException("no job " + jobArn);
        }
        return new JobStatus(jobArn, request.jobName(), statuses.get(jobArn), Optional.empty(), request.inputUri(),
                request.outputUri());
    }

    public void setStatus(String jobArn, String status) {
        statuses.put(jobArn, status);
    }

    /** Every submit call, repeated ones included. */
    public List<JobRequest> submissions() {
        return List.copyOf(submissions);
    }

    /** Distinct jobs started. */
    public int jobs() {
        return requests.size();
    }
}
