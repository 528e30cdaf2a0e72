package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.model.ToolCall;
import io.cato.routing.Answer;
import java.util.List;

/** Answers in OpenAI's chat completion and chunk shapes, with Cato's own details under {@code cato}. */
final class ChatCompletionRenderer {
    private final ObjectMapper mapper;

    ChatCompletionRenderer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A whole completion with one choice per answer; usage and cost add up over the choices. */
    ObjectNode completion(String id, long created, List<Answer> answers) {
        Answer first = answers.getFirst();
        ObjectNode out = mapper.createObjectNode();
        out.put("id", id).put("object", "chat.completion").put("created", created).put("model", first.model());
        ArrayNode choices = out.putArray("choices");
        for (int i = 0; i < answers.size(); i++) {
            Answer answer = answers.get(i);
            ObjectNode choice = choices.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            List<ToolCall> calls = answer.output().toolCalls();
            if (calls.isEmpty() || !answer.text().isEmpty()) {
                message.put("content", answer.text());
            } else {
                message.putNull("content");
            }
            message.putNull("refusal");
            if (!calls.isEmpty()) {
                ArrayNode toolCalls = message.putArray("tool_calls");
                calls.forEach(call -> toolCalls.addObject().put("id", call.id()).put("type", "function")
                        .putObject("function").put("name", call.name()).put("arguments", call.argumentsJson()));
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", answer.output().finishReason().openAi());
        }
        out.set("usage", usage(answers));
        out.set("cato", cato(first));
        return out;
    }

    ObjectNode deltaChunk(String id, long created, int index, ObjectNode delta) {
        ObjectNode chunk = chunk(id, created, "cato");
        chunk.putArray("choices").addObject().put("index", index).putNull("finish_reason").set("delta", delta);
        return chunk;
    }

    /** A choice's last chunk; the stream's last choice also carries usage and Cato's details, as it always has. */
    ObjectNode finishChunk(String id, long created, Answer answer, int index, List<Answer> all) {
        ObjectNode chunk = chunk(id, created, answer.model());
        chunk.putArray("choices").addObject().put("index", index)
                .put("finish_reason", answer.output().finishReason().openAi()).putObject("delta");
        if (!all.isEmpty()) {
            chunk.set("usage", usage(all));
            chunk.set("cato", cato(answer));
        }
        return chunk;
    }

    /** {@code stream_options.include_usage}: a final chunk with no choices and the usage of the whole request. */
    ObjectNode usageChunk(String id, long created, List<Answer> answers) {
        ObjectNode chunk = chunk(id, created, answers.getFirst().model());
        chunk.putArray("choices");
        chunk.set("usage", usage(answers));
        return chunk;
    }

    private ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = mapper.createObjectNode();
        chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        return chunk;
    }

    private ObjectNode usage(List<Answer> answers) {
        int input = answers.stream().mapToInt(a -> a.usage().inputTokens()).sum();
        int output = answers.stream().mapToInt(a -> a.usage().outputTokens()).sum();
        ObjectNode usage = mapper.createObjectNode();
        usage.put("prompt_tokens", input);
        usage.put("completion_tokens", output);
        usage.put("total_tokens", input + output);
        usage.putObject("prompt_tokens_details").put("cached_tokens",
                answers.stream().mapToInt(a -> a.usage().cachedInputTokens()).sum());
        return usage;
    }

    ObjectNode cato(Answer answer) {
        ObjectNode cato = mapper.createObjectNode();
        cato.put("tier", answer.tier()).put("reason", answer.reason()).put("cached", answer.cached())
                .put("cost_usd", answer.costUsd()).put("latency_ms", answer.latencyMs()).put("degraded", answer.degraded());
        answer.fallbackFrom().ifPresent(from -> cato.put("fallback_from", from));
        cato.set("routing", Routings.render(mapper, answer));
        cato.set("usage", Routings.usage(mapper, answer));
        cato.set("cache", CacheOutcomes.render(mapper, answer.cache()));
        return cato;
    }
}
