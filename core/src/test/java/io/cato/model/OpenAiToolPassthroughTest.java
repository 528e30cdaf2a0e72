package io.cato.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.config.Json;
import io.cato.testing.OpenAiStub;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tools, tool results, images and structured output pass through to an OpenAI-compatible server as it takes them. */
class OpenAiToolPassthroughTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OpenAiStub stub = new OpenAiStub();

    private OpenAiCompatibleModelClient client(Set<Capability> capabilities) {
        TierConfig tier = TierConfig.builder().name("vllm").provider(Provider.OPENAI).modelId("llama")
                .baseUrl(Optional.of(stub.baseUrl().toString())).prices(TierConfig.Prices.FREE)
                .timeout(Duration.ofSeconds(5)).contextWindow(8192).historyBudget(4096).maxOutputTokens(512)
                .promptCacheMinTokens(0).capabilities(capabilities).build();
        return new OpenAiCompatibleModelClient(tier, HttpClient.newHttpClient(), Json.newMapper());
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ModelRequest toolConversation(GenerationOptions options) {
        return new ModelRequest(null, List.of(
                ChatMessage.user("What is in the picture, and the weather there?",
                        List.of(new ImageInput("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}))),
                ChatMessage.assistant("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
                ChatMessage.toolResult("call_1", "sunny", false)), 100, 0.2, Duration.ofSeconds(5), options);
    }

    @Test
    void theRequest_carriesToolsChoiceFormatSamplingImagesAndToolTurns() {
        GenerationOptions options = GenerationOptions.builder()
                .tools(List.of(new ToolSpec("get_weather", "Weather.", json("{\"type\":\"object\"}"))))
                .toolChoice(ToolChoice.function("get_weather")).parallelToolCalls(false)
                .responseFormat(ResponseFormat.jsonSchema("answer", json("{\"type\":\"object\"}"), true))
                .stop(List.of("END")).seed(Optional.of(7L)).topP(Optional.of(0.5)).build();

        client(EnumSet.allOf(Capability.class)).complete(toolConversation(options));

        JsonNode body = json(stub.requestBodies().getLast());
        assertThat(body.at("/tools/0/type").asText()).isEqualTo("function");
        assertThat(body.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(body.at("/tool_choice/function/name").asText()).isEqualTo("get_weather");
        assertThat(body.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/response_format/json_schema/name").asText()).isEqualTo("answer");
        assertThat(body.at("/stop/0").asText()).isEqualTo("END");
        assertThat(body.path("seed").asLong()).isEqualTo(7);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.5);
        JsonNode messages = body.path("messages");
        assertThat(messages.at("/0/content/1/image_url/url").asText()).isEqualTo("data:image/png;base64,iVBORw==");
        assertThat(messages.at("/1/content").isNull()).isTrue();
        assertThat(messages.at("/1/tool_calls/0/id").asText()).isEqualTo("call_1");
        assertThat(messages.at("/1/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(messages.at("/2/role").asText()).isEqualTo("tool");
        assertThat(messages.at("/2/tool_call_id").asText()).isEqualTo("call_1");
    }

    @Test
    void aTierWithoutTools_seesEarlierToolTurnsAsText() {
        client(EnumSet.noneOf(Capability.class)).complete(toolConversation(GenerationOptions.NONE));

        JsonNode messages = json(stub.requestBodies().getLast()).path("messages");
        assertThat(messages.at("/1/tool_calls").isMissingNode()).isTrue();
        assertThat(messages.at("/1/content").asText()).contains("get_weather").contains("Paris");
        assertThat(messages.at("/2/role").asText()).isEqualTo("user");
        assertThat(messages.at("/2/content").asText()).contains("sunny");
    }

    @Test
    void aWholeAnswer_withToolCalls_becomesToolCallsAndTheirFinishReason() {
        stub.answeringRaw("{\"model\":\"llama\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c9\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4}}");

        ModelReply reply = client(EnumSet.allOf(Capability.class)).complete(toolConversation(GenerationOptions.NONE));

        assertThat(reply.toolCalls()).containsExactly(new ToolCall("c9", "get_weather", "{\"city\":\"Oslo\"}"));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(reply.text()).isEmpty();
    }

    @Test
    void aTruncatedAnswer_endsWithLength() {
        stub.answeringRaw("{\"model\":\"llama\",\"choices\":[{\"index\":0,\"finish_reason\":\"length\",\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"Paris is\"}}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}");

        assertThat(client(EnumSet.allOf(Capability.class)).complete(toolConversation(GenerationOptions.NONE))
                .finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void streamedToolCallDeltas_arePassedOnInPieces_andAssembled() {
        stub.answeringRaw("""
                data: {"model":"llama","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}

                data: {"model":"llama","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]}}]}

                data: {"model":"llama","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\\"Paris\\"}"}}]}}]}

                data: {"model":"llama","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

                data: [DONE]

                """);
        List<ToolCallDelta> pieces = new CopyOnWriteArrayList<>();

        ModelReply reply = client(EnumSet.allOf(Capability.class)).stream(toolConversation(GenerationOptions.NONE),
                new StreamSink() {
                    @Override
                    public void accept(String text) {
                        throw new AssertionError("no text was streamed");
                    }

                    @Override
                    public void toolCall(ToolCallDelta delta) {
                        pieces.add(delta);
                    }
                });

        assertThat(pieces).containsExactly(ToolCallDelta.start(0, "c1", "get_weather"),
                ToolCallDelta.arguments(0, "{\"city\":"), ToolCallDelta.arguments(0, "\"Paris\"}"));
        assertThat(reply.toolCalls()).containsExactly(new ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    }
}
