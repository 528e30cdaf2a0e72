package io.cato.consolidate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.aws.AwsClients;
import io.cato.aws.DynamoDbComponents;
import io.cato.aws.bedrock.BedrockFactExtraction;
import io.cato.aws.dynamodb.DynamoDbSemanticMemory;
import io.cato.aws.opensearch.OpenSearchIndexes;
import io.cato.aws.sagemaker.SageMakerVerifiers;
import io.cato.aws.snapstart.SnapStartPriming;
import io.cato.aws.snapstart.SnapshotCredentials;
import io.cato.cache.VectorIndex;
import io.cato.config.Json;
import io.cato.config.Settings;
import io.cato.embedding.Embedder;
import io.cato.embedding.MiniLmTokenEncoder;
import io.cato.memory.ConsolidationSteps;
import io.cato.nli.NliClient;
import io.cato.verification.ShadowProbeClient;
import io.cato.verification.Verification;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The consolidate and verify functions' wiring, built once per environment from their {@link Settings}: the
 * sessions and memory tables, the episodic index on OpenSearch (none without an endpoint), the NLI and Shadow
 * Self probe endpoints (unavailable without one) and the fact extractor. Each function asks for its steps.
 */
final class WorkflowWiring {
    private static final Duration VERIFIER_TIMEOUT = Duration.ofSeconds(10);

    private final Settings settings;
    private final AwsClients aws;
    private final ObjectMapper mapper = Json.newMapper();
    private final Clock clock = Clock.systemUTC();
    private final Embedder embedder;
    private final Optional<VectorIndex> episodes;
    private final DynamoDbComponents components;

    WorkflowWiring(Settings settings) {
        SnapshotCredentials.beginIfInitialisingSnapshot(settings.lambda());
        this.settings = settings;
        this.aws = AwsClients.of(settings.aws());
        this.embedder = MiniLmTokenEncoder.load(1);
        this.episodes = OpenSearchIndexes.open(settings.aws().openSearch(), Region.of(settings.aws().region()),
                settings.aws().openSearch().episodeIndex()).map(VectorIndex.class::cast);
        this.components = new DynamoDbComponents(settings, aws.dynamoDb(), mapper, clock);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** SnapStart priming for a workflow function, registered; the handler keeps the reference. */
    SnapStartPriming priming() {
        return SnapStartPriming.forWorkflow(aws.dynamoDb(), settings.tables().memory(), DynamoDbSemanticMemory.PK,
                DynamoDbSemanticMemory.SK, mapper, embedder).register();
    }

    ConsolidationSteps consolidation() {
        var extractor = BedrockFactExtraction.from(settings.workflows().extraction(), settings.aws().region(), mapper);
        return new ConsolidationSteps(components.consolidation(components.facts(), embedder, episodes, extractor,
                nli()), mapper);
    }

    Verification verification() {
        return new Verification(probe(), nli(), components.recall(components.facts(), embedder, episodes),
                components.sessions(), mapper, clock);
    }

    private NliClient nli() {
        return settings.workflows().nliEndpoint()
                .map(name -> SageMakerVerifiers.nli(aws.sageMakerRuntime(VERIFIER_TIMEOUT), name, mapper))
                .orElse(NliClient.NONE);
    }

    private ShadowProbeClient probe() {
        return settings.workflows().shadowProbeEndpoint()
                .map(name -> SageMakerVerifiers.probe(aws.sageMakerRuntime(VERIFIER_TIMEOUT), name, mapper))
                .orElse(ShadowProbeClient.NONE);
    }
}
