package io.cato.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.model.ModelCallException;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelFactExtractorTest {
    private final List<ModelRequest> asked = new ArrayList<>();

    private ModelFactExtractor answering(String reply) {
        return new ModelFactExtractor(request -> {
            asked.add(request);
            return new ModelReply(reply, "haiku", TokenUsage.NONE);
        }, new ObjectMapper(), Duration.ofSeconds(5));
    }

    @Test
    void asksForSchemaJsonAtTemperatureZeroAndKeepsValidFacts() {
        ModelFactExtractor extractor = answering("""
                Here you go: {"facts":[
                  {"statement":"Machine learning is a field of artificial intelligence.","confidence":0.9},
                  {"statement":"Machine learning is a field of artificial intelligence.","confidence":0.9},
                  {"statement":"","confidence":0.5},
                  {"statement":"Models learn patterns from data.","confidence":1.7},
                  {"statement":"Models learn patterns from data.","confidence":0.8},
                  {"confidence":0.8}]}""");

        List<CandidateFact> facts = extractor.extract("What is machine learning?", "Machine learning is ...", "ai");

        assertThat(facts).containsExactly(
                new CandidateFact("Machine learning is a field of artificial intelligence.", 0.9),
                new CandidateFact("Models learn patterns from data.", 0.8));
        ModelRequest request = asked.getFirst();
        assertThat(request.temperature()).isZero();
        assertThat(request.system()).contains(ModelFactExtractor.SCHEMA);
        assertThat(request.query()).contains("Domain: ai", "Question: What is machine learning?",
                "Answer: Machine learning is ...");
    }

    @Test
    void anEmptyFactsListMeansNothingToKeep() {
        assertThat(answering("{\"facts\":[]}").extract("Hi", "Hello there, how can I help?", "general")).isEmpty();
    }

    @Test
    void aReplyThatIsNotTheJsonFallsBackToTheAnswersOwnSentences() {
        List<CandidateFact> facts = answering("Sorry, I cannot produce JSON.")
                .extract("What is Rust?", "Rust is a systems programming language focused on safety.", "code");

        assertThat(facts).extracting(CandidateFact::statement)
                .containsExactly("Rust is a systems programming language focused on safety.");
    }

    @Test
    void anUnreachableModelFailsTheStepSoItIsRetried() {
        ModelFactExtractor extractor = new ModelFactExtractor(request -> {
            throw new ModelCallException("fact_extraction", new ModelFailure.Throttled("429"));
        }, new ObjectMapper(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> extractor.extract("q", "a", "d")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unavailable");
    }
}
