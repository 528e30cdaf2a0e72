package io.cato.aws.bedrock;

import io.cato.model.StreamSink;
import io.cato.model.ToolCall;
import io.cato.model.ToolCallDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streamed tool uses: each caller tool's id, name and input pieces go on as {@link ToolCallDelta}s (numbered
 * from 0 in the order they start); the response tool's input pieces are the answer's text.
 */
final class ConverseToolStream {
    private final ConverseTools tools;
    private final Consumer<String> target;
    private final Map<Integer, Integer> callByBlock = new HashMap<>();
    private final List<String[]> calls = new ArrayList<>();
    private final List<StringBuilder> inputs = new ArrayList<>();
    private int responseBlock = -1;

    ConverseToolStream(ConverseTools tools, Consumer<String> target) {
        this.tools = tools;
        this.target = target;
    }

    void accept(String text) {
        target.accept(text);
    }

    ConverseTools tools() {
        return tools;
    }

    /** A contentBlockStart with {@code start.toolUse{toolUseId, name}}. */
    void start(int block, String id, String name) {
        calls.add(new String[] {id, name});
        inputs.add(new StringBuilder());
        callByBlock.put(block, calls.size() - 1);
        if (tools.responseTool().filter(name::equals).isPresent()) {
            responseBlock = block;
        } else if (!tools.singleCall() || visibleCalls() == 1) {
            StreamSink.toolCall(target, ToolCallDelta.start(visibleCalls() - 1, id, name));
        }
    }

    /** A contentBlockDelta with {@code delta.toolUse.input}: a piece of the input's JSON text. */
    void input(int block, String fragment) {
        Integer call = callByBlock.get(block);
        if (call == null) {
            return;
        }
        inputs.get(call).append(fragment);
        if (block == responseBlock) {
            target.accept(fragment);
        } else if (!tools.singleCall() || visibleIndex(call) == 0) {
            StreamSink.toolCall(target, ToolCallDelta.arguments(visibleIndex(call), fragment));
        }
    }

    private int visibleCalls() {
        return (int) calls.stream().filter(c -> tools.responseTool().filter(c[1]::equals).isEmpty()).count();
    }

    private int visibleIndex(int call) {
        int index = 0;
        for (int i = 0; i < call; i++) {
            index += tools.responseTool().filter(calls.get(i)[1]::equals).isEmpty() ? 1 : 0;
        }
        return index;
    }

    List<ToolCall> uses() {
        List<ToolCall> uses = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String input = inputs.get(i).isEmpty() ? "{}" : inputs.get(i).toString();
            uses.add(new ToolCall(calls.get(i)[0], calls.get(i)[1], input));
        }
        return uses;
    }
}
