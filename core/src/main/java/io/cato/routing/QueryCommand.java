package io.cato.routing;

import io.cato.budget.Caller;
import io.cato.model.ChatMessage;
import io.cato.session.SessionKey;
import java.util.List;
import java.util.Optional;

/**
 * One query to answer, as both APIs describe it.
 *
 * @param session the conversation to read and extend; empty for a stateless request
 * @param history messages the client sent itself (OpenAI clients keep their own history);
 *     used instead of the stored turns when not empty
 * @param model the model the caller asked for: a tier's name pins that tier; empty or an automatic-routing name
 *     ("auto") lets the router choose
 * @param caller who asks, as limits count it: the tenant, its API key and its end user
 */
public record QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                           Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                           Optional<Double> temperature, Optional<String> model, Caller caller) {

    public QueryCommand {
        history = List.copyOf(history);
        if (!caller.tenant().equals(tenant)) {
            throw new IllegalArgumentException("the caller's tenant must be the query's tenant");
        }
    }

    /** A query whose caller is known by its tenant only. */
    public QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                        Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                        Optional<Double> temperature, Optional<String> model) {
        this(tenant, session, query, domain, system, history, maxTokens, temperature, model, Caller.of(tenant));
    }

    /** The same query, asked by {@code value} (the API key and end user the edge knows of). */
    public QueryCommand withCaller(Caller value) {
        return new QueryCommand(tenant, session, query, domain, system, history, maxTokens, temperature, model, value);
    }

    /** A query without a requested model: the router chooses. */
    public QueryCommand(String tenant, Optional<SessionKey> session, String query, Optional<String> domain,
                        Optional<String> system, List<ChatMessage> history, Optional<Integer> maxTokens,
                        Optional<Double> temperature) {
        this(tenant, session, query, domain, system, history, maxTokens, temperature, Optional.empty());
    }

    public static QueryCommand simple(String tenant, SessionKey session, String query) {
        return new QueryCommand(tenant, Optional.of(session), query, Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty());
    }
}
