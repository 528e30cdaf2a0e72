package io.cato.aws.snapstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.embedding.Embedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming for a function: named, read-only calls run once in {@code beforeCheckpoint}
 * so the snapshot holds their loaded classes, initialised SDK clients and compiled code. Nothing
 * unique to an environment is created, and a failing call is logged, never fatal. CRaC keeps
 * resources weakly: the function must hold on to the instance it {@link #register}s.
 */
public final class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    /** A partition key no tenant or domain can produce. */
    public static final String PRIMING_KEY = "#priming#";

    private final Map<String, Runnable> steps;

    private SnapStartPriming(Map<String, Runnable> steps) {
        this.steps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(steps));
    }

    /** Named steps, run in the order given. */
    public static SnapStartPriming of(Map<String, Runnable> steps) {
        return new SnapStartPriming(steps);
    }

    /** The usual steps of a workflow function: a DynamoDB read, a JSON round trip and one embedding. */
    public static SnapStartPriming forWorkflow(DynamoDbClient dynamo, String table, String partitionKey,
                                               String sortKey, ObjectMapper mapper, Embedder embedder) {
        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put("dynamodb", () -> dynamo.getItem(g -> g.tableName(table).key(Map.of(
                partitionKey, AttributeValue.fromS(PRIMING_KEY), sortKey, AttributeValue.fromS(PRIMING_KEY)))));
        steps.put("json", () -> {
            try {
                mapper.writeValueAsBytes(mapper.readTree("{\"step\":\"read\",\"limit\":1,\"items\":[{\"id\":\"x\"}]}"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        steps.put("embedding", () -> embedder.encode("What is machine learning?"));
        return of(steps);
    }

    /** Registers with the global CRaC context (SnapStart calls it before the snapshot). */
    public SnapStartPriming register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Credentials were held back until now; see SnapshotCredentials.
        SnapshotCredentials.restored();
    }

    /** Runs every step; returns the names of those that succeeded. */
    public java.util.List<String> prime() {
        java.util.List<String> done = new java.util.ArrayList<>();
        steps.forEach((name, step) -> {
            try {
                step.run();
                done.add(name);
            } catch (RuntimeException e) {
                LOG.atWarn().log(() -> "priming step '" + name + "' failed: " + e.getClass().getSimpleName());
            }
        });
        return done;
    }
}
