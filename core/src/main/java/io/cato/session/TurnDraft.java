package io.cato.session;

import io.cato.model.ChatMessage;
import java.time.Instant;
import java.util.List;

/**
 * A turn before the store has given it its place in the session.
 *
 * @param exchange the exchange's messages when tools were involved (see {@link Turn#exchange}); empty otherwise
 */
public record TurnDraft(String query, String answer, String model, Instant at, String domain,
                        List<ChatMessage> exchange) {

    public TurnDraft {
        exchange = exchange == null ? List.of() : List.copyOf(exchange);
    }

    public TurnDraft(String query, String answer, String model, Instant at, String domain) {
        this(query, answer, model, at, domain, List.of());
    }

    public TurnDraft(String query, String answer, String model, Instant at) {
        this(query, answer, model, at, Turn.DEFAULT_DOMAIN);
    }

    public Turn at(long seq) {
        return Turn.builder().seq(seq).query(query).answer(answer).model(model).at(at).domain(domain)
                .exchange(exchange).build();
    }
}
