package io.cato.aws.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.nli.NliClient;
import io.cato.nli.NliResult;
import io.cato.verification.ProbeResult;
import io.cato.verification.ShadowProbeClient;
import io.cato.nli.VerifierUnavailableException;
import java.io.IOException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The verifiers behind SageMaker endpoints, through InvokeEndpoint with JSON bodies:
 * the NLI endpoint takes {@code {"premise", "hypothesis"}} and answers
 * {@code {"entailment", "contradiction", "neutral"}}; the Shadow Self probe endpoint takes
 * {@code {"probe": {"query", "answer"}}} and answers {@code {"truthfulness"}}. Any failure
 * (unreachable, throttled, malformed answer) makes the check unavailable.
 */
public final class SageMakerVerifiers {
    private SageMakerVerifiers() {
    }

    public static NliClient nli(SageMakerRuntimeClient client, String endpoint, ObjectMapper mapper) {
        return (premise, hypothesis) -> {
            JsonNode out = invoke(client, endpoint, mapper, "nli",
                    mapper.createObjectNode().put("premise", premise).put("hypothesis", hypothesis));
            return new NliResult(number(out, "entailment", "nli"), number(out, "contradiction", "nli"),
                    number(out, "neutral", "nli"));
        };
    }

    public static ShadowProbeClient probe(SageMakerRuntimeClient client, String endpoint, ObjectMapper mapper) {
        return (query, answer) -> {
            var body = mapper.createObjectNode();
            body.putObject("probe").put("query", query).put("answer", answer);
            return new ProbeResult(number(invoke(client, endpoint, mapper, "shadow_probe", body), "truthfulness",
                    "shadow_probe"));
        };
    }

    private static JsonNode invoke(SageMakerRuntimeClient client, String endpoint, ObjectMapper mapper, String verifier,
                                   JsonNode body) {
        try {
            var response = client.invokeEndpoint(r -> r.endpointName(endpoint).contentType("application/json")
                    .accept("application/json").body(SdkBytes.fromUtf8String(body.toString())));
            return mapper.readTree(response.body().asUtf8String());
        } catch (SdkException e) {
            throw new VerifierUnavailableException(verifier, "endpoint " + endpoint + " failed: "
                    + e.getClass().getSimpleName(), e);
        } catch (IOException e) {
            throw new VerifierUnavailableException(verifier, "endpoint " + endpoint + " answered with invalid JSON", e);
        }
    }

    private static double number(JsonNode out, String field, String verifier) {
        if (!out.path(field).isNumber()) {
            throw new VerifierUnavailableException(verifier, "answer has no number '" + field + "'");
        }
        return out.path(field).asDouble();
    }
}
