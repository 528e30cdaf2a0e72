package io.cato.aws.bedrock;

import io.cato.model.ChatMessage;
import io.cato.model.ModelRequest;
import io.cato.session.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * A {@link ModelRequest} in Converse's shape: {@code system[]} and alternating
 * {@code messages[{role, content[{text}]}]}, with a prompt cache checkpoint after the stable
 * prefix (the system prompt and the earlier turns) when that prefix is long enough to be cached.
 * Below the model's minimum a checkpoint is silently ignored by Bedrock, so none is sent.
 */
record ConversePrompt(List<SystemContentBlock> system, List<Message> messages) {

    private static final CachePointBlock CACHE_POINT = CachePointBlock.builder().type(CachePointType.DEFAULT).build();

    /** @param cacheMinTokens the model's smallest cache checkpoint; 0 sends no checkpoint */
    static ConversePrompt of(ModelRequest request, int cacheMinTokens) {
        List<String> systemTexts = new ArrayList<>();
        if (request.system() != null && !request.system().isBlank()) {
            systemTexts.add(request.system());
        }
        List<Turn> turns = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            if (message.content() == null || message.content().isBlank()) {
                continue;
            }
            switch (message.role()) {
                case SYSTEM -> systemTexts.add(message.content());
                case USER -> add(turns, ConversationRole.USER, message.content());
                case ASSISTANT -> add(turns, ConversationRole.ASSISTANT, message.content());
            }
        }
        // Converse wants the conversation to open with the user; an answer whose question fell
        // out of the history budget is dropped rather than sent without it.
        while (!turns.isEmpty() && turns.getFirst().role == ConversationRole.ASSISTANT) {
            turns.removeFirst();
        }
        boolean cache = cacheMinTokens > 0 && prefixTokens(systemTexts, turns) >= cacheMinTokens;
        List<SystemContentBlock> system = new ArrayList<>(systemTexts.stream().map(SystemContentBlock::fromText).toList());
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            boolean endOfPrefix = cache && i == turns.size() - 2;
            messages.add(turns.get(i).toMessage(endOfPrefix));
        }
        if (cache && turns.size() < 2 && !system.isEmpty()) {
            system.add(SystemContentBlock.fromCachePoint(CACHE_POINT));
        }
        return new ConversePrompt(List.copyOf(system), List.copyOf(messages));
    }

    /** The estimated tokens before the last message: what stays the same on the next turn. */
    private static int prefixTokens(List<String> systemTexts, List<Turn> turns) {
        int tokens = systemTexts.stream().mapToInt(TokenEstimator::estimateMessage).sum();
        for (int i = 0; i < turns.size() - 1; i++) {
            tokens += turns.get(i).texts.stream().mapToInt(TokenEstimator::estimateMessage).sum();
        }
        return tokens;
    }

    /** Consecutive messages of one role become one message, as Converse requires alternation. */
    private static void add(List<Turn> turns, ConversationRole role, String text) {
        if (!turns.isEmpty() && turns.getLast().role == role) {
            turns.getLast().texts.add(text);
        } else {
            turns.add(new Turn(role, new ArrayList<>(List.of(text))));
        }
    }

    private record Turn(ConversationRole role, List<String> texts) {
        Message toMessage(boolean cachePointAfter) {
            List<ContentBlock> content = new ArrayList<>(texts.stream().map(ContentBlock::fromText).toList());
            if (cachePointAfter) {
                content.add(ContentBlock.fromCachePoint(CACHE_POINT));
            }
            return Message.builder().role(role).content(content).build();
        }
    }
}
