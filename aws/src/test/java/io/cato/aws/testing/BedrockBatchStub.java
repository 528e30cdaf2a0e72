package io.cato.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Bedrock control plane's batch inference operations on loopback. {@code POST
 * /model-invocation-job} (CreateModelInvocationJob) must carry what the service requires, a
 * valid job name, client request token and role ARN and the {@code inputDataConfig.s3InputDataConfig}
 * / {@code outputDataConfig.s3OutputDataConfig} shapes; it answers {@code {"jobArn"}}, the same ARN
 * again for a token it has seen. {@code GET /model-invocation-job/{jobIdentifier}}
 * (GetModelInvocationJob) answers the documented response with the status the test set.
 */
public final class BedrockBatchStub extends LoopbackAwsStub {
    private static final Pattern PATH = Pattern.compile("/model-invocation-job(?:/(.+))?");
    private static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9+\\-.]){0,63}");
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z0-9]{1,256}(-*[a-zA-Z0-9]){0,256}");
    private static final Pattern ROLE = Pattern.compile("arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+");
    private static final String ARN_PREFIX = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/";

    /** A job the stub started: the create request as received, and its status now. */
    public record Job(String arn, JsonNode request, Instant submitted, String status, String message) {
    }

    private final Map<String, String> jobsByToken = new ConcurrentHashMap<>();
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public BedrockBatchStub() {
        super("bedrock", PATH);
    }

    /** Distinct jobs started. */
    public Map<String, Job> jobs() {
        return Map.copyOf(jobs);
    }

    /** Moves a job to {@code status} (with {@code message}, as a failed job reports one, or null). */
    public void setStatus(String jobArn, String status, String message) {
        jobs.computeIfPresent(jobArn, (arn, job) -> new Job(arn, job.request(), job.submitted(), status, message));
    }

    @Override
    protected String shapeProblem(Request request, Matcher path) {
        boolean create = path.group(1) == null;
        if (!request.method().equals(create ? "POST" : "GET")) {
            return "method " + request.method() + " for " + (create ? "CreateModelInvocationJob" : "GetModelInvocationJob");
        }
        if (!create) {
            return null;
        }
        String json = jsonBodyProblem(request);
        if (json != null) {
            return json;
        }
        JsonNode body = request.body();
        if (!JOB_NAME.matcher(body.path("jobName").asText()).matches() || body.path("jobName").asText().length() > 63) {
            return "jobName " + body.path("jobName");
        }
        if (!TOKEN.matcher(body.path("clientRequestToken").asText()).matches()) {
            return "clientRequestToken " + body.path("clientRequestToken");
        }
        if (!ROLE.matcher(body.path("roleArn").asText()).matches()) {
            return "roleArn " + body.path("roleArn");
        }
        if (body.path("modelId").asText().isEmpty()) {
            return "no modelId";
        }
        if (!body.path("inputDataConfig").path("s3InputDataConfig").path("s3Uri").asText().startsWith("s3://")) {
            return "inputDataConfig.s3InputDataConfig.s3Uri " + body.path("inputDataConfig");
        }
        String format = body.path("inputDataConfig").path("s3InputDataConfig").path("s3InputFormat").asText("JSONL");
        if (!format.equals("JSONL")) {
            return "s3InputFormat " + format;
        }
        if (!body.path("outputDataConfig").path("s3OutputDataConfig").path("s3Uri").asText().startsWith("s3://")) {
            return "outputDataConfig.s3OutputDataConfig.s3Uri " + body.path("outputDataConfig");
        }
        return null;
    }

    @Override
    protected void respond(HttpExchange exchange, Matcher path, Request request) throws IOException {
        if (path.group(1) == null) {
            String arn = jobsByToken.computeIfAbsent(request.body().path("clientRequestToken").asText(), token -> {
                String id = String.format("stub%08d", ids.incrementAndGet());
                jobs.put(ARN_PREFIX + id, new Job(ARN_PREFIX + id, request.body(), Instant.now(), "Submitted", null));
                return ARN_PREFIX + id;
            });
            sendJson(exchange, 200, "{\"jobArn\":" + quote(arn) + "}");
            return;
        }
        String identifier = path.group(1);
        Job job = jobs.get(identifier.startsWith("arn:") ? identifier : ARN_PREFIX + identifier);
        if (job == null) {
            sendError(exchange, 404, "ResourceNotFoundException", "no batch inference job " + identifier);
            return;
        }
        JsonNode create = job.request();
        StringBuilder body = new StringBuilder("{\"jobArn\":").append(quote(job.arn()))
                .append(",\"jobName\":").append(quote(create.path("jobName").asText()))
                .append(",\"modelId\":").append(quote(create.path("modelId").asText()))
                .append(",\"clientRequestToken\":").append(quote(create.path("clientRequestToken").asText()))
                .append(",\"roleArn\":").append(quote(create.path("roleArn").asText()))
                .append(",\"status\":").append(quote(job.status()))
                .append(",\"submitTime\":").append(quote(job.submitted().toString()))
                .append(",\"lastModifiedTime\":").append(quote(Instant.now().toString()))
                .append(",\"inputDataConfig\":").append(create.path("inputDataConfig"))
                .append(",\"outputDataConfig\":").append(create.path("outputDataConfig"))
                .append(",\"timeoutDurationInHours\":24");
        if (job.message() != null) {
            body.append(",\"message\":").append(quote(job.message()));
        }
        sendJson(exchange, 200, body.append('}').toString());
    }
}
