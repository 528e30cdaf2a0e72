package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.budget.LimitExceededException;
import io.cato.budget.Caller;
import io.cato.model.CallerGoneException;
import io.cato.model.Deadline;
import io.cato.model.GenerationOptions;
import io.cato.model.StreamSink;
import io.cato.model.ToolCallDelta;
import io.cato.model.ToolSpec;
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
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /v1/chat/completions}: the OpenAI-compatible API LiteLLM's clients already speak, with tools,
 * structured output, images, several choices and streamed usage. Every request field is honoured or refused
 * (see {@link OpenAiOptions}).
 */
final class ChatCompletionsEndpoint {
    private final ObjectMapper mapper;
    private final Orchestrator orchestrator;
    private final Clock clock;
    private final ChatCompletionRenderer render;

    ChatCompletionsEndpoint(ObjectMapper mapper, Orchestrator orchestrator, Clock clock) {
        this.mapper = mapper;
        this.orchestrator = orchestrator;
        this.clock = clock;
        this.render = new ChatCompletionRenderer(mapper);
    }

    /**
     * A parsed request.
     *
     * @param stream answer as server-sent events
     * @param includeUsage end a stream with a usage chunk whose choices are empty, as OpenAI does
     */
    record ChatRequest(QueryCommand command, boolean stream, int n, boolean includeUsage) {
        /** The same request, asked by {@code caller} (the API key and end user the edge knows of). */
        ChatRequest by(Caller caller) {
            return new ChatRequest(command.withCaller(caller), stream, n, includeUsage);
        }
    }

    ChatRequest parse(String tenant, ApiRequest request, JsonNode body) {
        OpenAiOptions.refuseUnknownAndUnsupported(body);
        Optional<String> model = RequestReader.optionalText(body, "model");
        Conversation conversation = OpenAiMessages.parse(body.get("messages"));
        Optional<SessionKey> session = session(tenant, request, body);
        List<ToolSpec> tools = OpenAiOptions.tools(body.get("tools"));
        int n = RequestReader.optionalInt(body, "n", 1, OpenAiOptions.MAX_N).orElse(1);
        boolean parallel = !body.has("parallel_tool_calls") || body.get("parallel_tool_calls").isNull()
                || RequestReader.optionalBoolean(body, "parallel_tool_calls");
        GenerationOptions options = GenerationOptions.builder().tools(tools)
                .toolChoice(OpenAiOptions.toolChoice(body.get("tool_choice"), tools)).parallelToolCalls(parallel)
                .responseFormat(OpenAiOptions.responseFormat(body.get("response_format")))
                .stop(OpenAiOptions.stop(body.get("stop"))).seed(OpenAiOptions.seed(body))
                .topP(RequestReader.optionalNumber(body, "top_p", 0, 1)).n(n).exchange(conversation.exchange())
                .build();
        QueryCommand command = QueryCommand.builder().tenant(tenant).session(session).query(conversation.query())
                .system(conversation.system()).history(conversation.history())
                .maxTokens(RequestReader.optionalInt(body, "max_completion_tokens", 1, 64_000)
                        .or(() -> RequestReader.optionalInt(body, "max_tokens", 1, 64_000)))
                .temperature(RequestReader.optionalNumber(body, "temperature", 0, 2)).model(model).options(options)
                .build();
        boolean stream = RequestReader.optionalBoolean(body, "stream");
        return new ChatRequest(command, stream, n, OpenAiOptions.includeUsage(body, stream));
    }

    /** The conversation a request continues: the {@code X-Cato-Session} header, else the {@code user} field. */
    Optional<SessionKey> session(String tenant, ApiRequest request, JsonNode body) {
        return request.header("x-cato-session")
                .or(() -> RequestReader.optionalText(body, "user"))
                .map(id -> new SessionKey(tenant, id));
    }

    ApiResponse serve(ChatRequest request, Deadline deadline) {
        // Checked before any answer starts, so a stream never opens for a model that does not exist or cannot
        // take what the request needs.
        orchestrator.router().pinnedTier(request.command().model());
        orchestrator.router().requireCapable(request.command());
        String id = "chatcmpl-" + UUID.randomUUID();
        long created = clock.instant().getEpochSecond();
        Orchestrator.Prepared prepared = orchestrator.prepare(request.command(), deadline);
        if (!request.stream()) {
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < request.n(); i++) {
                answers.add(orchestrator.answer(choice(prepared, i), null));
            }
            ApiResponse response = RateLimitHeaders.on(
                    ApiResponse.json(200, render.completion(id, created, answers).toString()), prepared);
            return answers.stream().anyMatch(Answer::degraded) ? response.notReplayable() : response;
        }
        ResponseOutcome outcome = ResponseOutcome.replayable();
        return RateLimitHeaders.on(ApiResponse.eventStream(out -> stream(request, prepared, id, created, out, outcome),
                outcome), prepared);
    }

    /**
     * The first choice is the session's answer and is recorded there; further choices are answered with the same
     * context, metered under the same admission, and recorded nowhere.
     */
    private static Orchestrator.Prepared choice(Orchestrator.Prepared prepared, int index) {
        return index == 0 ? prepared : new Orchestrator.Prepared(prepared.command().withoutSession(),
                prepared.conversation(), prepared.deadline(), System.nanoTime(), prepared.admission());
    }

    /**
     * Writes the answer as it comes. A stream that breaks off ends with an error event, and one whose caller went
     * away ends at once (its tier's call was cancelled); neither, nor a degraded answer, is replayed to a retry.
     */
    private void stream(ChatRequest request, Orchestrator.Prepared prepared, String id, long created, OutputStream out,
                        ResponseOutcome outcome) {
        List<Answer> answers = new ArrayList<>();
        try {
            for (int i = 0; i < request.n(); i++) {
                int index = i;
                Answer answer = orchestrator.answer(choice(prepared, i), new ChunkSink(out, id, created, index));
                answers.add(answer);
                boolean last = index == request.n() - 1;
                event(out, render.finishChunk(id, created, answer, index, last ? answers : List.of()).toString());
            }
            if (request.includeUsage()) {
                event(out, render.usageChunk(id, created, answers).toString());
            }
            if (answers.stream().anyMatch(Answer::degraded)) {
                outcome.keepFromReplay();
            }
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

    /** Writes each text delta and tool-call piece of one choice as an OpenAI chunk. */
    private final class ChunkSink implements StreamSink {
        private final OutputStream out;
        private final String id;
        private final long created;
        private final int index;
        private boolean roleSent;

        ChunkSink(OutputStream out, String id, long created, int index) {
            this.out = out;
            this.id = id;
            this.created = created;
            this.index = index;
        }

        @Override
        public void accept(String text) {
            ObjectNode delta = mapper.createObjectNode();
            role(delta);
            delta.put("content", text);
            event(out, render.deltaChunk(id, created, index, delta).toString());
        }

        @Override
        public void toolCall(ToolCallDelta piece) {
            ObjectNode delta = mapper.createObjectNode();
            role(delta);
            ObjectNode call = delta.putArray("tool_calls").addObject().put("index", piece.index());
            piece.id().ifPresent(callId -> call.put("id", callId).put("type", "function"));
            ObjectNode function = call.putObject("function");
            piece.name().ifPresent(name -> function.put("name", name));
            function.put("arguments", piece.argumentsFragment());
            event(out, render.deltaChunk(id, created, index, delta).toString());
        }

        private void role(ObjectNode delta) {
            if (!roleSent) {
                delta.put("role", "assistant");
                roleSent = true;
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
}
