package io.cato.route;

import io.cato.config.SettingsLoader;
import static org.assertj.core.api.Assertions.assertThat;

import io.cato.aws.testing.DynamoDbLocal;
import io.cato.config.Settings;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Priming runs the hot paths against DynamoDB Local and leaves no trace in any table. */
class RoutePrimingTest {
    private static final DynamoDbLocal DYNAMO = new DynamoDbLocal();

    @AfterAll
    static void stop() {
        DYNAMO.close();
    }

    private static RouteWiring wiring(Settings.Tables tables) {
        return new RouteWiring(new SettingsLoader(Map.of("CATO_AWS_ENDPOINT", DYNAMO.endpoint().toString(), "AWS_REGION", "us-east-1",
                "CATO_SESSIONS_TABLE", tables.sessions(), "CATO_IDEMPOTENCY_TABLE", tables.idempotency(),
                "CATO_BREAKERS_TABLE", tables.breakers(), "CATO_CACHE_TABLE", tables.cache())).load(Optional.empty()));
    }

    @Test
    void prime_runsEveryStepAndWritesNothing() {
        Settings.Tables tables = DYNAMO.freshTables();

        int primed = new RoutePriming(wiring(tables)).prime();

        assertThat(primed).isEqualTo(4);
        for (String table : new String[] {tables.sessions(), tables.idempotency(), tables.breakers(), tables.cache()}) {
            assertThat(DYNAMO.client().scan(s -> s.tableName(table)).count()).as(table).isZero();
        }
    }

    @Test
    void prime_whenTheTableIsMissing_skipsThatStepWithoutFailing() {
        Settings.Tables missing = new Settings.Tables("absent-sessions", "absent-idem", "absent-cache", "absent-breakers",
                "absent-memory", "absent-budgets");

        assertThat(new RoutePriming(wiring(missing)).prime()).isEqualTo(3);
    }

    @Test
    void primedHandler_stillAnswersItsFirstRequest() {
        Settings.Tables tables = DYNAMO.freshTables();
        RouteWiring wiring = wiring(tables);
        new RoutePriming(wiring).prime();

        var response = new RouteHandler(wiring).handleRequest(FirstRequestBenchmark.queryEvent("after-priming"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(DYNAMO.client().scan(s -> s.tableName(tables.sessions())).count()).isEqualTo(1);
    }
}
