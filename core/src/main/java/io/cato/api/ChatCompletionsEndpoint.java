package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.budget.LimitExceededException;
import io.cato.model.CallerGoneException;
import io.cato.model.ChatMessage;
import io.cato.model.Deadline;
import io.cato.routing.Answer;
import io.cato.routing.Orchestrator;
import io.cato.routing.QueryCommand;
import io.cato.session.SessionKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** {@code POST /v1/chat/completions}: the OpenAI-compatible API LiteLLM's clients already speak. */
final class ChatCompletionsEndpoint {
    private static final int MAX_MESSAGES = 1_000;
    private final ObjectMapper mapper;
    private final Orchestrator orchestrator;
    private final Clock clock;

    ChatCompletionsEndpoint(ObjectMapper mapper, Orchestrator orchestrator, Clock clock) {
        this.mapper = mapper;
        this.orchestrator = orchestrator;
        this.clock = clock;
    }

    /** A parsed request; {@code stream} asks for server-sent events. */
    record ChatRequest(QueryCommand command, boolean stream) {
    }

    ChatRequest parse(String tenant, ApiRequest request, JsonNode body) {
        Optional<String> model = RequestReader.optionalText(body, "model");
        List<ChatMessage> messages = messages(body.get("messages"));
        ChatMessage last = messages.getLast();
        if (last.role() != ChatMessage.Role.USER || last.content().isBlank()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "the last message must be a non-empty user message");
        }
        StringBuilder system = new StringBuilder();
        List<ChatMessage> history = new ArrayList<>();
        for (ChatMessage message : messages.subList(0, messages.size() - 1)) {
            if (message.role() == ChatMessage.Role.SYSTEM) {
                system.append(system.isEmpty() ? "" : "\n").append(message.content());
            } else {
                history.add(message);
            }
        }
        Optional<SessionKey> session = request.header("x-cato-session")
                .or(() -> RequestReader.optionalText(body, "user"))
                .map(id -> new SessionKey(tenant, id));
        QueryCommand command = new QueryCommand(tenant, session, last.content(), Optional.empty(),
                system.isEmpty() ? Optional.empty() : Optional.of(system.toString()), history,
                RequestReader.optionalInt(body, "max_tokens", 1, 64_000)
                        .or(() -> RequestReader.optionalInt(body, "max_completion_tokens", 1, 64_000)),
                RequestReader.optionalNumber(body, "temperature", 0, 2), model);
        return new ChatRequest(command, RequestReader.optionalBoolean(body, "stream"));
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "messages must be a non-empty array");
        }
        if (node.size() > MAX_MESSAGES) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "messages may hold at most " + MAX_MESSAGES + " entries");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isObject()) {
                throw new ApiException(ErrorCode.INVALID_REQUEST, "each message must be an object");
            }
            String role = RequestReader.optionalText(item, "role")
                    .orElseThrow(() -> new ApiException(ErrorCode.INVALID_REQUEST, "each message needs a role"));
            messages.add(new ChatMessage(role(role), content(item.get("content"))));
        }
        return messages;
    }

    private static ChatMessage.Role role(String role) {
        return switch (role.toLowerCase(Locale.ROOT)) {
            case "system", "developer" -> ChatMessage.Role.SYSTEM;
            case "user" -> ChatMessage.Role.USER;
            case "assistant" -> ChatMessage.Role.ASSISTANT;
            default -> throw new ApiException(ErrorCode.INVALID_REQUEST,
                    "message role must be system, developer, user or assistant");
        };
    }

    /** Content is a string or, in the newer format, an array of {type: text, text} parts. */
    private static String content(JsonNode content) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new ApiException(ErrorCode.INVALID_REQUEST, "only text content parts are supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST, "message content must be a string or an array of text parts");
    }

    ApiResponse serve(ChatRequest request, Deadline deadline) {
        // Checked before any answer starts, so a stream never opens for a model that does not exist.
        orchestrator.router().pinnedTier(request.command().model());
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = clock.instant().getEpochSecond();
        Orchestrator.Prepared prepared = orchestrator.prepare(request.command(), deadline);
        if (!request.stream()) {
            Answer answer = orchestrator.answer(prepared, null);
            ApiResponse response = RateLimitHeaders.on(ApiResponse.json(200, completion(id, created, answer).toString()),
                    prepared);
            return answer.degraded() ? response.notReplayable() : response;
        }
        ResponseOutcome outcome = ResponseOutcome.replayable();
        return RateLimitHeaders.on(ApiResponse.eventStream(out -> stream(prepared, id, created, out, outcome), outcome),
                prepared);
    }

    /**
     * Writes the answer as it comes. A stream that breaks off ends with an error event, and one whose caller went
     * away ends at once (its tier's call was cancelled); neither, nor a degraded answer, is replayed to a retry.
     */
    private void stream(Orchestrator.Prepared prepared, String id, long created, OutputStream out,
                        ResponseOutcome outcome) {
        try {
            Answer answer = orchestrator.answer(prepared, delta -> {
                ObjectNode chunk = chunk(id, created, "cato");
                chunk.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                        .putObject("delta").put("role", "assistant").put("content", delta);
                event(out, chunk.toString());
            });
            if (answer.degraded()) {
                outcome.keepFromReplay();
            }
            ObjectNode last = chunk(id, created, answer.model());
            last.withArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
            last.set("usage", usage(answer));
            last.set("cato", cato(answer));
            event(out, last.toString());
            event(out, "[DONE]");
        } catch (CallerGoneException gone) {
            outcome.keepFromReplay();
        } catch (RuntimeException e) {
            outcome.keepFromReplay();
            ObjectNode error = mapper.createObjectNode();
            if (e instanceof LimitExceededException limited) {
                // Refused by a budget another instance spent after this request was let in: nothing was streamed.
                error.putObject("error").put("code", RateLimitHeaders.codeOf(limited).code())
                        .put("message", limited.getMessage());
            } else {
                error.putObject("error").put("code", "stream_interrupted").put("message", "the answer broke off; retry");
            }
            try {
                event(out, error.toString());
                event(out, "[DONE]");
            } catch (CallerGoneException gone) {
                // Nobody is left to tell.
            }
        }
    }

    private static void event(OutputStream out, String data) {
        try {
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new CallerGoneException(e);
        }
    }

    private ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = mapper.createObjectNode();
        chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        return chunk;
    }

    private ObjectNode completion(String id, long created, Answer answer) {
        ObjectNode out = mapper.createObjectNode();
        out.put("id", id).put("object", "chat.completion").put("created", created).put("model", answer.model());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer.text());
        choice.put("finish_reason", "stop");
        out.set("usage", usage(answer));
        out.set("cato", cato(answer));
        return out;
    }

    private ObjectNode usage(Answer answer) {
        ObjectNode usage = mapper.createObjectNode();
        usage.put("prompt_tokens", answer.usage().inputTokens());
        usage.put("completion_tokens", answer.usage().outputTokens());
        usage.put("total_tokens", answer.usage().inputTokens() + answer.usage().outputTokens());
        usage.putObject("prompt_tokens_details").put("cached_tokens", answer.usage().cachedInputTokens());
        return usage;
    }

    private ObjectNode cato(Answer answer) {
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
