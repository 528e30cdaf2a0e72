package io.cato.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.memory.Fact;
import io.cato.memory.MemoryRecall;
import io.cato.memory.UnknownStepException;
import io.cato.nli.NliClient;
import io.cato.nli.NliResult;
import io.cato.nli.VerifierUnavailableException;
import io.cato.session.SessionStore;
import io.cato.session.Verdict;
import java.time.Clock;
import java.util.Optional;

/**
 * The verify workflow's steps: the Shadow Self probe and NLI entailment against the facts
 * retrieved for the query (run in parallel by the state machine), their aggregation into a
 * verdict, and storing it on the turn. A check that cannot run reports {@code unavailable};
 * the verdict is then {@code unknown} unless the other check settles it.
 */
public final class Verification {
    /** Probe score at or above which, with no contradiction, an answer counts as supported. */
    static final double SUPPORTED_PROBE = 0.7;
    static final double CONTRADICTION = 0.5;
    static final double ENTAILMENT = 0.5;

    private final ShadowProbeClient probe;
    private final NliClient nli;
    private final MemoryRecall recall;
    private final SessionStore sessions;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Verification(ShadowProbeClient probe, NliClient nli, MemoryRecall recall, SessionStore sessions,
                        ObjectMapper mapper, Clock clock) {
        this.probe = probe;
        this.nli = nli;
        this.recall = recall;
        this.sessions = sessions;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Dispatches on {@code step}; the request fields ({@link VerificationStarter.Request}) sit in {@code input}. */
    public JsonNode handle(JsonNode event) {
        String step = event.path("step").asText("");
        JsonNode input = io.cato.memory.ConsolidationSteps.stepInput(event);
        return switch (step) {
            case "probe" -> probe(input);
            case "entail" -> entail(input);
            case "aggregate" -> toJson(aggregate(input.path("checks")));
            case "store" -> store(input);
            default -> throw new UnknownStepException(step);
        };
    }

    /** Runs every step in-process, as the embedded default does after an answer. */
    public Verdict verify(VerificationStarter.Request request) {
        JsonNode input = mapper.valueToTree(request);
        var checks = mapper.createArrayNode().add(probe(input)).add(entail(input));
        Verdict verdict = aggregate(checks);
        sessions.recordVerdict(request.session(), request.seq(), verdict);
        return verdict;
    }

    JsonNode probe(JsonNode input) {
        ObjectNode out = mapper.createObjectNode();
        try {
            ProbeResult result = probe.probe(input.path("query").asText(), input.path("answer").asText());
            return out.put("status", "ok").put("truthfulness", result.truthfulness());
        } catch (VerifierUnavailableException e) {
            return out.put("status", "unavailable");
        }
    }

    JsonNode entail(JsonNode input) {
        ObjectNode out = mapper.createObjectNode();
        var facts = recall.recall(input.path("tenant").asText(), input.path("domain").asText(),
                input.path("query").asText()).facts();
        if (facts.isEmpty()) {
            return out.put("status", "no_facts");
        }
        double entailment = 0;
        double contradiction = 0;
        try {
            for (Fact fact : facts) {
                NliResult result = nli.judge(fact.statement(), input.path("answer").asText());
                entailment = Math.max(entailment, result.entailment());
                contradiction = Math.max(contradiction, result.contradiction());
            }
        } catch (VerifierUnavailableException e) {
            return out.put("status", "unavailable");
        }
        return out.put("status", "ok").put("entailment", entailment).put("contradiction", contradiction)
                .put("facts", facts.size());
    }

    /** @param checks the probe's result, then the entailment's, as the Parallel state returns them */
    public Verdict aggregate(JsonNode checks) {
        JsonNode probeCheck = checks.path(0);
        JsonNode nliCheck = checks.path(1);
        Optional<Double> probeScore = score(probeCheck, "truthfulness");
        Optional<Double> entailment = score(nliCheck, "entailment");
        Optional<Double> contradiction = score(nliCheck, "contradiction");
        Verdict.Status status;
        if (contradiction.filter(c -> c >= CONTRADICTION).isPresent()) {
            status = Verdict.Status.CONTRADICTED;
        } else if (entailment.filter(e -> e >= ENTAILMENT).isPresent()
                || (probeScore.filter(p -> p >= SUPPORTED_PROBE).isPresent() && entailment.isEmpty())) {
            status = Verdict.Status.SUPPORTED;
        } else {
            status = Verdict.Status.UNKNOWN;
        }
        return new Verdict(status, probeCheck.path("status").asText("unavailable"),
                nliCheck.path("status").asText("unavailable"), probeScore, entailment, contradiction, clock.instant());
    }

    private JsonNode store(JsonNode input) {
        JsonNode v = input.path("verdict");
        Verdict verdict = new Verdict(Verdict.Status.of(v.path("status").asText("unknown")),
                v.path("probe").asText("unavailable"), v.path("nli").asText("unavailable"),
                optional(v, "probeScore"), optional(v, "entailment"), optional(v, "contradiction"),
                v.hasNonNull("judgedAt") ? java.time.Instant.parse(v.path("judgedAt").asText()) : clock.instant());
        boolean stored = sessions.recordVerdict(input.path("session").asText(), input.path("seq").asLong(), verdict);
        return mapper.createObjectNode().put("stored", stored).put("status", verdict.status().code());
    }

    private JsonNode toJson(Verdict verdict) {
        ObjectNode out = mapper.createObjectNode().put("status", verdict.status().code()).put("probe", verdict.probe())
                .put("nli", verdict.nli()).put("judgedAt", verdict.judgedAt().toString());
        verdict.probeScore().ifPresent(v -> out.put("probeScore", v));
        verdict.entailment().ifPresent(v -> out.put("entailment", v));
        verdict.contradiction().ifPresent(v -> out.put("contradiction", v));
        return out;
    }

    private static Optional<Double> score(JsonNode check, String field) {
        return "ok".equals(check.path("status").asText()) && check.hasNonNull(field)
                ? Optional.of(check.path(field).asDouble()) : Optional.empty();
    }

    private static Optional<Double> optional(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.path(field).asDouble()) : Optional.empty();
    }
}
