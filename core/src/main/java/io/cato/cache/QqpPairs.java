package io.cato.cache;

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
        List<QqpPair> pairs = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode node = JSON.readTree(line);
                    pairs.add(new QqpPair(node.get("text_a").asText(), node.get("text_b").asText(),
                            node.get("label").asInt() == 1));
                }
            }
        }
        return pairs;
    }
}
