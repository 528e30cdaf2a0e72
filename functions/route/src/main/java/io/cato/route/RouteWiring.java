package io.cato.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.CatoApi;
import io.cato.api.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.CatoWiring;
import io.cato.aws.appconfig.AppConfigRolloutFlag;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.rollout.FixedRolloutFlag;
import io.cato.rollout.RolloutFlag;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the route function from its environment: settings, AWS clients (with an endpoint
 * override, {@code CATO_AWS_ENDPOINT}, for DynamoDB Local or moto), and the rollout flag from
 * AppConfig when {@code CATO_APPCONFIG_APPLICATION} names one.
 */
public record RouteWiring(CatoApi api, DynamoDbClient dynamo) {

    public static RouteWiring fromEnvironment() {
        return from(System.getenv());
    }

    public static RouteWiring from(Map<String, String> env) {
        Settings settings = new SettingsLoader(env).load(Optional.empty());
        Region region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        AwsClients aws = new AwsClients(region, Optional.ofNullable(env.get("CATO_AWS_ENDPOINT")).map(URI::create));
        ObjectMapper mapper = Json.newMapper();
        DynamoDbClient dynamo = aws.dynamoDb();
        CatoApi api = CatoWiring.api(settings, dynamo, rollout(env, settings, aws, mapper), mapper,
                CatoWiring.httpClient(), Clock.systemUTC());
        return new RouteWiring(api, dynamo);
    }

    private static RolloutFlag rollout(Map<String, String> env, Settings settings, AwsClients aws, ObjectMapper mapper) {
        String application = env.get("CATO_APPCONFIG_APPLICATION");
        if (application == null || application.isBlank()) {
            return new FixedRolloutFlag(settings.rolloutPercentage());
        }
        var location = new AppConfigRolloutFlag.Location(application, env.getOrDefault("CATO_APPCONFIG_ENVIRONMENT", "prod"),
                env.getOrDefault("CATO_APPCONFIG_PROFILE", "rollout"));
        return new AppConfigRolloutFlag(aws.appConfigData(), location, mapper, Clock.systemUTC(),
                settings.rolloutPercentage());
    }
}
