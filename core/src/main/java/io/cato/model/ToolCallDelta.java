package io.cato.model;

import java.util.Optional;

/**
 * A piece of a tool call as it streams: the first piece of a call carries its id and name, later ones more of its
 * arguments' JSON text.
 *
 * @param index the call's position among the answer's tool calls, from 0
 */
public record ToolCallDelta(int index, Optional<String> id, Optional<String> name, String argumentsFragment) {

    public static ToolCallDelta start(int index, String id, String name) {
        return new ToolCallDelta(index, Optional.of(id), Optional.of(name), "");
    }

    public static ToolCallDelta arguments(int index, String fragment) {
        return new ToolCallDelta(index, Optional.empty(), Optional.empty(), fragment);
    }
}
