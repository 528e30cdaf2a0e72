package io.cato.session;

import io.cato.model.ChatMessage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Fits a conversation into a tier's token budget, dropping the oldest turns first. */
public final class ContextAssembler {

    private ContextAssembler() {
    }

    /**
     * The turns that fit, as alternating user/assistant messages, oldest first.
     *
     * @param budgetTokens what the history may use after the new query and system prompt
     */
    public static List<ChatMessage> fit(List<Turn> turns, int budgetTokens) {
        Deque<ChatMessage> kept = new ArrayDeque<>();
        int used = 0;
        for (int i = turns.size() - 1; i >= 0; i--) {
            Turn turn = turns.get(i);
            int cost = TokenEstimator.estimateMessage(turn.query()) + TokenEstimator.estimateMessage(turn.answer());
            if (used + cost > budgetTokens) {
                break;
            }
            used += cost;
            kept.addFirst(ChatMessage.assistant(turn.answer()));
            kept.addFirst(ChatMessage.user(turn.query()));
        }
        return List.copyOf(kept);
    }
}
