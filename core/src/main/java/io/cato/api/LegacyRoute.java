package io.cato.api;

import io.cato.api.ApiException;
import io.cato.api.ApiRequest;
import io.cato.api.ApiResponse;
import io.cato.api.ErrorCode;
import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The path traffic took before Cato: an OpenAI-compatible proxy (LiteLLM). Chat completions are
 * forwarded byte for byte; Cato's own query API is answered through it as a plain chat call.
 */
public final class LegacyRoute {
    private final URI chatCompletions;
    private final Optional<String> apiKey;
    private final HttpClient http;
    private final Duration timeout;
    private final ModelClient client;

    public LegacyRoute(URI baseUrl, Optional<String> apiKey, HttpClient http, Duration timeout, ModelClient client) {
        this.chatCompletions = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/chat/completions");
        this.apiKey = apiKey;
        this.http = http;
        this.timeout = timeout;
        this.client = client;
    }

    /**
     * Asks the legacy endpoint as a model tier, for requests on Cato's query API; its failures are the legacy
     * endpoint's, answered 502 {@code legacy_unavailable} as on the chat completions path.
     */
    public ModelReply complete(ModelRequest request) {
        try {
            return client.complete(request);
        } catch (ModelCallException e) {
            throw new ApiException(ErrorCode.LEGACY_UNAVAILABLE, "the legacy endpoint did not answer: "
                    + e.failure().getClass().getSimpleName());
        }
    }

    public ApiResponse forwardChatCompletion(ApiRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(chatCompletions)
                .timeout(timeout)
                .header("content-type", request.header("content-type").orElse(ApiResponse.JSON))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.header("accept").ifPresent(value -> builder.header("accept", value));
        apiKey.map(key -> "Bearer " + key).or(() -> request.header("authorization"))
                .ifPresent(value -> builder.header("authorization", value));
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("content-type").orElse(ApiResponse.JSON);
            return ApiResponse.bytes(response.statusCode(), type, response.body()).withHeader("x-cato-route", "legacy");
        } catch (IOException e) {
            throw new ApiException(ErrorCode.LEGACY_UNAVAILABLE, "the legacy endpoint did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.LEGACY_UNAVAILABLE, "interrupted while calling the legacy endpoint");
        }
    }
}
