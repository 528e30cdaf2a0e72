package io.cato.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.config.Json;
import io.cato.model.Capability;
import io.cato.model.ChatMessage;
import io.cato.model.ModelCallException;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.ResponseFormat;
import io.cato.model.StructuredOutputModelClient;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.model.ToolCall;
import io.cato.model.FinishReason;
import io.cato.model.ToolChoice;
import io.cato.routing.Tier;
import io.cato.testing.InMemoryCato;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every field of OpenAI's chat completions request is honoured (and reaches the tier) or refused with
 * {@code unsupported_parameter} naming it; combinations a tier cannot take are refused before any answer.
 */
class ChatCompletionsFieldsTest {
    /** The request fields of OpenAI's chat completions API (openai 6.30.1, ChatCompletionCreateParamsBase). */
    static final Set<String> OPENAI_FIELDS = Set.of("messages", "model", "audio", "frequency_penalty", "function_call",
            "functions", "logit_bias", "logprobs", "max_completion_tokens", "max_tokens", "metadata", "modalities", "n",
            "parallel_tool_calls", "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_retention",
            "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store",
            "stream", "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user",
            "verbosity", "web_search_options");
    private static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}";

    private final InMemoryCato cato = new InMemoryCato();
    private final List<ModelRequest> received = new CopyOnWriteArrayList<>();

    private static TierConfig tier(String name, Set<Capability> capabilities) {
        return TierConfig.builder().name(name).provider(Provider.OPENAI).modelId(name + "-model")
                .baseUrl(Optional.of("http://unused")).prices(TierConfig.Prices.FREE).timeout(Duration.ofSeconds(5))
                .contextWindow(8192).historyBudget(4096).maxOutputTokens(512).promptCacheMinTokens(0)
                .capabilities(capabilities).build();
    }

    private Tier answering(String name, Set<Capability> capabilities, Function<ModelRequest, ModelReply> answer) {
        return new Tier(tier(name, capabilities), request -> {
            received.add(request);
            return answer.apply(request);
        });
    }

    private CatoApi capableApi() {
        return cato.api(List.of(answering("strong", EnumSet.allOf(Capability.class),
                r -> new ModelReply("{\"ok\":true}", "strong-model", new TokenUsage(10, 5, 0)))), List.of("strong"));
    }

    private static ApiResponse post(CatoApi api, String path, String body) {
        return api.handle(ApiRequest.json("POST", path, Map.of(), body));
    }

    private static JsonNode json(ApiResponse response) {
        try {
            return Json.newMapper().readTree(response.bodyText());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String chat(String extra) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    @Test
    void theFieldsCatoKnows_areExactlyOpenAisRequestFields() {
        assertThat(OpenAiOptions.KNOWN).isEqualTo(OPENAI_FIELDS);
    }

    /** A value for every field that asks for something; each is honoured (200, effect seen) or refused by name. */
    @Test
    void everyField_isHonouredOrRefusedByName_neverIgnored() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("model", "\"strong\"");
        values.put("audio", "{\"voice\":\"alloy\",\"format\":\"mp3\"}");
        values.put("frequency_penalty", "0.5");
        values.put("function_call", "\"auto\"");
        values.put("functions", "[{\"name\":\"f\",\"parameters\":{}}]");
        values.put("logit_bias", "{\"50256\":-100}");
        values.put("logprobs", "true");
        values.put("max_completion_tokens", "77");
        values.put("max_tokens", "66");
        values.put("metadata", "{\"team\":\"search\"}");
        values.put("modalities", "[\"text\",\"audio\"]");
        values.put("n", "2");
        values.put("parallel_tool_calls", "false");
        values.put("prediction", "{\"type\":\"content\",\"content\":\"x\"}");
        values.put("presence_penalty", "0.5");
        values.put("prompt_cache_key", "\"user-42\"");
        values.put("prompt_cache_retention", "\"24h\"");
        values.put("reasoning_effort", "\"high\"");
        values.put("response_format", "{\"type\":\"json_object\"}");
        values.put("safety_identifier", "\"hash-of-user\"");
        values.put("seed", "7");
        values.put("service_tier", "\"priority\"");
        values.put("stop", "[\"END\"]");
        values.put("store", "true");
        values.put("stream", "false");
        values.put("stream_options", "{\"include_usage\":true}");
        values.put("temperature", "0.3");
        values.put("tool_choice", "\"required\"");
        values.put("tools", "[" + WEATHER + "]");
        values.put("top_logprobs", "3");
        values.put("top_p", "0.8");
        values.put("user", "\"alice\"");
        values.put("verbosity", "\"low\"");
        values.put("web_search_options", "{}");
        assertThat(values.keySet()).as("every field but messages has a case").containsAll(
                OPENAI_FIELDS.stream().filter(f -> !f.equals("messages")).toList());

        Map<String, String> outcome = new LinkedHashMap<>();
        values.forEach((field, value) -> {
            received.clear();
            ApiResponse response = post(capableApi(), "/v1/chat/completions", chat("\"" + field + "\":" + value));
            JsonNode body = json(response);
            outcome.put(field, response.status() == 200 ? "honoured"
                    : response.status() + " " + body.at("/error/code").asText() + " " + body.at("/error/param").asText());
        });

        Map<String, String> expected = new LinkedHashMap<>();
        for (String refused : List.of("audio", "frequency_penalty", "function_call", "functions", "logit_bias",
                "logprobs", "modalities", "prediction", "presence_penalty", "prompt_cache_retention", "reasoning_effort",
                "service_tier", "store", "top_logprobs", "verbosity", "web_search_options")) {
            expected.put(refused, "400 unsupported_parameter " + refused);
        }
        expected.put("stream_options", "400 invalid_request stream_options");
        for (String honoured : List.of("model", "max_completion_tokens", "max_tokens", "metadata", "n",
                "parallel_tool_calls", "prompt_cache_key", "response_format", "safety_identifier", "seed", "stop",
                "stream", "temperature", "tool_choice", "tools", "top_p", "user")) {
            expected.put(honoured, "honoured");
        }
        assertThat(outcome).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void honouredFields_reachTheTier() {
        JsonNode body = json(post(capableApi(), "/v1/chat/completions", chat("\"max_completion_tokens\":77,"
                + "\"temperature\":0.3,\"top_p\":0.8,\"seed\":7,\"stop\":\"END\",\"parallel_tool_calls\":false,"
                + "\"tools\":[" + WEATHER + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\",\"schema\":{\"type\":\"object\"}}}")));

        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("{\"ok\":true}");
        ModelRequest request = received.getLast();
        assertThat(request.maxTokens()).isEqualTo(77);
        assertThat(request.temperature()).isEqualTo(0.3);
        assertThat(request.options().topP()).contains(0.8);
        assertThat(request.options().seed()).contains(7L);
        assertThat(request.options().stop()).containsExactly("END");
        assertThat(request.options().parallelToolCalls()).isFalse();
        assertThat(request.options().tools()).extracting(t -> t.name()).containsExactly("get_weather");
        assertThat(request.options().toolChoice()).isEqualTo(ToolChoice.function("get_weather"));
        assertThat(request.options().responseFormat().kind()).isEqualTo(ResponseFormat.Kind.JSON_SCHEMA);
    }

    @Test
    void nTwo_givesTwoChoices_fromTwoAnswers() {
        JsonNode body = json(post(capableApi(), "/v1/chat/completions", chat("\"n\":2")));

        assertThat(body.path("choices")).hasSize(2);
        assertThat(body.at("/choices/1/index").asInt()).isEqualTo(1);
        assertThat(received).hasSize(2);
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(20);
    }

    @Test
    void unknownFields_areRefusedByName() {
        JsonNode body = json(post(capableApi(), "/v1/chat/completions", chat("\"mock_response\":\"hi\"")));

        assertThat(body.at("/error/code").asText()).isEqualTo("unsupported_parameter");
        assertThat(body.at("/error/param").asText()).isEqualTo("mock_response");
        assertThat(received).isEmpty();
    }

    @Test
    void toolsToAPinnedTierWithoutTools_orToAMemoryOnlyDeployment_areRefused_withoutCallingAModel() {
        CatoApi api = cato.api(List.of(answering("plain", EnumSet.noneOf(Capability.class),
                r -> new ModelReply("prose", "plain-model", TokenUsage.NONE))), List.of("plain"));

        ApiResponse pinned = post(api, "/v1/chat/completions", chat("\"model\":\"plain\",\"tools\":[" + WEATHER + "]"));
        ApiResponse anyTier = post(api, "/v1/chat/completions", chat("\"tools\":[" + WEATHER + "]"));
        ApiResponse memoryOnly = post(cato.api(List.of(), List.of()), "/v1/chat/completions",
                chat("\"response_format\":{\"type\":\"json_object\"}"));

        assertThat(pinned.status()).isEqualTo(400);
        assertThat(json(pinned).at("/error/code").asText()).isEqualTo("unsupported_parameter");
        assertThat(json(pinned).at("/error/message").asText()).contains("model 'plain'").contains("tools");
        assertThat(json(anyTier).at("/error/code").asText()).isEqualTo("unsupported_parameter");
        assertThat(json(memoryOnly).at("/error/code").asText()).isEqualTo("unsupported_parameter");
        assertThat(json(memoryOnly).at("/error/param").asText()).isEqualTo("response_format");
        assertThat(received).isEmpty();
    }

    @Test
    void anImage_goesOnlyToAnImageCapableTier() {
        String png = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(
                new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        String image = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is it?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + png + "\"}}]}]}";
        CatoApi api = cato.api(List.of(
                answering("text_only", EnumSet.of(Capability.TOOLS), r -> new ModelReply("blind", "t", TokenUsage.NONE)),
                answering("vision", EnumSet.of(Capability.IMAGES), r -> new ModelReply("a logo", "v", TokenUsage.NONE))),
                List.of("text_only", "vision"));

        JsonNode body = json(post(api, "/v1/chat/completions", image));
        ApiResponse remote = post(api, "/v1/chat/completions", image.replace(png, "https://example.com/cat.png"));

        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("a logo");
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().messages().getLast().images()).hasSize(1);
        assertThat(remote.status()).isEqualTo(400);
        assertThat(json(remote).at("/error/code").asText()).isEqualTo("remote_image_not_fetched");
    }

    @Test
    void whenEveryCapableTierFails_theCallerGetsAnError_notAToolLessMemoryAnswer() {
        CatoApi api = cato.api(List.of(new Tier(tier("strong", EnumSet.allOf(Capability.class)), request -> {
            throw new ModelCallException("strong", new ModelFailure.Unavailable("down"));
        })), List.of("strong"));

        ApiResponse response = post(api, "/v1/chat/completions", chat("\"tools\":[" + WEATHER + "]"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("capable_tiers_unavailable");
    }

    @Test
    void anAnswerThatMissesTheSchema_isATierFailure_andTheNextCapableTierAnswers() {
        var mapper = Json.newMapper();
        Tier sloppy = answering("sloppy", EnumSet.allOf(Capability.class),
                r -> new ModelReply("Paris, I think.", "s", TokenUsage.NONE));
        Tier exact = answering("exact", EnumSet.allOf(Capability.class),
                r -> new ModelReply("{\"capital\":\"Paris\"}", "e", TokenUsage.NONE));
        CatoApi api = cato.api(List.of(new Tier(sloppy.config(), new StructuredOutputModelClient("sloppy", sloppy.client(), mapper)),
                new Tier(exact.config(), new StructuredOutputModelClient("exact", exact.client(), mapper))),
                List.of("sloppy", "exact"));

        JsonNode body = json(post(api, "/v1/chat/completions", chat("\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"capital\",\"strict\":true,\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"capital\":{\"type\":\"string\"}},\"required\":[\"capital\"],"
                + "\"additionalProperties\":false}}}")));

        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("{\"capital\":\"Paris\"}");
        assertThat(body.at("/cato/fallback_from").asText()).isEqualTo("sloppy");
    }

    @Test
    void aToolRoundTrip_inASession_replaysTheToolCallBeforeTheResult() {
        CatoApi api = cato.api(List.of(answering("strong", EnumSet.allOf(Capability.class), r ->
                r.messages().getLast().role() == ChatMessage.Role.TOOL
                        ? new ModelReply("Sunny in Paris.", "m", TokenUsage.NONE)
                        : new ModelReply("", "m", TokenUsage.NONE, List.of(new ToolCall("call_1", "get_weather",
                                "{\"city\":\"Paris\"}")), FinishReason.TOOL_CALLS))), List.of("strong"));
        Map<String, String> session = Map.of("x-cato-session", "trip");

        JsonNode first = json(api.handle(ApiRequest.json("POST", "/v1/chat/completions", session,
                chat("\"tools\":[" + WEATHER + "]"))));
        JsonNode second = json(api.handle(ApiRequest.json("POST", "/v1/chat/completions", session,
                "{\"tools\":[" + WEATHER + "],\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
                        + "\"content\":\"sunny\"}]}")));

        assertThat(first.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(first.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(first.at("/cato/cache/status").asText()).isEqualTo("off");
        assertThat(second.at("/choices/0/message/content").asText()).isEqualTo("Sunny in Paris.");
        List<ChatMessage> replayed = received.getLast().messages();
        assertThat(replayed).extracting(ChatMessage::role).containsExactly(ChatMessage.Role.USER,
                ChatMessage.Role.ASSISTANT, ChatMessage.Role.TOOL);
        assertThat(replayed.get(1).toolCalls()).extracting(ToolCall::id).containsExactly("call_1");
        assertThat(replayed.get(2).toolCallId()).isEqualTo("call_1");
    }

    @Test
    void aClientCarryingItsOwnToolConversation_isNotGivenTheStoredTurnsAsWell() {
        CatoApi api = cato.api(List.of(answering("strong", EnumSet.allOf(Capability.class), r ->
                r.messages().getLast().role() == ChatMessage.Role.TOOL
                        ? new ModelReply("Sunny in Paris.", "m", TokenUsage.NONE)
                        : new ModelReply("", "m", TokenUsage.NONE, List.of(new ToolCall("call_1", "get_weather",
                                "{\"city\":\"Paris\"}")), FinishReason.TOOL_CALLS))), List.of("strong"));
        post(api, "/v1/chat/completions", chat("\"user\":\"carol\",\"tools\":[" + WEATHER + "]"));

        JsonNode second = json(post(api, "/v1/chat/completions", "{\"user\":\"carol\",\"tools\":[" + WEATHER
                + "],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"call_1\","
                + "\"content\":\"sunny\"}]}"));

        assertThat(second.at("/choices/0/message/content").asText()).isEqualTo("Sunny in Paris.");
        assertThat(received.getLast().messages()).extracting(ChatMessage::role).containsExactly(ChatMessage.Role.USER,
                ChatMessage.Role.ASSISTANT, ChatMessage.Role.TOOL);
    }

    @Test
    void modelsList_namesAutoAndTheDeployedTiers_inOpenAisListFormat() {
        ApiResponse response = capableApi().handle(ApiRequest.of("GET", "/v1/models", Map.of(), null));

        JsonNode body = json(response);
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).containsExactly("auto", "cato", "strong", "memory");
        assertThat(body.at("/data/0/object").asText()).isEqualTo("model");
    }

    @Test
    void embeddingsAndResponses_areAStableNotOffered() {
        for (String path : List.of("/v1/embeddings", "/v1/responses", "/v1/completions")) {
            ApiResponse response = post(capableApi(), path, "{\"input\":\"x\",\"model\":\"auto\"}");
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(json(response).at("/error/code").asText()).as(path).isEqualTo("endpoint_not_offered");
        }
    }

    @Test
    void messagesApi_errorsComeInAnthropicsShape() {
        ApiResponse response = post(capableApi(), "/v1/messages",
                "{\"model\":\"strong\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        JsonNode body = json(response);
        assertThat(response.status()).isEqualTo(400);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.at("/error/message").asText()).contains("max_tokens");
    }

    @Test
    void messagesApi_unsupportedFields_areRefusedByName() {
        ObjectNode request = Json.newMapper().createObjectNode().put("model", "strong").put("max_tokens", 10)
                .put("top_k", 5);
        request.putArray("messages").addObject().put("role", "user").put("content", "hi");

        JsonNode body = json(post(capableApi(), "/v1/messages", request.toString()));

        assertThat(body.at("/error/code").asText()).isEqualTo("unsupported_parameter");
        assertThat(body.at("/error/message").asText()).contains("top_k");
    }
}
