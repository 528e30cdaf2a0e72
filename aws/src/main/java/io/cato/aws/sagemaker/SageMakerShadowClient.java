package io.cato.aws.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.aws.SdkFailures;
import io.cato.model.ChatMessage;
import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalDependencyException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalFailureException;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * The Shadow Self tier: Llama-3-8B served by vLLM behind a SageMaker real-time endpoint, called
 * with {@code InvokeEndpoint} ({@code POST /endpoints/{model_id}/invocations}).
 *
 * <p>The contract with the container, which forwards {@code /invocations} to vLLM's
 * OpenAI-compatible server ({@code /v1/chat/completions}):
 * <ul>
 *   <li>request: {@code ContentType} and {@code Accept} are {@code application/json}; the body is
 *       an OpenAI chat completions request {@code {"model", "messages": [{"role", "content"}],
 *       "max_tokens", "temperature"}}. {@code model} is the tier's {@code model_id}, which is the
 *       endpoint name, so vLLM serves under that name too ({@code --served-model-name}); a
 *       system prompt is the first message, role {@code system};</li>
 *   <li>response: an OpenAI chat completions response, of which Cato reads
 *       {@code choices[0].message.content}, {@code choices[0].finish_reason},
 *       {@code usage.prompt_tokens} and {@code usage.completion_tokens} (and
 *       {@code usage.prompt_tokens_details.cached_tokens} when prefix caching reports it);</li>
 *   <li>errors: the container answers with vLLM's status and error body, which SageMaker
 *       returns as {@code ModelError} carrying {@code OriginalStatusCode} and
 *       {@code OriginalMessage}: 429 means throttled, 400 naming the context length means the
 *       prompt is too long, 5xx means unavailable.</li>
 * </ul>
 * Streaming ({@code InvokeEndpointWithResponseStream}) is not used: the default
 * {@link ModelClient#stream} passes the whole answer on as one delta.
 */
public final class SageMakerShadowClient implements ModelClient {
    private static final String JSON = "application/json";

    private final TierConfig tier;
    private final SageMakerRuntimeClient runtime;
    private final ObjectMapper mapper;

    public SageMakerShadowClient(TierConfig tier, SageMakerRuntimeClient runtime, ObjectMapper mapper) {
        this.tier = tier;
        this.runtime = runtime;
        this.mapper = mapper;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        Duration timeout = tier.timeout().compareTo(request.deadline()) <= 0 ? tier.timeout() : request.deadline();
        byte[] body;
        try {
            body = runtime.invokeEndpoint(InvokeEndpointRequest.builder()
                    .endpointName(tier.modelId())
                    .contentType(JSON)
                    .accept(JSON)
                    .body(SdkBytes.fromByteArrayUnsafe(body(request)))
                    .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build())
                    .build()).body().asByteArrayUnsafe();
        } catch (SdkException e) {
            throw failure(classify(e, timeout));
        }
        return reply(body);
    }

    private byte[] body(ModelRequest request) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", tier.modelId());
        ArrayNode messages = body.putArray("messages");
        if (request.system() != null && !request.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        for (ChatMessage stored : request.messages()) {
            // The shadow model takes no tools: a session's earlier tool turns reach it as text.
            ChatMessage message = stored.asPlainText();
            messages.addObject().put("role", message.role().name().toLowerCase(Locale.ROOT))
                    .put("content", message.content());
        }
        body.put("max_tokens", Math.min(request.maxTokens(), tier.maxOutputTokens()));
        body.put("temperature", request.temperature());
        try {
            return mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private ModelReply reply(byte[] body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (IOException e) {
            throw failure(new ModelFailure.Unavailable("unreadable response: " + e.getClass().getSimpleName()));
        }
        if (json == null || !json.isObject()) {
            throw failure(new ModelFailure.Unavailable("response is not a JSON object"));
        }
        JsonNode choice = json.path("choices").path(0);
        if ("content_filter".equals(choice.path("finish_reason").asText())) {
            throw failure(new ModelFailure.Refused("finish_reason content_filter"));
        }
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual()) {
            throw failure(new ModelFailure.Unavailable("response without choices[0].message.content"));
        }
        JsonNode usage = json.path("usage");
        return new ModelReply(content.asText(), tier.modelId(), new TokenUsage(usage.path("prompt_tokens").asInt(0),
                usage.path("completion_tokens").asInt(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asInt(0)));
    }

    static ModelFailure classify(Throwable error, Duration timeout) {
        return switch (SdkFailures.unwrap(error)) {
            case ModelErrorException e -> fromContainer(e);
            // ModelNotReady arrives as HTTP 429 but means "not serving yet", not "slow down".
            case ModelNotReadyException e -> new ModelFailure.Unavailable("ModelNotReadyException");
            case ValidationErrorException e when SdkFailures.saysInputTooLong(SdkFailures.message(e)) ->
                    new ModelFailure.ContextTooLong("ValidationError: input too long");
            case ValidationErrorException e -> new ModelFailure.Unavailable("ValidationError");
            case InternalFailureException e -> new ModelFailure.Unavailable("InternalFailure");
            case ServiceUnavailableException e -> new ModelFailure.Unavailable("ServiceUnavailable");
            case InternalDependencyException e -> new ModelFailure.Unavailable("InternalDependencyException");
            case Throwable e -> SdkFailures.classify(e, timeout);
        };
    }

    /** The container's own status, as vLLM answered, decides. */
    private static ModelFailure fromContainer(ModelErrorException e) {
        int status = e.originalStatusCode() == null ? 0 : e.originalStatusCode();
        String what = "ModelError, container HTTP " + status;
        if (status == 429) {
            return new ModelFailure.Throttled(what);
        }
        if (status == 400 && SdkFailures.saysInputTooLong(e.originalMessage())) {
            return new ModelFailure.ContextTooLong(what + ", context length");
        }
        if (status == 408 || status == 504) {
            return new ModelFailure.TimedOut(what);
        }
        return new ModelFailure.Unavailable(what);
    }

    private ModelCallException failure(ModelFailure failure) {
        return new ModelCallException(tier.name(), failure);
    }
}
