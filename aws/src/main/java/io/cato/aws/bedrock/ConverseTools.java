package io.cato.aws.bedrock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.model.FinishReason;
import io.cato.model.GenerationOptions;
import io.cato.model.ResponseFormat;
import io.cato.model.ToolCall;
import io.cato.model.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * Tools and structured output in Converse's {@code toolConfig{tools[{toolSpec{name, description,
 * inputSchema{json}}}], toolChoice{auto|any|tool{name}}}}. Structured output is a forced tool whose input schema is
 * the response schema: the model's input to it is the answer. Converse has no "none" choice: with tool_choice
 * none, tools are left out, unless the conversation holds tool calls, which Converse accepts only with a toolConfig.
 *
 * @param responseTool the forced tool standing for the response format, if any
 */
record ConverseTools(Optional<ToolConfiguration> config, Optional<String> responseTool, boolean singleCall) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ConverseTools of(GenerationOptions options, ConversePrompt prompt) {
        ResponseFormat format = options.responseFormat();
        Optional<String> responseTool = format.structured()
                ? Optional.of(format.name().orElse("json_response")) : Optional.empty();
        boolean offerTools = options.toolChoice().mode() != io.cato.model.ToolChoice.Mode.NONE || prompt.hasToolBlocks();
        List<Tool> tools = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        if (offerTools) {
            for (ToolSpec spec : options.tools()) {
                tools.add(tool(spec.name(), spec.description(), spec.parameters()));
                named.add(spec.name());
            }
            // A conversation replayed without its tool definitions still needs every tool it called defined.
            for (String name : prompt.toolNamesUsed()) {
                if (named.add(name)) {
                    tools.add(tool(name, null, JSON.createObjectNode().put("type", "object")));
                }
            }
        }
        responseTool.ifPresent(name -> tools.add(tool(name, "Give the final answer as this tool's input: JSON that "
                + "matches its schema.", format.effectiveSchema())));
        if (tools.isEmpty()) {
            return new ConverseTools(Optional.empty(), Optional.empty(), false);
        }
        ToolConfiguration config = ToolConfiguration.builder().tools(tools)
                .toolChoice(choice(options, responseTool, offerTools && !options.tools().isEmpty())).build();
        return new ConverseTools(Optional.of(config), responseTool, !options.parallelToolCalls());
    }

    private static Tool tool(String name, String description, com.fasterxml.jackson.databind.JsonNode schema) {
        ToolSpecification.Builder spec = ToolSpecification.builder().name(name)
                .inputSchema(ToolInputSchema.fromJson(Documents.fromJson(schema)));
        if (description != null && !description.isBlank()) {
            spec.description(description);
        }
        return Tool.fromToolSpec(spec.build());
    }

    /**
     * Auto, any or one tool. With a response format and no caller tools, the response tool is forced; with both,
     * the model must call one of them (its answer is either a tool call or the structured answer).
     */
    private static ToolChoice choice(GenerationOptions options, Optional<String> responseTool, boolean callerTools) {
        io.cato.model.ToolChoice requested = options.toolChoice();
        if (responseTool.isPresent() && (!callerTools || requested.mode() == io.cato.model.ToolChoice.Mode.NONE)) {
            return specific(responseTool.get());
        }
        return switch (requested.mode()) {
            case AUTO, NONE -> responseTool.isPresent() ? ToolChoice.fromAny(AnyToolChoice.builder().build())
                    : ToolChoice.fromAuto(AutoToolChoice.builder().build());
            case REQUIRED -> ToolChoice.fromAny(AnyToolChoice.builder().build());
            case FUNCTION -> specific(requested.function().orElseThrow());
        };
    }

    private static ToolChoice specific(String name) {
        return ToolChoice.fromTool(SpecificToolChoice.builder().name(name).build());
    }

    /** The reply as Cato sees it: the response tool's input is the answer; other tool uses are tool calls. */
    Reply interpret(String text, List<ToolCall> uses, String stopReason) {
        List<ToolCall> calls = new ArrayList<>();
        String answer = text;
        for (ToolCall use : uses) {
            if (responseTool.isPresent() && use.name().equals(responseTool.get())) {
                answer = use.argumentsJson();
            } else if (!singleCall || calls.isEmpty()) {
                calls.add(use);
            }
        }
        FinishReason finish = !calls.isEmpty() ? FinishReason.TOOL_CALLS : finishReason(stopReason);
        return new Reply(calls.isEmpty() ? answer : text, calls, finish == FinishReason.TOOL_CALLS && calls.isEmpty()
                ? FinishReason.STOP : finish);
    }

    /** Converse's stopReason in Cato's vocabulary. */
    static FinishReason finishReason(String stopReason) {
        return switch (stopReason == null ? "" : stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "content_filtered", "guardrail_intervened" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.STOP;
        };
    }

    record Reply(String text, List<ToolCall> toolCalls, FinishReason finishReason) {
    }
}
