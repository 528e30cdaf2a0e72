package io.cato.aws.dynamodb;

import io.cato.api.DependencyUnavailableException;
import io.cato.session.SessionStore;
import io.cato.session.Turn;
import io.cato.session.TurnDraft;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Working memory in DynamoDB: one item per turn, partition key the session, sort key the turn's
 * sequence number. A turn is written only if its sequence number is free, so concurrent
 * appenders each take the next free place and none overwrites another.
 */
public final class DynamoDbSessionStore implements SessionStore {
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
                // Another request took this place first; the next one up is the candidate.
            }
        }
        throw new DependencyUnavailableException("dynamodb:" + table,
                new IllegalStateException("no free turn position after " + MAX_ATTEMPTS + " attempts"));
    }

    private Map<String, AttributeValue> toItem(String sessionKey, Turn turn) {
        return Map.of(
                PK, AttributeValue.fromS(sessionKey),
                SK, AttributeValue.fromN(Long.toString(turn.seq())),
                "query", AttributeValue.fromS(turn.query()),
                "answer", AttributeValue.fromS(turn.answer()),
                "model", AttributeValue.fromS(turn.model()),
                "at", AttributeValue.fromS(turn.at().toString()),
                TTL, AttributeValue.fromN(Long.toString(turn.at().plus(ttl).getEpochSecond())));
    }

    private static Turn toTurn(Map<String, AttributeValue> item) {
        return new Turn(Long.parseLong(item.get(SK).n()), item.get("query").s(), item.get("answer").s(),
                item.get("model").s(), Instant.parse(item.get("at").s()));
    }
}
