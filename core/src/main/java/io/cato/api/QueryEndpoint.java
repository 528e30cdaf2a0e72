package io.cato.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.model.Deadline;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.ChatMessage;
import io.cato.routing.Answer;
import io.cato.routing.Orchestrator;
import io.cato.routing.QueryCommand;
import io.cato.session.SessionKey;
import java.util.List;
import java.util.Optional;

/** {@code POST /api/cato/query}: Cato's own query API. */
final class QueryEndpoint {
    static final int MAX_QUERY_CHARS = 100_000;
    private final ObjectMapper mapper;
    private final Orchestrator orchestrator;

    QueryEndpoint(ObjectMapper mapper, Orchestrator orchestrator) {
        this.mapper = mapper;
        this.orchestrator = orchestrator;
    }

    QueryCommand parse(String tenant, ApiRequest request, JsonNode body) {
        String query = RequestReader.requiredText(body, "query", MAX_QUERY_CHARS);
        Optional<SessionKey> session = RequestReader.optionalText(body, "session_id")
                .or(() -> request.header("x-cato-session"))
                .map(id -> new SessionKey(tenant, id));
        Optional<String> domain = RequestReader.optionalText(body, "domain");
        Optional<String> system = RequestReader.optionalText(body, "system");
        Optional<Integer> maxTokens = RequestReader.optionalInt(body, "max_tokens", 1, 64_000);
        return QueryCommand.builder().tenant(tenant).session(session).query(query).domain(domain).system(system)
                .maxTokens(maxTokens).build();
    }

    ApiResponse serve(QueryCommand command, Deadline deadline) {
        Orchestrator.Prepared prepared = orchestrator.prepare(command, deadline);
        Answer answer = orchestrator.answer(prepared, null);
        ApiResponse response = RateLimitHeaders.on(render(command, answer), prepared);
        return answer.degraded() ? response.notReplayable() : response;
    }

    /** Answers through the legacy endpoint, in this API's shape, without touching Cato's state. */
    ApiResponse serveLegacy(QueryCommand command, LegacyRoute legacy, Deadline deadline) {
        long started = System.nanoTime();
        ModelReply reply = legacy.complete(new ModelRequest(command.system().orElse(null),
                List.of(ChatMessage.user(command.query())), command.maxTokens().orElse(1024), 0.7,
                deadline.remaining()));
        long latency = (System.nanoTime() - started) / 1_000_000;
        Answer answer = Answer.builder().text(reply.text()).model(reply.model()).tier("legacy").reason("rollout")
                .cached(false).costUsd(0.0).usage(reply.usage()).latencyMs(latency).degraded(false)
                .recording(Answer.Recording.STATELESS).cache(Answer.CacheOutcome.OFF).build();
        return render(command, answer);
    }

    private ApiResponse render(QueryCommand command, Answer answer) {
        ObjectNode out = mapper.createObjectNode();
        out.put("response", answer.text());
        out.put("model", answer.model());
        out.put("cached", answer.cached());
        out.set("cache", CacheOutcomes.render(mapper, answer.cache()));
        out.put("cost_usd", answer.costUsd());
        out.put("latency_ms", answer.latencyMs());
        command.session().ifPresent(key -> out.put("session_id", key.sessionId()).put("turn", answer.turn()));
        out.set("routing", Routings.render(mapper, answer));
        out.set("usage", Routings.usage(mapper, answer));
        if (!answer.recording().recorded()) {
            out.put("recorded", false);
        }
        out.putObject("verification").put("status", answer.recording().verification());
        return ApiResponse.json(200, out.toString());
    }
}
