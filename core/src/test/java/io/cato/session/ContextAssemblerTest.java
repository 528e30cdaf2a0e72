package io.cato.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.model.ChatMessage;
import io.cato.model.TokenEstimator;
import io.cato.model.ToolCall;
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

    private static final List<ChatMessage> CALL = List.of(ChatMessage.user("Weather in Paris?"),
            ChatMessage.assistant("", List.of(new ToolCall("c1", "get_weather", "{\"city\":\"Paris\"}"))));
    private static final List<ChatMessage> RESULT = List.of(ChatMessage.toolResult("c1", "sunny", false),
            ChatMessage.assistant("It is sunny."));

    private static Turn toolTurn(long seq, String query, String answer, List<ChatMessage> exchange) {
        return Turn.builder().seq(seq).query(query).answer(answer).model("m").at(AT).domain("general")
                .exchange(exchange).build();
    }

    @Test
    void fit_replaysATurnThatUsedTools_asItsExchange() {
        List<Turn> turns = List.of(toolTurn(1, "Weather in Paris?", "", CALL), toolTurn(2, "sunny", "It is sunny.", RESULT));

        assertThat(ContextAssembler.fit(turns, 10_000)).containsExactly(CALL.get(0), CALL.get(1), RESULT.get(0),
                RESULT.get(1));
    }

    @Test
    void fit_dropsToolResultsWhoseQuestionFellOutOfTheBudget() {
        List<Turn> turns = List.of(toolTurn(1, "Weather in Paris?", "", CALL), toolTurn(2, "sunny", "It is sunny.", RESULT),
                new Turn(3, "Thanks", "You are welcome.", "m", AT));
        int lastTwo = TokenEstimator.estimateMessage("sunny") + TokenEstimator.estimateMessage("It is sunny.")
                + TokenEstimator.estimateMessage("Thanks") + TokenEstimator.estimateMessage("You are welcome.");

        List<ChatMessage> messages = ContextAssembler.fit(turns, lastTwo);

        assertThat(messages).containsExactly(ChatMessage.user("Thanks"), ChatMessage.assistant("You are welcome."));
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
