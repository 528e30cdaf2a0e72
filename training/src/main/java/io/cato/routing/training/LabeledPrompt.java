package io.cato.routing.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One line of a routing data file: {@code {"prompt":..., "label":"simple"|"complex", "source":...}}. */
public record LabeledPrompt(String prompt, boolean complex, String source) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a JSON-lines file; blank lines are skipped. */
    public static List<LabeledPrompt> readJsonl(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.filter(line -> !line.isBlank()).map(LabeledPrompt::parse).toList();
        }
    }

    private static LabeledPrompt parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return new LabeledPrompt(
                    node.path("prompt").asText(),
                    "complex".equals(node.path("label").asText()),
                    node.path("source").asText(""));
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed routing record: " + line, e);
        }
    }
}
