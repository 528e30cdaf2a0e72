package io.cato.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.model.ChatMessage;
import io.cato.model.ModelCallException;
import io.cato.model.ModelClient;
import io.cato.model.ModelRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts facts with a model (in AWS, Claude Haiku on Bedrock): the model is asked, at
 * temperature 0, for JSON matching {@link #SCHEMA}, and only statements that parse, stand on
 * their own and carry a confidence are kept. When the model answers something that is not that
 * JSON, the answer's own declarative sentences are kept instead ({@link ExtractiveFactExtractor}),
 * so a turn is never dropped for a formatting slip; when the model cannot be reached, the call
 * fails and the consolidation step is retried.
 */
public final class ModelFactExtractor implements FactExtractor {
    private static final Logger LOG = LoggerFactory.getLogger(ModelFactExtractor.class);
    static final int MAX_FACTS = 5;
    private static final int MAX_STATEMENT_CHARS = 400;

    /** The JSON schema the model's answer must follow. */
    public static final String SCHEMA = """
            {"type":"object","required":["facts"],"properties":{"facts":{"type":"array","maxItems":5,\
            "items":{"type":"object","required":["statement","confidence"],"properties":{\
            "statement":{"type":"string"},"confidence":{"type":"number","minimum":0,"maximum":1}}}}}}""";

    static final String SYSTEM = """
            You extract durable facts for a knowledge base from one question and the answer it got.
            Reply with JSON only, no prose, matching this JSON schema:
            """ + SCHEMA + """

            Rules: each statement is one self-contained sentence that names its subject (no pronouns
            pointing outside it), is stated by the answer, and stays true over time. Leave out facts about
            the person asking, the conversation itself, opinions, advice and anything time-sensitive.
            confidence is how clearly the answer states it (0 to 1). If there is nothing to keep, reply
            {"facts":[]}.""";

    private final ModelClient model;
    private final ObjectMapper mapper;
    private final Duration deadline;
    private final ExtractiveFactExtractor fallback = new ExtractiveFactExtractor();

    public ModelFactExtractor(ModelClient model, ObjectMapper mapper, Duration deadline) {
        this.model = model;
        this.mapper = mapper;
        this.deadline = deadline;
    }

    @Override
    public List<CandidateFact> extract(String query, String answer, String domain) {
        String prompt = "Domain: " + domain + "\nQuestion: " + query + "\nAnswer: " + answer;
        String reply;
        try {
            reply = model.complete(new ModelRequest(SYSTEM, List.of(ChatMessage.user(prompt)), 600, 0.0, deadline))
                    .text();
        } catch (ModelCallException e) {
            throw new IllegalStateException("fact extraction model unavailable: " + e.failure(), e);
        }
        try {
            return parse(reply);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("fact extraction reply was not the expected JSON; keeping the answer's own sentences");
            return fallback.extract(query, answer, domain);
        }
    }

    List<CandidateFact> parse(String reply) throws IOException {
        int start = reply.indexOf('{');
        int end = reply.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("no JSON object in the reply");
        }
        JsonNode facts = mapper.readTree(reply.substring(start, end + 1)).get("facts");
        if (facts == null || !facts.isArray()) {
            throw new IllegalArgumentException("no facts array");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<CandidateFact> out = new ArrayList<>();
        for (JsonNode fact : facts) {
            JsonNode statement = fact.get("statement");
            JsonNode confidence = fact.get("confidence");
            if (statement == null || !statement.isTextual() || confidence == null || !confidence.isNumber()) {
                continue;
            }
            String text = statement.asText().strip().replaceAll("\\s+", " ");
            double c = confidence.asDouble();
            if (text.isEmpty() || text.length() > MAX_STATEMENT_CHARS || c < 0 || c > 1 || !seen.add(text)) {
                continue;
            }
            out.add(new CandidateFact(text, c));
            if (out.size() == MAX_FACTS) {
                break;
            }
        }
        return out;
    }
}
