package io.cato.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds a tier to the structured output a request asks for: an answer that is not a JSON object, or does not
 * match the request's JSON Schema, is a failure of that tier ({@link ModelFailure.Unavailable}), so the fallback
 * chain tries the next capable tier instead of returning it. A streamed structured answer is checked whole before
 * any of it is passed on, and then passed on as one delta. Answers that are tool calls are not checked: the model
 * asked for a tool instead of answering.
 */
public final class StructuredOutputModelClient implements ModelClient {
    private final String tier;
    private final ModelClient delegate;
    private final ObjectMapper mapper;

    public StructuredOutputModelClient(String tier, ModelClient delegate, ObjectMapper mapper) {
        this.tier = tier;
        this.delegate = delegate;
        this.mapper = mapper;
    }

    @Override
    public ModelReply complete(ModelRequest request) {
        return checked(request, delegate.complete(request));
    }

    @Override
    public ModelReply stream(ModelRequest request, Consumer<String> onDelta) {
        if (!request.options().responseFormat().structured()) {
            return delegate.stream(request, onDelta);
        }
        ModelReply reply = checked(request, delegate.stream(request, new StreamSink() {
            @Override
            public void accept(String text) {
                // held back until the whole answer is checked
            }

            @Override
            public void toolCall(ToolCallDelta delta) {
                StreamSink.toolCall(onDelta, delta);
            }
        }));
        if (!reply.text().isEmpty()) {
            onDelta.accept(reply.text());
        }
        return reply;
    }

    private ModelReply checked(ModelRequest request, ModelReply reply) {
        ResponseFormat format = request.options().responseFormat();
        if (!reply.toolCalls().isEmpty()) {
            return checkedCalls(request, reply);
        }
        if (!format.structured()) {
            return reply;
        }
        List<String> problems = problems(format, reply.text());
        if (!problems.isEmpty()) {
            throw new ModelCallException(tier, new ModelFailure.Unavailable("answer does not match the response format: "
                    + String.join("; ", problems.subList(0, Math.min(3, problems.size())))));
        }
        return reply;
    }

    /** Tool calls must name an offered tool, and match its parameters when the tool is strict. */
    private ModelReply checkedCalls(ModelRequest request, ModelReply reply) {
        for (ToolCall call : reply.toolCalls()) {
            ToolSpec spec = request.options().tools().stream().filter(t -> t.name().equals(call.name())).findFirst()
                    .orElse(null);
            if (spec == null && !request.options().tools().isEmpty()) {
                throw new ModelCallException(tier, new ModelFailure.Unavailable("tool call to an unknown tool"));
            }
            if (spec != null && spec.strict()) {
                List<String> problems = problems(ResponseFormat.jsonSchema(spec.name(), spec.parameters(), true),
                        call.argumentsJson());
                if (!problems.isEmpty()) {
                    throw new ModelCallException(tier, new ModelFailure.Unavailable(
                            "tool call arguments do not match the tool's parameters: " + problems.getFirst()));
                }
            }
        }
        return reply;
    }

    List<String> problems(ResponseFormat format, String text) {
        JsonNode value;
        try {
            value = mapper.readTree(text);
        } catch (JacksonException e) {
            return List.of("not JSON");
        }
        if (value == null || value.isMissingNode()) {
            return List.of("not JSON");
        }
        if (format.kind() == ResponseFormat.Kind.JSON_OBJECT && !value.isObject()) {
            return List.of("not a JSON object");
        }
        return new JsonSchemaValidator(format.effectiveSchema()).problems(value);
    }
}
