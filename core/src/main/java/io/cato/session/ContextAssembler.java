package io.cato.session;

import io.cato.model.ChatMessage;
import io.cato.model.TokenEstimator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Fits a conversation into a tier's token budget, dropping the oldest turns first. */
public final class ContextAssembler {

    private ContextAssembler() {
    }

    /**
     * The turns that fit, as alternating user/assistant messages, oldest first; a turn that involved tools is
     * replayed as its exchange (tool calls and results included). The kept conversation starts with a user's
     * question: tool calls or results whose question fell out of the budget are dropped with it.
     *
     * @param budgetTokens what the history may use after the new query and system prompt
     */
    public static List<ChatMessage> fit(List<Turn> turns, int budgetTokens) {
        Deque<ChatMessage> kept = new ArrayDeque<>();
        int used = 0;
        for (int i = turns.size() - 1; i >= 0; i--) {
            Turn turn = turns.get(i);
            int cost = cost(turn);
            if (used + cost > budgetTokens) {
                break;
            }
            used += cost;
            if (turn.exchange().isEmpty()) {
                kept.addFirst(ChatMessage.assistant(turn.answer()));
                kept.addFirst(ChatMessage.user(turn.query()));
            } else {
                turn.exchange().reversed().forEach(kept::addFirst);
            }
        }
        while (!kept.isEmpty() && kept.peekFirst().role() != ChatMessage.Role.USER) {
            kept.removeFirst();
        }
        return List.copyOf(kept);
    }

    private static int cost(Turn turn) {
        if (turn.exchange().isEmpty()) {
            return TokenEstimator.estimateMessage(turn.query()) + TokenEstimator.estimateMessage(turn.answer());
        }
        return turn.exchange().stream().mapToInt(m -> TokenEstimator.estimateMessage(m.content())
                + m.toolCalls().stream().mapToInt(c -> TokenEstimator.estimateMessage(c.argumentsJson())).sum()).sum();
    }
}
