package io.cato.route;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.ApiRequest;
import io.cato.api.CatoApi;
import io.cato.config.Json;
import io.cato.aws.CacheBackend;
import io.cato.aws.snapstart.SnapStartPriming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming for the route function: before the snapshot, the hot paths run once so the
 * snapshot holds their loaded classes, initialised SDK clients and JIT-compiled code. Every call
 * is read-only (a GetItem on a key no turn uses, an admin status read, a JSON round trip, one
 * embedding) and nothing unique to an environment (ids, random seeds, credentials) is created.
 * Priming is best-effort: a failing call is logged and the snapshot is taken anyway.
 */
final class RoutePriming implements Resource {
    /** A session key no client can produce: tenants are prefixed "key-" or a local name, never "#". */
    static final String PRIMING_SESSION = "#priming#";
    private static final String PRIMING_PRINCIPAL = "arn:aws:iam::000000000000:role/cato-snapstart-priming";
    private static final String SAMPLE_QUERY = "{\"query\":\"What is the capital of France?\",\"session_id\":\"priming\"}";

    private final CatoApi api;
    private final DynamoDbClient dynamo;
    private final String sessionsTable;
    private final Optional<CacheBackend> cache;
    private final ObjectMapper mapper = Json.newMapper();

    RoutePriming(RouteWiring wiring) {
        this.api = wiring.api();
        this.dynamo = wiring.dynamo();
        this.sessionsTable = wiring.settings().tables().sessions();
        this.cache = wiring.cache();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // No per-environment state was made before the snapshot; credentials were held back until now.
        io.cato.aws.snapstart.SnapshotCredentials.restored();
    }

    /** Runs every priming call; returns how many succeeded. */
    int prime() {
        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put("dynamodb", () -> dynamo.getItem(g -> g.tableName(sessionsTable)
                .key(Map.of("session", AttributeValue.fromS(PRIMING_SESSION), "seq", AttributeValue.fromN("0")))));
        steps.put("json", () -> {
            try {
                mapper.writeValueAsBytes(mapper.readTree(SAMPLE_QUERY));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        steps.put("api", () -> api.handle(new ApiRequest("GET", "/api/admin/cato/status", Map.of(),
                new byte[0], Optional.of(PRIMING_PRINCIPAL))).bodyBytes());
        steps.put("api-request-parsing", () -> RouteHandler.toRequest(sampleEvent()));
        cache.ifPresent(c -> steps.put("embedding", () -> c.embedder().encode("What is the capital of France?")));
        return SnapStartPriming.of(steps).prime().size();
    }

    private static APIGatewayProxyRequestEvent sampleEvent() {
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/api/cato/query")
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(SAMPLE_QUERY);
    }
}
