package io.cato.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A tier served by anything that speaks OpenAI's chat completions API: vLLM, Ollama, llama.cpp,
 * or the legacy LiteLLM proxy. Provider errors become typed {@link ModelFailure}s here.
 */
public final class OpenAiCompatibleModelClient implements ModelClient {
    private final TierConfig tier;
    private final URI endpoint;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final URI models;
    private final AtomicBoolean upgrading = new AtomicBoolean();
    private volatile boolean upgradeRefused;

    public OpenAiCompatibleModelClient(TierConfig tier, HttpClient http, ObjectMapper mapper) {
        this.tier = tier;
        String base = tier.baseUrl().orElseThrow(() -> new IllegalArgumentException(tier.name() + " has no base_url"));
        this.endpoint = URI.create(base.replaceAll("/+$", "") + "/chat/completions");
        this.models = URI.create(base.replaceAll("/+$", "") + "/models");
        this.http = http;
        this.mapper = mapper;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        try (InputStream body = send(request, false)) {
            JsonNode json = mapper.readTree(body);
            JsonNode choice = json.path("choices").path(0);
            if ("content_filter".equals(choice.path("finish_reason").asText())) {
                throw failure(new ModelFailure.Refused("finish_reason content_filter"));
            }
            JsonNode message = choice.path("message");
            List<ToolCall> calls = OpenAiWireFormat.toolCalls(message);
            JsonNode content = message.path("content");
            if (!content.isTextual() && calls.isEmpty()) {
                throw failure(new ModelFailure.Unavailable("response without choices[0].message.content"));
            }
            FinishReason finish = calls.isEmpty() ? FinishReason.fromOpenAi(choice.path("finish_reason").asText())
                    : FinishReason.TOOL_CALLS;
            return new ModelReply(content.asText(""), json.path("model").asText(tier.modelId()),
                    usage(json.path("usage")), calls, finish);
        } catch (TimedBody.StalledException e) {
            throw failure(new ModelFailure.TimedOut("answer not read in time: " + e.getMessage()));
        } catch (IOException e) {
            throw failure(new ModelFailure.Unavailable("unreadable response: " + e.getClass().getSimpleName()));
        }
    }

    @Override
    public ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        InputStream body = send(request, true);
        StringBuilder text = new StringBuilder();
        String model = tier.modelId();
        TokenUsage usage = null;
        String finishReason = null;
        boolean finished = false;
        OpenAiWireFormat.ToolCallAssembler calls = new OpenAiWireFormat.ToolCallAssembler();
        try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) {
                    finished = true;
                    break;
                }
                JsonNode chunk = mapper.readTree(data);
                model = chunk.path("model").asText(model);
                if (chunk.hasNonNull("usage")) {
                    usage = usage(chunk.get("usage"));
                }
                JsonNode choice = chunk.path("choices").path(0);
                if (choice.hasNonNull("finish_reason")) {
                    finishReason = choice.get("finish_reason").asText();
                    finished = true;
                }
                calls.add(choice.path("delta").path("tool_calls"), onDelta);
                String delta = choice.path("delta").path("content").asText("");
                if (!delta.isEmpty()) {
                    text.append(delta);
                    onDelta.accept(delta);
                }
            }
        } catch (TimedBody.StalledException e) {
            throw failure(new ModelFailure.TimedOut("stream stalled: " + e.getMessage()));
        } catch (IOException e) {
            throw failure(new ModelFailure.Unavailable("stream broke: " + e.getClass().getSimpleName()));
        }
        if (!finished) {
            // The connection closed before the answer said it was over: what arrived may be cut anywhere.
            throw failure(new ModelFailure.Unavailable("stream ended before its last chunk"));
        }
        if ("content_filter".equals(finishReason)) {
            throw failure(new ModelFailure.Refused("finish_reason content_filter"));
        }
        List<ToolCall> toolCalls = calls.calls();
        return new ModelReply(text.toString(), model, usage != null ? usage : estimated(request, text), toolCalls,
                toolCalls.isEmpty() ? FinishReason.fromOpenAi(finishReason) : FinishReason.TOOL_CALLS);
    }

    /**
     * Sends the request and returns its body once the status says it is an answer. The body is read under the tier's
     * time-out between pieces and the request's deadline in all ({@link TimedBody}); closing it cancels the call.
     */
    private InputStream send(ModelRequest request, boolean stream) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(min(tier.timeout(), request.deadline()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(request, stream)));
        tier.apiKey().ifPresent(key -> builder.header("authorization", "Bearer " + key));
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofPublisher());
        } catch (HttpTimeoutException e) {
            throw failure(new ModelFailure.TimedOut("no response within " + min(tier.timeout(), request.deadline())));
        } catch (IOException e) {
            throw failure(new ModelFailure.Unavailable(e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(new ModelFailure.Unavailable("interrupted"));
        }
        if (response.version() == HttpClient.Version.HTTP_1_1 && wantsCleartextHttp2()) {
            upgradeConnection();
        }
        TimedBody body = TimedBody.of(response.body(), tier.timeout(), request.deadline());
        if (response.statusCode() / 100 != 2) {
            throw failure(classify(response.statusCode(), drain(body)));
        }
        return body;
    }

    private boolean wantsCleartextHttp2() {
        return http.version() == HttpClient.Version.HTTP_2 && "http".equals(endpoint.getScheme()) && !upgradeRefused;
    }

    /**
     * Servers upgrade a cleartext connection to HTTP/2 (h2c) only on a request without a body, so a
     * chat completion never upgrades its own. One GET of the model list does, in the background; later
     * calls then share that connection as HTTP/2 streams instead of opening one connection each. A
     * server that answers it in HTTP/1.1 has no h2c, and is not asked again.
     */
    private void upgradeConnection() {
        if (!upgrading.compareAndSet(false, true)) {
            return;
        }
        HttpRequest.Builder get = HttpRequest.newBuilder(models).timeout(tier.timeout()).GET();
        tier.apiKey().ifPresent(key -> get.header("authorization", "Bearer " + key));
        http.sendAsync(get.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (response != null && response.version() == HttpClient.Version.HTTP_1_1) {
                upgradeRefused = true;
            }
            upgrading.set(false);
        });
    }

    private byte[] body(ModelRequest request, boolean stream) {
        return OpenAiWireFormat.body(mapper, tier, request, stream).toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Maps an error status to a failure type, reading OpenAI's and vLLM's error bodies. */
    static ModelFailure classify(int status, String body) {
        String lower = body.toLowerCase(Locale.ROOT);
        if (status == 429) {
            return new ModelFailure.Throttled("HTTP 429");
        }
        if (status == 408 || status == 504) {
            return new ModelFailure.TimedOut("HTTP " + status);
        }
        if (status == 400 && (lower.contains("context_length") || lower.contains("maximum context length")
                || lower.contains("context window"))) {
            return new ModelFailure.ContextTooLong("HTTP 400 context length");
        }
        if (lower.contains("content_filter") || lower.contains("content_policy") || lower.contains("content policy")) {
            return new ModelFailure.Refused("HTTP " + status + " content policy");
        }
        return new ModelFailure.Unavailable("HTTP " + status);
    }

    private static TokenUsage usage(JsonNode usage) {
        return new TokenUsage(usage.path("prompt_tokens").asInt(0), usage.path("completion_tokens").asInt(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asInt(0));
    }

    /** Usage for a server that streamed no usage chunk: the whole prompt, its system prompt included, and the answer. */
    private static TokenUsage estimated(ModelRequest request, CharSequence answer) {
        int input = request.messages().stream().mapToInt(m -> io.cato.model.TokenEstimator.estimateMessage(m.content())).sum()
                + (request.system() == null ? 0 : io.cato.model.TokenEstimator.estimateMessage(request.system()));
        return new TokenUsage(input, io.cato.model.TokenEstimator.estimate(answer.toString()), 0);
    }

    private static String drain(InputStream body) {
        try (body) {
            return new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private ModelCallException failure(ModelFailure failure) {
        return new ModelCallException(tier.name(), failure);
    }
}
