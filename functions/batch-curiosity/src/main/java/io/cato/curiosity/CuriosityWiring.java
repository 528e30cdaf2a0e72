package io.cato.curiosity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.AwsClients;
import io.cato.aws.bedrock.BedrockBatchInference;
import io.cato.aws.bedrock.BedrockFactExtraction;
import io.cato.aws.dynamodb.DynamoDbIngestionLedger;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.s3.S3BatchStore;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.aws.snapstart.SnapshotCredentials;
import io.cato.config.InvalidSettingsException;
import io.cato.config.Json;
import io.cato.config.Settings;
import io.cato.embedding.Embedder;
import io.cato.embedding.MiniLmTokenEncoder;
import java.time.Clock;
import software.amazon.awssdk.regions.Region;

/**
 * The curiosity function's wiring, built once per environment from its {@link Settings}: the sessions and memory
 * tables, S3 and Bedrock (each through its own endpoint override when one is set, else the common one), and the
 * batch jobs' tuning ({@code CATO_BATCH_MODEL_ID} is required).
 */
final class CuriosityWiring {
    private final ObjectMapper mapper = Json.newMapper();
    private final CuriositySteps steps;
    private final SnapStartPriming priming;

    CuriosityWiring(Settings settings) {
        SnapshotCredentials.beginIfInitialisingSnapshot(settings.lambda());
        Settings.Aws aws = settings.aws();
        Region region = Region.of(aws.region());
        var dynamo = AwsClients.of(aws).dynamoDb();
        var s3 = new AwsClients(region, aws.s3Endpoint().or(aws::endpoint)).s3();
        var bedrock = new AwsClients(region, aws.bedrockEndpoint().or(aws::endpoint)).bedrock();
        Embedder embedder = MiniLmTokenEncoder.load(1);
        Clock clock = Clock.systemUTC();
        var memory = new DynamoDbSemanticMemory(dynamo, settings.tables().memory());
        var sessions = new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessions().ttl());
        var parts = CuriosityParts.builder()
                .gaps(new KnowledgeGaps(sessions, memory, embedder, KnowledgeGaps.Limits.DEFAULT)).memory(memory)
                .watermarks(memory).store(new S3BatchStore(s3)).inference(new BedrockBatchInference(bedrock))
                .ledger(new DynamoDbIngestionLedger(dynamo, settings.tables().memory(), mapper, clock))
                .extractor(BedrockFactExtraction.from(settings.workflows().extraction(), aws.region(), mapper))
                .embedder(embedder).mapper(mapper).clock(clock).build();
        Settings.Batch batch = settings.workflows().batch();
        this.steps = new CuriositySteps(new Curiosity(parts, tuning(batch)), mapper, batch.bucket());
        this.priming = SnapStartPriming.forWorkflow(dynamo, settings.tables().memory(), DynamoDbSemanticMemory.PK,
                DynamoDbSemanticMemory.SK, mapper, embedder).register();
    }

    ObjectMapper mapper() {
        return mapper;
    }

    CuriositySteps steps() {
        return steps;
    }

    SnapStartPriming priming() {
        return priming;
    }

    static Curiosity.Tuning tuning(Settings.Batch batch) {
        String model = batch.modelId().orElseThrow(() -> new InvalidSettingsException(
                "CATO_BATCH_MODEL_ID: the Bedrock model of the curiosity batch job is required"));
        Settings.BatchSizes sizes = batch.sizes();
        return new Curiosity.Tuning(model, batch.jobNamePrefix(), sizes.minRecords(), sizes.maxRecords(),
                sizes.maxTokens(), sizes.pollSeconds());
    }
}
