package io.cato.route;

import io.cato.config.SettingsLoader;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * First-request latency of the route function in a fresh JVM, with and without the SnapStart
 * priming calls having run after init (what a snapshot taken after {@code beforeCheckpoint}
 * holds). Each run is a new JVM against one DynamoDB Local; init time and snapshot restore are
 * not part of the figure, only the first {@code handleRequest}.
 *
 * <p>Parent: {@code FirstRequestBenchmark RUNS}. Child: {@code FirstRequestBenchmark --child
 * prime|cold ENDPOINT SESSIONS IDEMPOTENCY CACHE BREAKERS}, printing the latency in microseconds.
 * A benchmark, not a test: run it with scripts/bench-priming.sh.
 */
public final class FirstRequestBenchmark {
    private FirstRequestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (DynamoDbLocal dynamo = new DynamoDbLocal()) {
            Map<String, List<Long>> results = new HashMap<>(Map.of("cold", new ArrayList<>(), "prime", new ArrayList<>()));
            for (int run = 0; run < runs; run++) {
                for (String mode : List.of("cold", "prime")) { // alternate, so drift hits both alike
                    Settings.Tables tables = dynamo.freshTables();
                    results.get(mode).add(spawn(mode, dynamo, tables));
                }
            }
            for (String mode : List.of("cold", "prime")) {
                List<Long> micros = results.get(mode).stream().sorted().toList();
                System.out.printf(Locale.ROOT, "%-6s runs=%d  median=%.1f ms  p90=%.1f ms  min=%.1f ms  max=%.1f ms%n",
                        mode.equals("prime") ? "primed" : "cold", micros.size(), at(micros, 0.5), at(micros, 0.9),
                        micros.getFirst() / 1000.0, micros.getLast() / 1000.0);
            }
        }
        System.exit(0); // DynamoDB Local leaves a non-daemon thread behind
    }

    private static double at(List<Long> sorted, double quantile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1)) / 1000.0;
    }

    private static long spawn(String mode, DynamoDbLocal dynamo, Settings.Tables tables)
            throws IOException, InterruptedException {
        String jvm = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(jvm, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", java.lang.management.ManagementFactory.getRuntimeMXBean().getClassPath(),
                FirstRequestBenchmark.class.getName(), "--child", mode,
                dynamo.endpoint().toString(), tables.sessions(), tables.idempotency(), tables.cache(), tables.breakers())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes()).strip();
        if (process.waitFor() != 0 || out.isEmpty()) {
            throw new IllegalStateException("child run failed: " + out);
        }
        return Long.parseLong(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    private static void child(String[] args) {
        RouteWiring wiring = new RouteWiring(new SettingsLoader(Map.of("CATO_AWS_ENDPOINT", args[2], "AWS_REGION", "us-east-1",
                "CATO_SESSIONS_TABLE", args[3], "CATO_IDEMPOTENCY_TABLE", args[4], "CATO_CACHE_TABLE", args[5],
                "CATO_BREAKERS_TABLE", args[6])).load(Optional.empty()));
        RouteHandler handler = new RouteHandler(wiring.api());
        if (args[1].equals("prime")) {
            new RoutePriming(wiring).prime();
        }
        long start = System.nanoTime();
        var response = handler.handleRequest(queryEvent("benchmark"), null);
        long micros = (System.nanoTime() - start) / 1000;
        if (response.getStatusCode() != 200) {
            throw new IllegalStateException("first request answered " + response.getStatusCode());
        }
        System.out.println(micros);
        System.exit(0);
    }

    /** The first request a client sends: a query in a new session, answered by the memory tier. */
    static APIGatewayProxyRequestEvent queryEvent(String session) {
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setApiKey("benchmark-key");
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/api/cato/query")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withIdentity(identity))
                .withBody("{\"query\":\"My name is Alice\",\"session_id\":\"" + session + "\"}");
    }
}
