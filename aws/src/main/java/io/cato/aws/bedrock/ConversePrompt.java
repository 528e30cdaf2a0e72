package io.cato.aws.bedrock;

import io.cato.model.ChatMessage;
import io.cato.model.ImageInput;
import io.cato.model.ModelRequest;
import io.cato.model.ToolCall;
import io.cato.model.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * A {@link ModelRequest} in Converse's shape: {@code system[]} and alternating
 * {@code messages[{role, content[]}]} of text, {@code image{format, source{bytes}}},
 * {@code toolUse{toolUseId, name, input}} (the assistant's tool calls) and
 * {@code toolResult{toolUseId, content[{text}|{json}], status}} (the caller's results, in a user message), with a
 * prompt cache checkpoint after the stable prefix (the system prompt and the earlier turns) when that prefix is
 * long enough to be cached. Below the model's minimum a checkpoint is silently ignored by Bedrock, so none is sent.
 */
record ConversePrompt(List<SystemContentBlock> system, List<Message> messages, boolean hasToolBlocks,
                      List<String> toolNamesUsed) {

    private static final CachePointBlock CACHE_POINT = CachePointBlock.builder().type(CachePointType.DEFAULT).build();

    /** @param cacheMinTokens the model's smallest cache checkpoint; 0 sends no checkpoint */
    static ConversePrompt of(ModelRequest request, int cacheMinTokens) {
        List<String> systemTexts = new ArrayList<>();
        if (request.system() != null && !request.system().isBlank()) {
            systemTexts.add(request.system());
        }
        List<Turn> turns = new ArrayList<>();
        List<String> toolNames = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            switch (message.role()) {
                case SYSTEM -> {
                    if (!message.content().isBlank()) {
                        systemTexts.add(message.content());
                    }
                }
                case USER -> add(turns, ConversationRole.USER, userBlocks(message), message);
                case ASSISTANT -> {
                    message.toolCalls().forEach(call -> toolNames.add(call.name()));
                    add(turns, ConversationRole.ASSISTANT, assistantBlocks(message), message);
                }
                case TOOL -> add(turns, ConversationRole.USER, List.of(toolResult(message)), message);
            }
        }
        // Converse wants the conversation to open with the user's question; an answer (or tool results) whose
        // question fell out of the history budget is dropped rather than sent without it.
        while (!turns.isEmpty() && (turns.getFirst().role == ConversationRole.ASSISTANT || turns.getFirst().opensWithToolResult())) {
            turns.removeFirst();
        }
        boolean cache = cacheMinTokens > 0 && prefixTokens(systemTexts, turns) >= cacheMinTokens;
        List<SystemContentBlock> system = new ArrayList<>(systemTexts.stream().map(SystemContentBlock::fromText).toList());
        List<Message> messages = new ArrayList<>();
        boolean toolBlocks = false;
        for (int i = 0; i < turns.size(); i++) {
            boolean endOfPrefix = cache && i == turns.size() - 2;
            messages.add(turns.get(i).toMessage(endOfPrefix));
            toolBlocks |= turns.get(i).blocks.stream().anyMatch(b -> b.toolUse() != null || b.toolResult() != null);
        }
        if (cache && turns.size() < 2 && !system.isEmpty()) {
            system.add(SystemContentBlock.fromCachePoint(CACHE_POINT));
        }
        return new ConversePrompt(List.copyOf(system), List.copyOf(messages), toolBlocks, List.copyOf(toolNames));
    }

    private static List<ContentBlock> userBlocks(ChatMessage message) {
        List<ContentBlock> blocks = new ArrayList<>();
        for (ImageInput image : message.images()) {
            blocks.add(ContentBlock.fromImage(ImageBlock.builder().format(ImageFormat.fromValue(image.format()))
                    .source(ImageSource.fromBytes(SdkBytes.fromByteArray(image.bytes()))).build()));
        }
        if (!message.content().isBlank()) {
            blocks.add(ContentBlock.fromText(message.content()));
        }
        return blocks;
    }

    private static List<ContentBlock> assistantBlocks(ChatMessage message) {
        List<ContentBlock> blocks = new ArrayList<>();
        if (!message.content().isBlank()) {
            blocks.add(ContentBlock.fromText(message.content()));
        }
        for (ToolCall call : message.toolCalls()) {
            blocks.add(ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(call.id()).name(call.name())
                    .input(Documents.fromJsonText(call.argumentsJson())).build()));
        }
        return blocks;
    }

    /** A tool's result: as {@code json} when it is a JSON object, else as {@code text}. */
    private static ContentBlock toolResult(ChatMessage message) {
        ToolResultContentBlock content = Documents.jsonObject(message.content())
                .map(ToolResultContentBlock::fromJson)
                .orElseGet(() -> ToolResultContentBlock.fromText(message.content().isEmpty() ? "(no output)" : message.content()));
        return ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(message.toolCallId())
                .content(content).status(message.toolError() ? ToolResultStatus.ERROR : ToolResultStatus.SUCCESS).build());
    }

    /** The estimated tokens before the last message: what stays the same on the next turn. */
    private static int prefixTokens(List<String> systemTexts, List<Turn> turns) {
        int tokens = systemTexts.stream().mapToInt(TokenEstimator::estimateMessage).sum();
        for (int i = 0; i < turns.size() - 1; i++) {
            tokens += turns.get(i).tokens;
        }
        return tokens;
    }

    /** Consecutive messages of one role become one message, as Converse requires alternation. */
    private static void add(List<Turn> turns, ConversationRole role, List<ContentBlock> blocks, ChatMessage message) {
        if (blocks.isEmpty()) {
            return;
        }
        int tokens = TokenEstimator.estimateMessage(message.content())
                + message.toolCalls().stream().mapToInt(c -> TokenEstimator.estimateMessage(c.argumentsJson())).sum();
        if (!turns.isEmpty() && turns.getLast().role == role) {
            Turn last = turns.getLast();
            last.blocks.addAll(blocks);
            turns.set(turns.size() - 1, new Turn(role, last.blocks, last.tokens + tokens));
        } else {
            turns.add(new Turn(role, new ArrayList<>(blocks), tokens));
        }
    }

    private record Turn(ConversationRole role, List<ContentBlock> blocks, int tokens) {
        boolean opensWithToolResult() {
            return blocks.getFirst().toolResult() != null;
        }

        Message toMessage(boolean cachePointAfter) {
            List<ContentBlock> content = new ArrayList<>(blocks);
            if (cachePointAfter) {
                content.add(ContentBlock.fromCachePoint(CACHE_POINT));
            }
            return Message.builder().role(role).content(content).build();
        }
    }
}
