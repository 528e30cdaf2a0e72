package io.cato.consolidate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.config.Json;
import io.cato.aws.AwsClients;
import io.cato.aws.CatoWiring;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.dynamodb.DynamoDbSessionStore;
import io.cato.aws.opensearch.OpenSearchIndexes;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.aws.sagemaker.SageMakerVerifiers;
import io.cato.cache.Embedder;
import io.cato.cache.MiniLmTokenEncoder;
import io.cato.cache.VectorIndex;
import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import io.cato.memory.ConsolidationSteps;
import io.cato.memory.EpisodicMemory;
import io.cato.aws.bedrock.BedrockFactExtraction;
import io.cato.memory.FactExtractor;
import io.cato.memory.MemoryRecall;
import io.cato.nli.NliClient;
import io.cato.verification.ShadowProbeClient;
import io.cato.verification.Verification;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the consolidate and verify functions from their environment: the tables from the
 * usual settings ({@code CATO_SESSIONS_TABLE}, {@code CATO_MEMORY_TABLE}), the episodic index
 * on OpenSearch ({@code CATO_OPENSEARCH_ENDPOINT}, {@code CATO_EPISODE_INDEX}, default
 * {@code cato-episodes}; none without an endpoint), the NLI and Shadow Self probe endpoints
 * ({@code CATO_NLI_ENDPOINT}, {@code CATO_SHADOW_PROBE_ENDPOINT}; unavailable without one), and
 * {@code CATO_AWS_ENDPOINT} as an endpoint override for DynamoDB Local or moto.
 */
final class WorkflowWiring {
    private static final Duration VERIFIER_TIMEOUT = Duration.ofSeconds(10);

    private WorkflowWiring() {
    }

    record Parts(Settings settings, AwsClients aws, ObjectMapper mapper, Embedder embedder,
                 Optional<VectorIndex> episodes, NliClient nli, ShadowProbeClient probe, FactExtractor extractor) {
    }

    static Parts from(Map<String, String> env) {
        Settings settings = new SettingsLoader(env).load(Optional.empty());
        Region region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        AwsClients aws = new AwsClients(region, Optional.ofNullable(env.get("CATO_AWS_ENDPOINT")).map(URI::create));
        ObjectMapper mapper = Json.newMapper();
        NliClient nli = Optional.ofNullable(env.get("CATO_NLI_ENDPOINT")).filter(s -> !s.isBlank())
                .map(name -> SageMakerVerifiers.nli(aws.sageMakerRuntime(VERIFIER_TIMEOUT), name, mapper))
                .orElse(NliClient.NONE);
        ShadowProbeClient probe = Optional.ofNullable(env.get("CATO_SHADOW_PROBE_ENDPOINT")).filter(s -> !s.isBlank())
                .map(name -> SageMakerVerifiers.probe(aws.sageMakerRuntime(VERIFIER_TIMEOUT), name, mapper))
                .orElse(ShadowProbeClient.NONE);
        return new Parts(settings, aws, mapper, MiniLmTokenEncoder.load(1), episodes(env, region), nli, probe,
                BedrockFactExtraction.fromEnvironment(env, mapper));
    }

    /** SnapStart priming for a workflow function, registered; the handler keeps the reference. */
    static SnapStartPriming priming(Parts parts) {
        return SnapStartPriming.forWorkflow(parts.aws().dynamoDb(), parts.settings().tables().memory(),
                DynamoDbSemanticMemory.PK, DynamoDbSemanticMemory.SK, parts.mapper(), parts.embedder()).register();
    }

    static ConsolidationSteps consolidation(Parts parts) {
        var dynamo = parts.aws().dynamoDb();
        return new ConsolidationSteps(CatoWiring.consolidation(parts.settings(), dynamo, parts.embedder(),
                parts.episodes(), parts.extractor(), parts.nli(), Clock.systemUTC()), parts.mapper());
    }

    static Verification verification(Parts parts) {
        var dynamo = parts.aws().dynamoDb();
        Settings settings = parts.settings();
        var recall = new MemoryRecall(new DynamoDbSemanticMemory(dynamo, settings.tables().memory()),
                parts.episodes().map(index -> new EpisodicMemory(parts.embedder(), index, Duration.ofDays(365))),
                parts.embedder(), Clock.systemUTC(), MemoryRecall.Limits.DEFAULT);
        return new Verification(parts.probe(), parts.nli(), recall,
                new DynamoDbSessionStore(dynamo, settings.tables().sessions(), settings.sessionTtl()), parts.mapper(),
                Clock.systemUTC());
    }

    private static Optional<VectorIndex> episodes(Map<String, String> env, Region region) {
        return OpenSearchIndexes.fromEnvironment(env, region, env.getOrDefault("CATO_EPISODE_INDEX", "cato-episodes"))
                .map(VectorIndex.class::cast);
    }
}
