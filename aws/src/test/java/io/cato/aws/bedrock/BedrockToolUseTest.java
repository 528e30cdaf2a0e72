package io.cato.aws.bedrock;

import static io.cato.aws.bedrock.BedrockModelClientTest.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.AwsClients;
import io.cato.aws.testing.BedrockStub;
import io.cato.aws.testing.SdkClientsToClose;
import io.cato.model.ChatMessage;
import io.cato.model.FinishReason;
import io.cato.model.GenerationOptions;
import io.cato.model.ImageInput;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.ResponseFormat;
import io.cato.model.StreamSink;
import io.cato.model.ToolCall;
import io.cato.model.ToolCallDelta;
import io.cato.model.ToolChoice;
import io.cato.model.ToolSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tools, tool results, images and structured output through the real Bedrock Runtime SDK (Converse and
 * ConverseStream) against a loopback stub answering Converse's documented shapes.
 */
class BedrockToolUseTest {
    private static final SdkClientsToClose SDK_CLIENTS = new SdkClientsToClose();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The smallest valid PNG signature plus a few bytes: enough for Converse's format check. */
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};
    private static final ToolSpec WEATHER = new ToolSpec("get_weather", "Current weather in a city.",
            json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));

    private final BedrockStub stub = new BedrockStub();

    private BedrockModelClient client() {
        var tier = BedrockModelClientTest.tier(stub, Duration.ofSeconds(5), 0);
        return new BedrockModelClient(tier, SDK_CLIENTS.add(AwsClients.bedrockRuntime(tier)),
                SDK_CLIENTS.add(AwsClients.bedrockRuntimeAsync(tier)));
    }

    @AfterEach
    void stop() {
        assertThat(stub.violations()).isEmpty();
        stub.close();
    }

    @AfterAll
    static void closeClients() throws InterruptedException {
        SDK_CLIENTS.closeAll();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static GenerationOptions options(List<ToolSpec> tools, ToolChoice choice, ResponseFormat format,
                                             boolean parallel) {
        return GenerationOptions.builder().tools(tools).toolChoice(choice).parallelToolCalls(parallel)
                .responseFormat(format).build();
    }

    private static ModelRequest request(GenerationOptions options, ChatMessage... messages) {
        return new ModelRequest("Be brief.", List.of(messages), 100, 0.2, Duration.ofSeconds(5), options);
    }

    @Test
    void tools_areSentAsToolConfig_andToolUseComesBackAsToolCalls() {
        stub.answering("Let me look.").answeringToolUse(new BedrockStub.ToolUse("tooluse_1", "get_weather",
                "{\"city\":\"Paris\"}"));

        ModelReply reply = client().complete(request(options(List.of(WEATHER), ToolChoice.AUTO, ResponseFormat.TEXT, true),
                ChatMessage.user("Weather in Paris?")));

        assertThat(reply.toolCalls()).containsExactly(new ToolCall("tooluse_1", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(reply.text()).isEqualTo("Let me look.");
        JsonNode config = stub.lastRequest().body().path("toolConfig");
        assertThat(config.at("/tools/0/toolSpec/name").asText()).isEqualTo("get_weather");
        assertThat(config.at("/tools/0/toolSpec/description").asText()).isEqualTo("Current weather in a city.");
        assertThat(config.at("/tools/0/toolSpec/inputSchema/json")).isEqualTo(WEATHER.parameters());
        assertThat(config.path("toolChoice").has("auto")).isTrue();
    }

    @Test
    void toolChoice_requiredIsAny_andAFunctionIsThatTool() {
        client().complete(request(options(List.of(WEATHER), ToolChoice.REQUIRED, ResponseFormat.TEXT, true),
                ChatMessage.user("Weather?")));
        assertThat(stub.lastRequest().body().at("/toolConfig/toolChoice").has("any")).isTrue();

        client().complete(request(options(List.of(WEATHER), ToolChoice.function("get_weather"), ResponseFormat.TEXT,
                true), ChatMessage.user("Weather?")));
        assertThat(stub.lastRequest().body().at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void toolResults_followTheAssistantsToolUse_asAUserMessageOfToolResultBlocks() {
        stub.answering("It is sunny in Paris and raining in Oslo.");

        ModelReply reply = client().complete(request(options(List.of(WEATHER), ToolChoice.AUTO, ResponseFormat.TEXT, true),
                ChatMessage.user("Weather in Paris and Oslo?"),
                ChatMessage.assistant("", List.of(new ToolCall("t1", "get_weather", "{\"city\":\"Paris\"}"),
                        new ToolCall("t2", "get_weather", "{\"city\":\"Oslo\"}"))),
                ChatMessage.toolResult("t1", "{\"sky\":\"sunny\"}", false),
                ChatMessage.toolResult("t2", "station offline", true)));

        assertThat(reply.text()).isEqualTo("It is sunny in Paris and raining in Oslo.");
        assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode messages = stub.lastRequest().body().path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(messages.at("/1/content/0/toolUse/toolUseId").asText()).isEqualTo("t1");
        assertThat(messages.at("/1/content/0/toolUse/input/city").asText()).isEqualTo("Paris");
        assertThat(messages.at("/1/content/1/toolUse/name").asText()).isEqualTo("get_weather");
        assertThat(messages.at("/2/role").asText()).isEqualTo("user");
        assertThat(messages.at("/2/content/0/toolResult/toolUseId").asText()).isEqualTo("t1");
        assertThat(messages.at("/2/content/0/toolResult/content/0/json/sky").asText()).isEqualTo("sunny");
        assertThat(messages.at("/2/content/0/toolResult/status").asText()).isEqualTo("success");
        assertThat(messages.at("/2/content/1/toolResult/content/0/text").asText()).isEqualTo("station offline");
        assertThat(messages.at("/2/content/1/toolResult/status").asText()).isEqualTo("error");
    }

    @Test
    void aConversationWithToolTurns_butNoToolsOffered_stillDefinesTheToolsItCalled() {
        client().complete(request(GenerationOptions.NONE, ChatMessage.user("Weather?"),
                ChatMessage.assistant("", List.of(new ToolCall("t1", "get_weather", "{}"))),
                ChatMessage.toolResult("t1", "sunny", false)));

        assertThat(stub.lastRequest().body().at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void images_areSentAsImageBlocksWithTheirBytes_beforeTheText() {
        client().complete(request(GenerationOptions.NONE,
                ChatMessage.user("What is in this picture?", List.of(new ImageInput("image/png", PNG)))));

        JsonNode content = stub.lastRequest().body().at("/messages/0/content");
        assertThat(content.at("/0/image/format").asText()).isEqualTo("png");
        assertThat(Base64.getDecoder().decode(content.at("/0/image/source/bytes").asText())).isEqualTo(PNG);
        assertThat(content.at("/1/text").asText()).isEqualTo("What is in this picture?");
    }

    @Test
    void structuredOutput_forcesATool_withTheSchema_andItsInputIsTheAnswer() {
        JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"capital\":{\"type\":\"string\"}},"
                + "\"required\":[\"capital\"]}");
        stub.answering().answeringToolUse(new BedrockStub.ToolUse("t9", "capital", "{\"capital\":\"Paris\"}"));

        ModelReply reply = client().complete(request(options(List.of(), ToolChoice.AUTO,
                ResponseFormat.jsonSchema("capital", schema, true), true), ChatMessage.user("Capital of France?")));

        assertThat(json(reply.text())).isEqualTo(json("{\"capital\":\"Paris\"}"));
        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode config = stub.lastRequest().body().path("toolConfig");
        assertThat(config.at("/tools/0/toolSpec/name").asText()).isEqualTo("capital");
        assertThat(config.at("/tools/0/toolSpec/inputSchema/json")).isEqualTo(schema);
        assertThat(config.at("/toolChoice/tool/name").asText()).isEqualTo("capital");
    }

    @Test
    void stopSequencesAndTopP_goToTheInferenceConfig_andAMaxTokensStopIsLength() {
        stub.stopReason("max_tokens").answering("Paris is");
        GenerationOptions options = GenerationOptions.builder().stop(List.of("END", "STOP")).topP(Optional.of(0.9))
                .build();

        ModelReply reply = client().complete(request(options, ChatMessage.user("Capital?")));

        assertThat(reply.finishReason()).isEqualTo(FinishReason.LENGTH);
        JsonNode inference = stub.lastRequest().body().path("inferenceConfig");
        assertThat(inference.path("stopSequences")).hasSize(2);
        assertThat(inference.path("stopSequences").get(0).asText()).isEqualTo("END");
        assertThat(inference.path("topP").asDouble()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void parallelToolCallsOff_keepsTheFirstCallOnly() {
        stub.answering().answeringToolUse(new BedrockStub.ToolUse("a", "get_weather", "{\"city\":\"Paris\"}"),
                new BedrockStub.ToolUse("b", "get_weather", "{\"city\":\"Oslo\"}"));

        ModelReply reply = client().complete(request(options(List.of(WEATHER), ToolChoice.AUTO, ResponseFormat.TEXT,
                false), ChatMessage.user("Weather in Paris and Oslo?")));

        assertThat(reply.toolCalls()).extracting(ToolCall::id).containsExactly("a");
    }

    @Test
    void streamedToolUse_isRelayedAsToolCallPieces_andAssembledInTheReply() {
        stub.answering("Checking. ").answeringToolUse(new BedrockStub.ToolUse("tooluse_7", "get_weather",
                "{\"city\":\"Paris\"}"));
        List<String> text = new CopyOnWriteArrayList<>();
        List<ToolCallDelta> pieces = new CopyOnWriteArrayList<>();

        ModelReply reply = client().stream(request(options(List.of(WEATHER), ToolChoice.AUTO, ResponseFormat.TEXT, true),
                ChatMessage.user("Weather in Paris?")), new StreamSink() {
                    @Override
                    public void accept(String delta) {
                        text.add(delta);
                    }

                    @Override
                    public void toolCall(ToolCallDelta delta) {
                        pieces.add(delta);
                    }
                });

        assertThat(String.join("", text)).isEqualTo("Checking. ");
        assertThat(pieces.getFirst()).isEqualTo(ToolCallDelta.start(0, "tooluse_7", "get_weather"));
        assertThat(pieces.stream().map(ToolCallDelta::argumentsFragment).reduce("", String::concat))
                .isEqualTo("{\"city\":\"Paris\"}");
        assertThat(pieces.size()).as("the input came in more than one piece").isGreaterThan(2);
        assertThat(reply.toolCalls()).containsExactly(new ToolCall("tooluse_7", "get_weather", "{\"city\":\"Paris\"}"));
        assertThat(reply.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(stub.lastRequest().path()).endsWith("/converse-stream");
        assertThat(stub.lastRequest().body().at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void streamedStructuredOutput_streamsTheSchemaToolsInputAsTheAnswersText() {
        JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"capital\":{\"type\":\"string\"}}}");
        stub.answering().answeringToolUse(new BedrockStub.ToolUse("t1", "capital", "{\"capital\":\"Paris\"}"));
        List<String> text = new CopyOnWriteArrayList<>();

        ModelReply reply = client().stream(request(options(List.of(), ToolChoice.AUTO,
                ResponseFormat.jsonSchema("capital", schema, false), true), ChatMessage.user("Capital of France?")),
                text::add);

        assertThat(json(String.join("", text))).isEqualTo(json("{\"capital\":\"Paris\"}"));
        assertThat(json(reply.text())).isEqualTo(json("{\"capital\":\"Paris\"}"));
        assertThat(reply.toolCalls()).isEmpty();
        assertThat(reply.model()).isEqualTo(MODEL);
    }
}
