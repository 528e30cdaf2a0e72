package io.cato.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryAnswererTest {
    private final MemoryAnswerer memory = new MemoryAnswerer();

    private static ModelRequest ask(String system, String query, String... history) {
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < history.length; i++) {
            messages.add(i % 2 == 0 ? ChatMessage.user(history[i]) : ChatMessage.assistant(history[i]));
        }
        messages.add(ChatMessage.user(query));
        return new ModelRequest(system, messages, 100, 0, Duration.ofSeconds(1));
    }

    @Test
    void question_answeredEarlierInConversation_quotesIt() {
        ModelReply reply = memory.complete(ask(null, "What is my name?", "My name is Alice", MemoryAnswerer.NOTED));

        assertThat(reply.text()).contains("Alice");
        assertThat(reply.model()).isEqualTo("memory");
    }

    @Test
    void question_withoutContext_saysItCannotAnswer() {
        assertThat(memory.complete(ask(null, "What is my name?")).text()).isEqualTo(MemoryAnswerer.UNKNOWN);
    }

    @Test
    void statement_isAcknowledged() {
        assertThat(memory.complete(ask(null, "My name is Alice")).text()).isEqualTo(MemoryAnswerer.NOTED);
    }

    @Test
    void question_usesFactsFromTheSystemPrompt() {
        String facts = "Machine learning is a field of AI that learns patterns from data.";
        assertThat(memory.complete(ask(facts, "What is machine learning?")).text()).isEqualTo(facts);
    }

    @Test
    void question_withCorrection_prefersTheLaterStatement() {
        ModelReply reply = memory.complete(ask(null, "What is my name?",
                "My name is Alice", MemoryAnswerer.NOTED, "Sorry, my name is Bob", MemoryAnswerer.NOTED));
        assertThat(reply.text()).contains("Bob").doesNotContain("Alice");
    }

    @Test
    void question_unrelatedToContext_isNotAnsweredFromIt() {
        assertThat(memory.complete(ask(null, "What is the capital of France?", "My name is Alice", "Noted.")).text())
                .isEqualTo(MemoryAnswerer.UNKNOWN);
    }
}
