package io.cato.curiosity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.memory.ConsolidationSteps;
import io.cato.memory.UnknownStepException;
import java.util.Optional;

/**
 * The curiosity state machine's contract with its function: {@code step} names the step, the
 * previous step's result sits in {@code input}, and {@code bucket} and {@code roleArn} come from
 * the template's substitutions (without {@code bucket}, the function's own batch bucket is used). {@code ingest} takes a polled job ({@code jobArn}) or the detail
 * of Bedrock's "Batch Inference Job State Change" event ({@code batchJobArn}).
 */
public final class CuriositySteps {
    private final Curiosity curiosity;
    private final ObjectMapper mapper;
    private final Optional<String> defaultBucket;

    public CuriositySteps(Curiosity curiosity, ObjectMapper mapper, Optional<String> defaultBucket) {
        this.curiosity = curiosity;
        this.mapper = mapper;
        this.defaultBucket = defaultBucket;
    }

    public JsonNode handle(JsonNode event) {
        String step = event.path("step").asText("");
        JsonNode body = ConsolidationSteps.stepInput(event);
        String bucket = event.hasNonNull("bucket") ? event.get("bucket").asText() : defaultBucket.orElse(null);
        Object result = switch (step) {
            case "collect" -> curiosity.collect(bucket);
            case "build" -> curiosity.build(as(body, Curiosity.Collected.class), bucket);
            case "submit" -> curiosity.submit(as(body, Curiosity.BatchInput.class), event.path("roleArn").asText(null));
            case "advance" -> curiosity.advance(as(body, Curiosity.Collected.class));
            case "status" -> curiosity.status(as(body, Curiosity.Job.class));
            case "ingest" -> curiosity.ingest(jobArn(body));
            default -> throw new UnknownStepException(step);
        };
        return mapper.valueToTree(result);
    }

    private static String jobArn(JsonNode body) {
        String arn = body.hasNonNull("jobArn") ? body.get("jobArn").asText() : body.path("batchJobArn").asText("");
        if (!arn.contains(":model-invocation-job/")) {
            throw new IllegalArgumentException("ingest needs a batch job ARN (jobArn or batchJobArn), got '" + arn + "'");
        }
        return arn;
    }

    private <T> T as(JsonNode body, Class<T> type) {
        try {
            return mapper.treeToValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("step input is not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
