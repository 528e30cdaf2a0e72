package io.cato.aws;

import io.cato.aws.snapstart.SnapshotCredentials;
import io.cato.config.Settings;
import io.cato.model.TierConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.appconfigdata.AppConfigDataClient;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Builds AWS SDK clients. An endpoint override points the same code at AWS, DynamoDB Local,
 * moto or a loopback stub; with an override, static dummy credentials are used because those
 * engines accept any signature.
 */
public final class AwsClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Region region;
    private final Optional<URI> endpointOverride;

    public AwsClients(Region region, Optional<URI> endpointOverride) {
        this.region = region;
        this.endpointOverride = endpointOverride;
    }

    /** Clients in the configured region, through the configured endpoint override when there is one. */
    public static AwsClients of(Settings.Aws aws) {
        return new AwsClients(Region.of(aws.region()), aws.endpoint());
    }

    public DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder()
                .region(region)
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(8))
                        .apiCallAttemptTimeout(Duration.ofSeconds(3))
                        .build());
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public AppConfigDataClient appConfigData() {
        var builder = AppConfigDataClient.builder()
                .region(region)
                .credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)));
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** SageMaker InvokeEndpoint for the verifiers (NLI, Shadow Self probe). */
    public SageMakerRuntimeClient sageMakerRuntime(Duration timeout) {
        var builder = SageMakerRuntimeClient.builder().region(region).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(timeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(timeout).build());
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** S3, path-style so that moto and other emulators behind one host name work. */
    public S3Client s3() {
        var builder = S3Client.builder().region(region).credentialsProvider(credentials())
                .forcePathStyle(endpointOverride.isPresent())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT));
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The Bedrock control plane (batch inference jobs), not the runtime. */
    public BedrockClient bedrock() {
        var builder = BedrockClient.builder().region(region).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT));
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Step Functions, to start the verify state machine. */
    public SfnClient stepFunctions() {
        var builder = SfnClient.builder().region(region).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT));
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Bedrock Converse for one tier; see {@link #forTier}. */
    public static BedrockRuntimeClient bedrockRuntime(TierConfig tier) {
        return forTier(BedrockRuntimeClient.builder(), tier)
                .httpClientBuilder(syncHttp(tier))
                .overrideConfiguration(modelCallConfiguration().apiCallTimeout(tier.timeout()).build())
                .build();
    }

    /**
     * Bedrock ConverseStream for one tier. No API call timeout here: it would also cut a long
     * answer mid-stream. The client bounds the wait for the first event and the whole stream by
     * the request's deadline; the read timeout bounds a stall between chunks. HTTP/1.1, because
     * the SDK defaults Bedrock Runtime to HTTP/2 for its bidirectional operation, which Cato
     * does not use; ConverseStream only streams the response, and one Lambda environment has
     * one request in flight, so multiplexing would buy nothing.
     */
    public static BedrockRuntimeAsyncClient bedrockRuntimeAsync(TierConfig tier) {
        return forTier(BedrockRuntimeAsyncClient.builder(), tier)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .protocol(Protocol.HTTP1_1)
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .readTimeout(tier.timeout()))
                .overrideConfiguration(modelCallConfiguration().build())
                .build();
    }

    /** SageMaker InvokeEndpoint for one tier; see {@link #forTier}. */
    public static SageMakerRuntimeClient sageMakerRuntime(TierConfig tier) {
        return forTier(SageMakerRuntimeClient.builder(), tier)
                .httpClientBuilder(syncHttp(tier))
                .overrideConfiguration(modelCallConfiguration().apiCallTimeout(tier.timeout()).build())
                .build();
    }

    /**
     * A model tier's client takes the tier's own region and endpoint override. Without a region
     * the SDK's default chain decides ({@code AWS_REGION} in Lambda); an endpoint override with no
     * region signs for us-east-1, which stubs and emulators accept.
     */
    private static <B extends AwsClientBuilder<B, ?>> B forTier(B builder, TierConfig tier) {
        Region region = tier.region().map(Region::of)
                .or(() -> tier.endpoint().map(endpoint -> Region.US_EAST_1))
                .orElseGet(() -> defaultRegion(tier));
        tier.endpoint().ifPresent(builder::endpointOverride);
        return builder.region(region).credentialsProvider(credentials(tier.endpoint()));
    }

    private static Region defaultRegion(TierConfig tier) {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("tier " + tier.name() + ": no AWS region; set the tier's region or AWS_REGION", e);
        }
    }

    private static UrlConnectionHttpClient.Builder syncHttp(TierConfig tier) {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(tier.timeout());
    }

    /**
     * The SDK does not retry model calls: throttling is retried by RetryingModelClient within the
     * request's deadline, and every other failure is the fallback chain's to handle.
     */
    private static ClientOverrideConfiguration.Builder modelCallConfiguration() {
        return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry());
    }

    private AwsCredentialsProvider credentials() {
        return credentials(endpointOverride);
    }

    /** Never resolved before a SnapStart snapshot: see {@link SnapshotCredentials}. */
    private static AwsCredentialsProvider credentials(Optional<URI> endpointOverride) {
        return SnapshotCredentials.around(endpointOverride.isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build());
    }
}
