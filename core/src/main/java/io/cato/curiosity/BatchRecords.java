package io.cato.curiosity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSONL of a Bedrock batch job for an Anthropic model. Input: one line per record,
 * {@code {"recordId", "modelInput"}}, the model input being an InvokeModel Messages API body
 * ({@code anthropic_version}, {@code max_tokens}, {@code system}, {@code messages}). Output
 * ({@code *.jsonl.out}): the same line with {@code modelOutput} (a Messages API response) or,
 * for a record that failed, {@code error} {@code {errorCode, errorMessage}}.
 */
public final class BatchRecords {
    /** The Messages API version Bedrock requires in every Anthropic request body. */
    public static final String ANTHROPIC_VERSION = "bedrock-2023-05-31";
    /** What the model answers when it does not know; such answers become no fact. */
    public static final String UNKNOWN = "UNKNOWN";
    static final String SYSTEM = "You answer questions for a knowledge base. Reply with at most five short, "
            + "self-contained declarative sentences of fact, each naming its subject, with no hedging, no "
            + "questions and no talk about yourself. If you do not know the answer, reply with the single word "
            + UNKNOWN + ".";

    /** One line of a {@code .jsonl.out} file: {@code answer} when the model answered, {@code error} when not. */
    public record Result(String recordId, Optional<String> answer, Optional<String> error) {
    }

    private final ObjectMapper mapper;
    private final int maxTokens;

    public BatchRecords(ObjectMapper mapper, int maxTokens) {
        this.mapper = mapper;
        this.maxTokens = maxTokens;
    }

    /** The input JSONL: one {@code {"recordId", "modelInput"}} line per gap. */
    public byte[] input(List<KnowledgeGap> gaps) {
        StringBuilder out = new StringBuilder();
        for (KnowledgeGap gap : gaps) {
            ObjectNode line = mapper.createObjectNode().put("recordId", gap.recordId());
            line.set("modelInput", modelInput(gap));
            out.append(line).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    ObjectNode modelInput(KnowledgeGap gap) {
        ObjectNode input = mapper.createObjectNode().put("anthropic_version", ANTHROPIC_VERSION)
                .put("max_tokens", maxTokens).put("system", SYSTEM);
        ObjectNode message = input.putArray("messages").addObject().put("role", "user");
        message.putArray("content").addObject().put("type", "text")
                .put("text", "Topic: " + gap.domain() + "\nQuestion: " + gap.question());
        return input;
    }

    /** The lines of one {@code .jsonl.out} file; a line that is not JSON or has no recordId is skipped. */
    public List<Result> results(byte[] jsonl) {
        List<Result> results = new ArrayList<>();
        for (String line : new String(jsonl, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = parse(line);
            if (node == null || !node.hasNonNull("recordId")) {
                continue;
            }
            results.add(result(node));
        }
        return results;
    }

    private Result result(JsonNode node) {
        String recordId = node.get("recordId").asText();
        if (node.hasNonNull("error")) {
            JsonNode error = node.get("error");
            String text = error.isObject()
                    ? error.path("errorCode").asText("?") + " " + error.path("errorMessage").asText("")
                    : error.asText();
            return new Result(recordId, Optional.empty(), Optional.of(text.strip()));
        }
        JsonNode output = node.path("modelOutput");
        StringBuilder text = new StringBuilder();
        for (JsonNode block : output.path("content")) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText()).append('\n');
            }
        }
        if (text.isEmpty()) {
            return new Result(recordId, Optional.empty(), Optional.of("no text in modelOutput"));
        }
        return new Result(recordId, Optional.of(text.toString().strip()), Optional.empty());
    }

    private JsonNode parse(String line) {
        try {
            return mapper.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** Gaps as JSONL, to keep next to the batch input (tenant, domain and question of each record). */
    public byte[] gapsFile(List<KnowledgeGap> gaps) {
        StringBuilder out = new StringBuilder();
        gaps.forEach(gap -> out.append(mapper.valueToTree(gap).toString()).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public List<KnowledgeGap> readGaps(byte[] jsonl) {
        List<KnowledgeGap> gaps = new ArrayList<>();
        for (String line : new String(jsonl, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                try {
                    gaps.add(mapper.readValue(line, KnowledgeGap.class));
                } catch (IOException e) {
                    throw new UncheckedIOException("unreadable gaps file", e);
                }
            }
        }
        return gaps;
    }
}
