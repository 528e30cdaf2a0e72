package io.cato.model;

import java.util.Optional;

/**
 * Whether the model may, must, or must not call a tool: OpenAI's {@code tool_choice}
 * ("auto", "required", "none", or one named function), Anthropic's {@code auto}/{@code any}/{@code tool}.
 *
 * @param function for {@link Mode#FUNCTION}, the function that must be called
 */
public record ToolChoice(Mode mode, Optional<String> function) {

    public enum Mode { AUTO, REQUIRED, NONE, FUNCTION }

    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, Optional.empty());
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, Optional.empty());
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, Optional.empty());

    public static ToolChoice function(String name) {
        return new ToolChoice(Mode.FUNCTION, Optional.of(name));
    }

    /** A canonical text for cache scopes and logs. */
    public String canonical() {
        return mode == Mode.FUNCTION ? "function:" + function.orElseThrow() : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
