package io.cato.routing;

import io.cato.cache.CacheScope;
import io.cato.model.ChatMessage;
import io.cato.session.ContextAssembler;
import io.cato.model.TokenEstimator;
import io.cato.session.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * What came before the question in its conversation: the stored turns of its session, or the messages the client
 * sent along (OpenAI clients keep their own history). Empty when the question opens its conversation.
 */
public record Conversation(List<Turn> turns, List<ChatMessage> clientHistory) {
    public static final Conversation NONE = new Conversation(List.of(), List.of());

    public Conversation {
        turns = List.copyOf(turns);
        clientHistory = List.copyOf(clientHistory);
    }

    public boolean hasEarlierTurns() {
        return !turns.isEmpty() || !clientHistory.isEmpty();
    }

    /**
     * A digest of everything in the conversation, empty when there is nothing: the part of a cache scope that keeps an
     * answer given after these turns from ever being served after other ones.
     */
    public String digest() {
        if (!hasEarlierTurns()) {
            return "";
        }
        StringBuilder all = new StringBuilder();
        for (ChatMessage message : messages()) {
            // The whole message (tool calls and results included): any difference makes another conversation.
            all.append(message).append('\u0001');
        }
        return CacheScope.sha256(all.toString());
    }

    /** The conversation as messages, oldest first; a turn that involved tools as its whole exchange. */
    List<ChatMessage> messages() {
        if (!clientHistory.isEmpty()) {
            return clientHistory;
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (Turn turn : turns) {
            if (turn.exchange().isEmpty()) {
                messages.add(ChatMessage.user(turn.query()));
                messages.add(ChatMessage.assistant(turn.answer()));
            } else {
                messages.addAll(turn.exchange());
            }
        }
        return messages;
    }

    /** The most recent part of the conversation that fits in {@code budgetTokens}, oldest first. */
    List<ChatMessage> within(int budgetTokens) {
        if (clientHistory.isEmpty()) {
            return ContextAssembler.fit(turns, budgetTokens);
        }
        List<ChatMessage> kept = new ArrayList<>();
        int used = 0;
        for (int i = clientHistory.size() - 1; i >= 0; i--) {
            used += TokenEstimator.estimateMessage(clientHistory.get(i).content());
            if (used > budgetTokens) {
                break;
            }
            kept.addFirst(clientHistory.get(i));
        }
        return kept;
    }
}
