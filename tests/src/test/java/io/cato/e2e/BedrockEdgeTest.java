package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cato.aws.testing.BedrockStub;
import io.cato.local.LocalCato;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both APIs over HTTP, answered by a Bedrock tier (the real AWS SDK against the Converse stub): tool calls whole
 * and streamed in OpenAI's chunks and Anthropic's events, tool results, images and structured output, mapped to
 * Converse's shapes on the way out and back.
 */
class BedrockEdgeTest {
    private static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}";
    @TempDir
    static Path data;
    private static BedrockStub bedrock;
    private static LocalCato cato;
    private static Http http;

    @BeforeAll
    static void start() {
        bedrock = new BedrockStub();
        cato = RunningCato.start(data, Map.of("CATO_CACHE_ENABLED", "false", "CATO_CONFIG_JSON", """
                {"tiers": [
                  {"name": "claude", "provider": "bedrock", "model_id": "anthropic.claude-haiku-4-5-20251001-v1:0",
                   "region": "us-east-1", "endpoint": "%s", "context_window": 200000, "history_budget": 8000,
                   "max_output_tokens": 1024, "prompt_cache_min_tokens": 0},
                  {"name": "memory", "provider": "memory", "model_id": "memory", "context_window": 32000,
                   "history_budget": 16000, "max_output_tokens": 1000}],
                 "fallback_chain": ["claude", "memory"]}
                """.formatted(bedrock.endpoint())));
        http = new Http(cato.port());
    }

    @AfterAll
    static void stop() {
        cato.close();
        bedrock.close();
    }

    @BeforeEach
    void noToolUseByDefault() {
        bedrock.answering("Paris is the capital.").answeringToolUse().stopReason("end_turn");
    }

    private static JsonNode lastConverse() {
        assertThat(bedrock.violations()).isEmpty();
        return bedrock.lastRequest().body();
    }

    private static List<JsonNode> events(String body) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                events.add(Http.json(line.substring(6)));
            }
        }
        return events;
    }

    @Test
    void chatWithTools_whole_returnsConversesToolUseAsToolCalls() {
        bedrock.answering().answeringToolUse(new BedrockStub.ToolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\"}"));

        JsonNode body = Http.json(http.postJson("/v1/chat/completions", "{\"tools\":[" + WEATHER + "],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}").body());

        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(body.at("/choices/0/message/tool_calls/0/id").asText()).isEqualTo("tooluse_1");
        assertThat(Http.json(body.at("/choices/0/message/tool_calls/0/function/arguments").asText()).path("city").asText())
                .isEqualTo("Paris");
        assertThat(lastConverse().at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("get_weather");
    }

    @Test
    void chatWithTools_streamed_sendsToolCallDeltasInOpenAisChunks() {
        bedrock.answering().answeringToolUse(new BedrockStub.ToolUse("tooluse_2", "get_weather", "{\"city\":\"Oslo\"}"));

        List<JsonNode> chunks = events(http.postJson("/v1/chat/completions", "{\"stream\":true,\"tools\":[" + WEATHER
                + "],\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Oslo?\"}]}").body());

        List<JsonNode> calls = chunks.stream().map(c -> c.at("/choices/0/delta/tool_calls/0")).filter(n -> !n.isMissingNode())
                .toList();
        assertThat(calls.getFirst().path("id").asText()).isEqualTo("tooluse_2");
        assertThat(calls.getFirst().path("type").asText()).isEqualTo("function");
        assertThat(calls.getFirst().at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(calls).allSatisfy(c -> assertThat(c.path("index").asInt()).isZero());
        assertThat(calls.stream().map(c -> c.at("/function/arguments").asText()).reduce("", String::concat))
                .isEqualTo("{\"city\":\"Oslo\"}");
        assertThat(chunks.stream().map(c -> c.at("/choices/0/finish_reason").asText()).filter(r -> !r.isEmpty()
                && !r.equals("null"))).containsExactly("tool_calls");
    }

    @Test
    void aToolResult_reachesConverseAsAToolResultBlock() {
        bedrock.answering("Sunny in Paris.");

        JsonNode body = Http.json(http.postJson("/v1/chat/completions", "{\"tools\":[" + WEATHER + "],\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"tooluse_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"tooluse_1\",\"content\":\"{\\\"sky\\\":\\\"sunny\\\"}\"}]}").body());

        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("Sunny in Paris.");
        JsonNode messages = lastConverse().path("messages");
        assertThat(messages.at("/1/content/0/toolUse/toolUseId").asText()).isEqualTo("tooluse_1");
        assertThat(messages.at("/2/content/0/toolResult/content/0/json/sky").asText()).isEqualTo("sunny");
    }

    @Test
    void messagesApi_streamedToolUse_comesAsAnthropicToolUseBlocks() {
        bedrock.answering("Checking. ").answeringToolUse(new BedrockStub.ToolUse("tooluse_3", "get_weather",
                "{\"city\":\"Rome\"}"));

        List<JsonNode> events = events(http.postJson("/v1/messages", "{\"model\":\"auto\",\"max_tokens\":200,"
                + "\"stream\":true,\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Rome?\"}]}", "anthropic-version", "2023-06-01",
                "x-api-key", "local").body());

        assertThat(events).extracting(e -> e.path("type").asText()).containsSubsequence("message_start",
                "content_block_start", "content_block_delta", "content_block_stop", "content_block_start",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        JsonNode toolStart = events.stream().filter(e -> e.at("/content_block/type").asText().equals("tool_use"))
                .findFirst().orElseThrow();
        assertThat(toolStart.at("/content_block/id").asText()).isEqualTo("tooluse_3");
        assertThat(toolStart.path("index").asInt()).isEqualTo(1);
        assertThat(events.stream().filter(e -> e.at("/delta/type").asText().equals("input_json_delta"))
                .map(e -> e.at("/delta/partial_json").asText()).reduce("", String::concat)).isEqualTo("{\"city\":\"Rome\"}");
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("message_delta")).findFirst().orElseThrow()
                .at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void structuredOutput_isConversesForcedToolInput_checkedAgainstTheSchema() {
        bedrock.answering().answeringToolUse(new BedrockStub.ToolUse("t", "capital", "{\"capital\":\"Paris\"}"));

        JsonNode body = Http.json(http.postJson("/v1/chat/completions", "{\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"capital\",\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":"
                + "{\"capital\":{\"type\":\"string\"}},\"required\":[\"capital\"],\"additionalProperties\":false}}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}").body());

        assertThat(Http.json(body.at("/choices/0/message/content").asText()).path("capital").asText()).isEqualTo("Paris");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(lastConverse().at("/toolConfig/toolChoice/tool/name").asText()).isEqualTo("capital");
    }

    @Test
    void anImage_reachesConverseAsAnImageBlock() {
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

        http.postJson("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,"
                + png + "\"}}]}]}");

        JsonNode content = lastConverse().at("/messages/0/content");
        assertThat(content.at("/0/image/format").asText()).isEqualTo("png");
        assertThat(content.at("/0/image/source/bytes").asText()).isEqualTo(png);
    }
}
