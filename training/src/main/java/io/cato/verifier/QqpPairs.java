package io.cato.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads labelled pairs from JSON lines of the form {@code {"text_a":..,"text_b":..,"label":0|1}}. */
public final class QqpPairs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QqpPairs() {
    }

    public static List<QqpPair> read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} pairs of the file.
     *
     * @throws IllegalArgumentException naming the file and line of a line that is not such a pair
     */
    public static List<QqpPair> read(Path file, int limit) throws IOException {
        List<QqpPair> pairs = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null && pairs.size() < limit) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": not JSON", e);
                }
                if (!node.path("text_a").isTextual() || !node.path("text_b").isTextual() || !node.has("label")) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": needs text_a, text_b and label");
                }
                pairs.add(new QqpPair(node.get("text_a").asText(), node.get("text_b").asText(),
                        node.get("label").asInt() == 1));
            }
        }
        return pairs;
    }
}
