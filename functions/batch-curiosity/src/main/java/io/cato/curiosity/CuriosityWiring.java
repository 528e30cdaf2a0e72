package io.cato.curiosity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.bedrock.BedrockFactExtraction;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.aws.bedrock.BedrockBatchInference;
import io.cato.aws.dynamodb.DynamoDbIngestionLedger;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.s3.S3BatchStore;
import io.cato.cache.Embedder;
import io.cato.cache.MiniLmTokenEncoder;
import io.cato.config.InvalidSettingsException;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the curiosity function from its environment: the sessions and memory tables from the
 * usual settings; {@code CATO_BATCH_MODEL_ID} (required), {@code CATO_ENVIRONMENT} (job names
 * start {@code cato-<environment>-curiosity-}, which the completion rule matches),
 * {@code CATO_BATCH_BUCKET} (used when a step names no bucket), {@code CATO_BATCH_MIN_RECORDS}
 * (the model's minimum records per job, default 100), {@code CATO_BATCH_MAX_RECORDS} (default
 * 5,000), {@code CATO_BATCH_MAX_TOKENS} (per answer, default 512), {@code CATO_BATCH_POLL_SECONDS}
 * (between status polls, default 900). {@code CATO_AWS_ENDPOINT} overrides every endpoint,
 * {@code CATO_S3_ENDPOINT} and {@code CATO_BEDROCK_ENDPOINT} one service's (moto, a stub).
 */
record CuriosityWiring(ObjectMapper mapper, CuriositySteps steps, SnapStartPriming priming) {

    static CuriosityWiring from(Map<String, String> env) {
        Settings settings = new SettingsLoader(env).load(Optional.empty());
        Region region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        Optional<URI> common = endpoint(env, "CATO_AWS_ENDPOINT");
        AwsClients aws = new AwsClients(region, common);
        var dynamo = aws.dynamoDb();
        var s3 = new AwsClients(region, endpoint(env, "CATO_S3_ENDPOINT").or(() -> common)).s3();
        var bedrock = new AwsClients(region, endpoint(env, "CATO_BEDROCK_ENDPOINT").or(() -> common)).bedrock();
        ObjectMapper mapper = Json.newMapper();
        Embedder embedder = MiniLmTokenEncoder.load(1);
        Clock clock = Clock.systemUTC();
        var memory = new DynamoDbSemanticMemory(dynamo, settings.tables().memory());
        var sessions = new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessionTtl());
        var parts = new Curiosity.Parts(new KnowledgeGaps(sessions, memory, embedder, KnowledgeGaps.Limits.DEFAULT),
                memory, memory, new S3BatchStore(s3), new BedrockBatchInference(bedrock),
                new DynamoDbIngestionLedger(dynamo, settings.tables().memory(), mapper, clock),
                BedrockFactExtraction.fromEnvironment(env, mapper), embedder, mapper, clock);
        Curiosity curiosity = new Curiosity(parts, tuning(env));
        return new CuriosityWiring(mapper, new CuriositySteps(curiosity, mapper,
                Optional.ofNullable(env.get("CATO_BATCH_BUCKET")).filter(b -> !b.isBlank())),
                SnapStartPriming.forWorkflow(dynamo, settings.tables().memory(), DynamoDbSemanticMemory.PK,
                        DynamoDbSemanticMemory.SK, mapper, embedder).register());
    }

    static Curiosity.Tuning tuning(Map<String, String> env) {
        String model = env.get("CATO_BATCH_MODEL_ID");
        if (model == null || model.isBlank()) {
            throw new InvalidSettingsException("CATO_BATCH_MODEL_ID: the Bedrock model of the curiosity batch job is required");
        }
        String environment = env.getOrDefault("CATO_ENVIRONMENT", "dev");
        var defaults = Curiosity.Tuning.defaults(model, "cato-" + environment + "-curiosity-");
        return new Curiosity.Tuning(model, defaults.jobNamePrefix(),
                positive(env, "CATO_BATCH_MIN_RECORDS", defaults.minimumRecords()),
                positive(env, "CATO_BATCH_MAX_RECORDS", defaults.maximumRecords()),
                positive(env, "CATO_BATCH_MAX_TOKENS", defaults.maxTokens()),
                positive(env, "CATO_BATCH_POLL_SECONDS", defaults.pollSeconds()));
    }

    private static int positive(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSettingsException(name + " must be a positive whole number, got '" + value + "'");
    }

    private static Optional<URI> endpoint(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank()).map(URI::create);
    }
}
