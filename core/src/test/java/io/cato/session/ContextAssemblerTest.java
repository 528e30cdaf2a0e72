package io.cato.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.model.ChatMessage;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContextAssemblerTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static List<Turn> turns(int n) {
        return IntStream.rangeClosed(1, n)
                .mapToObj(i -> new Turn(i, "question number " + i + " " + "x".repeat(40), "answer " + i, "m", AT))
                .toList();
    }

    @Test
    void fit_withRoomForAll_keepsEveryTurnInOrder() {
        List<ChatMessage> messages = ContextAssembler.fit(turns(3), 10_000);

        assertThat(messages).hasSize(6);
        assertThat(messages.get(0)).isEqualTo(ChatMessage.user(turns(3).get(0).query()));
        assertThat(messages.get(5)).isEqualTo(ChatMessage.assistant("answer 3"));
    }

    @Test
    void fit_overBudget_dropsTheOldestTurnsFirst() {
        List<Turn> all = turns(10);
        int perTurn = TokenEstimator.estimateMessage(all.get(9).query()) + TokenEstimator.estimateMessage("answer 10");

        List<ChatMessage> messages = ContextAssembler.fit(all, perTurn * 3);

        assertThat(messages).hasSize(6);
        assertThat(messages.getFirst().content()).startsWith("question number 8 ");
        assertThat(messages.getLast().content()).isEqualTo("answer 10");
    }

    @Test
    void fit_withZeroBudget_isEmpty() {
        assertThat(ContextAssembler.fit(turns(2), 0)).isEmpty();
    }

    @Test
    void estimate_countsAboutFourCharactersPerToken() {
        assertThat(TokenEstimator.estimate("")).isZero();
        assertThat(TokenEstimator.estimate("abcdefgh")).isEqualTo(2);
        assertThat(TokenEstimator.estimate("日本語")).isEqualTo(3);
    }
}
