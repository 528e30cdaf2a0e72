package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.routing.Answer;

/** The {@code cache} object of a response: what the semantic cache did for the query. */
final class CacheOutcomes {
    private CacheOutcomes() {
    }

    static ObjectNode render(ObjectMapper mapper, Answer.CacheOutcome outcome) {
        ObjectNode node = mapper.createObjectNode();
        node.put("status", outcome.status());
        outcome.reason().ifPresent(r -> node.put("reason", r));
        outcome.tier().ifPresent(t -> node.put("tier", t));
        outcome.entryId().ifPresent(id -> node.put("entry_id", id));
        outcome.age().ifPresent(age -> node.put("age_seconds", age.toSeconds()));
        return node;
    }
}
