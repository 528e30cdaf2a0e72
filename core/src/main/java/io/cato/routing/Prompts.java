package io.cato.routing;

import io.cato.model.ChatMessage;
import io.cato.model.ModelRequest;
import io.cato.model.TierConfig;
import io.cato.model.TokenEstimator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds what one tier is asked: the system prompt (with any recalled facts), as much of the conversation as the
 * tier's history budget holds (most recent first to stay), and the question.
 */
public final class Prompts {
    private final int defaultMaxTokens;
    private final double defaultTemperature;

    public Prompts(int defaultMaxTokens, double defaultTemperature) {
        this.defaultMaxTokens = defaultMaxTokens;
        this.defaultTemperature = defaultTemperature;
    }

    /**
     * @param recalled long-term memory recalled for the question, added to the system prompt
     * @param budget how long the tier's call may take in all
     */
    public ModelRequest requestFor(TierConfig tier, QueryCommand command, Conversation conversation,
                                   Optional<String> recalled, Duration budget) {
        Optional<String> system = recalled.isEmpty() ? command.system()
                : Optional.of(command.system().map(s -> s + "\n\n").orElse("") + recalled.get());
        int queryTokens = TokenEstimator.estimateMessage(command.query())
                + system.map(TokenEstimator::estimateMessage).orElse(0);
        int historyBudget = Math.max(0, tier.historyBudget() - queryTokens);
        List<ChatMessage> messages = new ArrayList<>(conversation.within(historyBudget));
        messages.addAll(command.options().closingMessages(command.query()));
        return new ModelRequest(system.orElse(null), messages, command.maxTokens().orElse(defaultMaxTokens),
                command.temperature().orElse(defaultTemperature), budget, command.options());
    }
}
