package io.cato.aws.dynamodb;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.session.ExchangeCodec;
import io.cato.session.InteractionLog;
import io.cato.session.SessionStore;
import io.cato.session.Turn;
import io.cato.session.TurnDraft;
import io.cato.session.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Working memory in DynamoDB: one item per turn, partition key the session, sort key the turn's
 * sequence number. A turn is written only if its sequence number is free, so concurrent
 * appenders each take the next free place and none overwrites another. A verdict is added to
 * an existing turn with a conditional update that touches only the verdict.
 *
 * <p>As the nightly workflows' {@link InteractionLog} it scans the table: turns carry no index
 * by time, and a scan once a night costs less than a second index on every write.
 */
public final class DynamoDbSessionStore implements SessionStore, InteractionLog {
    public static final String PK = "session";
    public static final String SK = "seq";
    public static final String TTL = "expires_at";
    private static final int MAX_ATTEMPTS = 10_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration ttl;

    public DynamoDbSessionStore(DynamoDbClient dynamo, String table, Duration ttl) {
        this.dynamo = dynamo;
        this.table = table;
        this.ttl = ttl;
    }

    @Override
    public List<Turn> latest(String sessionKey, int limit) {
        QueryResponse response = DynamoDbErrors.call(table, () -> dynamo.query(q -> q.tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(sessionKey)))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(limit)));
        List<Turn> turns = new ArrayList<>(response.items().size());
        for (Map<String, AttributeValue> item : response.items()) {
            turns.addFirst(toTurn(item));
        }
        return turns;
    }

    @Override
    public Turn append(String sessionKey, TurnDraft draft) {
        List<Turn> last = latest(sessionKey, 1);
        long seq = last.isEmpty() ? 1 : last.getFirst().seq() + 1;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++, seq++) {
            Turn turn = draft.at(seq);
            try {
                DynamoDbErrors.call(table, () -> dynamo.putItem(p -> p.tableName(table)
                        .item(toItem(sessionKey, turn))
                        .conditionExpression("attribute_not_exists(#sk)")
                        .expressionAttributeNames(Map.of("#sk", SK))));
                return turn;
            } catch (ConditionalCheckFailedException taken) {
                // An earlier attempt of this very write may have landed (its answer timed out and the SDK
                // retried): then the turn is stored and must not be written twice. Otherwise another
                // request took this place first, and the next one up is the candidate.
                long place = seq;
                if (turn(sessionKey, place).filter(stored -> sameTurn(stored, turn)).isPresent()) {
                    return turn;
                }
            }
        }
        throw new DependencyUnavailableException("dynamodb:" + table,
                new IllegalStateException("no free turn position after " + MAX_ATTEMPTS + " attempts"));
    }

    @Override
    public boolean recordVerdict(String sessionKey, long seq, Verdict verdict) {
        Map<String, AttributeValue> value = new HashMap<>();
        value.put("status", AttributeValue.fromS(verdict.status().code()));
        value.put("probe", AttributeValue.fromS(verdict.probe()));
        value.put("nli", AttributeValue.fromS(verdict.nli()));
        value.put("judged_at", AttributeValue.fromS(verdict.judgedAt().toString()));
        verdict.probeScore().ifPresent(v -> value.put("probe_score", AttributeValue.fromN(Double.toString(v))));
        verdict.entailment().ifPresent(v -> value.put("entailment", AttributeValue.fromN(Double.toString(v))));
        verdict.contradiction().ifPresent(v -> value.put("contradiction", AttributeValue.fromN(Double.toString(v))));
        try {
            DynamoDbErrors.call(table, () -> dynamo.updateItem(u -> u.tableName(table)
                    .key(Map.of(PK, AttributeValue.fromS(sessionKey), SK, AttributeValue.fromN(Long.toString(seq))))
                    .updateExpression("SET #v = :v")
                    .conditionExpression("attribute_exists(#sk)")
                    .expressionAttributeNames(Map.of("#v", "verdict", "#sk", SK))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromM(value)))));
            return true;
        } catch (ConditionalCheckFailedException missing) {
            return false;
        }
    }

    @Override
    public List<Interaction> between(Instant from, Instant until, int limit) {
        List<Interaction> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> page = start;
            var response = DynamoDbErrors.call(table, () -> dynamo.scan(s -> s.tableName(table)
                    .consistentRead(true).exclusiveStartKey(page)));
            for (Map<String, AttributeValue> item : response.items()) {
                Turn turn = toTurn(item);
                if (!turn.at().isBefore(from) && !turn.at().isAfter(until)) {
                    found.add(new Interaction(item.get(PK).s(), turn));
                }
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return found.stream().sorted(Comparator.comparing((Interaction i) -> i.turn().at())
                .thenComparing(Interaction::sessionKey).thenComparingLong(i -> i.turn().seq())).limit(limit).toList();
    }

    @Override
    public Optional<Turn> turn(String sessionKey, long seq) {
        var response = DynamoDbErrors.call(table, () -> dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of(PK, AttributeValue.fromS(sessionKey), SK, AttributeValue.fromN(Long.toString(seq))))));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(toTurn(response.item())) : Optional.empty();
    }

    private static boolean sameTurn(Turn stored, Turn written) {
        return stored.at().equals(written.at()) && stored.query().equals(written.query())
                && stored.answer().equals(written.answer()) && stored.model().equals(written.model());
    }

    private Map<String, AttributeValue> toItem(String sessionKey, Turn turn) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of(
                PK, AttributeValue.fromS(sessionKey),
                SK, AttributeValue.fromN(Long.toString(turn.seq())),
                "query", AttributeValue.fromS(turn.query()),
                "answer", AttributeValue.fromS(turn.answer()),
                "model", AttributeValue.fromS(turn.model()),
                "at", AttributeValue.fromS(turn.at().toString()),
                "domain", AttributeValue.fromS(turn.domain()),
                TTL, AttributeValue.fromN(Long.toString(turn.at().plus(ttl).getEpochSecond()))));
        if (!turn.exchange().isEmpty()) {
            item.put("exchange", AttributeValue.fromS(ExchangeCodec.write(turn.exchange())));
        }
        return item;
    }

    private static Turn toTurn(Map<String, AttributeValue> item) {
        AttributeValue domain = item.get("domain");
        return Turn.builder().seq(Long.parseLong(item.get(SK).n())).query(item.get("query").s())
                .answer(item.get("answer").s()).model(item.get("model").s()).at(Instant.parse(item.get("at").s()))
                .domain(domain == null ? null : domain.s())
                .verdict(Optional.ofNullable(item.get("verdict")).map(v -> toVerdict(v.m())))
                .exchange(Optional.ofNullable(item.get("exchange")).map(e -> ExchangeCodec.read(e.s()))
                        .orElse(List.of())).build();
    }

    private static Verdict toVerdict(Map<String, AttributeValue> v) {
        return new Verdict(Verdict.Status.of(v.get("status").s()), v.get("probe").s(), v.get("nli").s(),
                number(v, "probe_score"), number(v, "entailment"), number(v, "contradiction"),
                Instant.parse(v.get("judged_at").s()));
    }

    private static Optional<Double> number(Map<String, AttributeValue> map, String key) {
        return Optional.ofNullable(map.get(key)).map(a -> Double.parseDouble(a.n()));
    }
}
