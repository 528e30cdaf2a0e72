package io.cato.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.aws.AwsClients;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.local.EmbeddedDynamoDb;
import io.cato.local.LocalCato;
import io.cato.session.Turn;
import io.cato.testing.OpenAiStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The embedded default pointed at a DynamoDB endpoint of its own (`cato serve --dynamodb URL`): its tables and
 * turns live there, and no DynamoDB Local is started in the data directory.
 */
class ExternalDynamoDbTest {

    @Test
    void givenAnEndpoint_theConversationIsStoredThere_andNoEmbeddedStoreIsStarted(@TempDir Path data) {
        try (EmbeddedDynamoDb store = EmbeddedDynamoDb.inMemory();
             OpenAiStub model = new OpenAiStub().answering("An answer.");
             DynamoDbClient dynamo = new AwsClients(Region.US_EAST_1, Optional.of(store.endpoint())).dynamoDb()) {
            Settings settings = new SettingsLoader(Map.of("CATO_PORT", "0", "CATO_DATA_DIR", data.toString(),
                    "CATO_ADMIN_TOKEN", "t", "CATO_TIER_SHADOW_BASE_URL", model.baseUrl().toString()))
                    .load(Optional.empty());
            try (LocalCato cato = LocalCato.start(settings, "127.0.0.1", Optional.of(store.endpoint()))) {
                Http http = new Http(cato.port());
                assertThat(http.query("external", "What is the capital of Chile?").path("response").asText())
                        .isEqualTo("An answer.");
                assertThat(http.query("external", "And of Peru?").path("turn").asLong()).isEqualTo(2);
            }
            List<Turn> turns = new DynamoDbSessionStore(dynamo, settings.tables().sessions(), Duration.ofDays(1))
                    .latest(new io.cato.session.SessionKey(io.cato.api.CatoApi.DEFAULT_TENANT, "external").storageKey(), 10);
            assertThat(turns).extracting(Turn::query).containsExactly("What is the capital of Chile?", "And of Peru?");
            assertThat(Files.exists(data.resolve("dynamodb"))).isFalse();
        }
    }
}
