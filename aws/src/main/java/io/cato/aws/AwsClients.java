package io.cato.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.appconfigdata.AppConfigDataClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds AWS SDK clients. An endpoint override points the same code at AWS, DynamoDB Local,
 * moto or a loopback stub; with an override, static dummy credentials are used because those
 * engines accept any signature.
 */
public final class AwsClients {
    private final Region region;
    private final Optional<URI> endpointOverride;

    public AwsClients(Region region, Optional<URI> endpointOverride) {
        this.region = region;
        this.endpointOverride = endpointOverride;
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

    private AwsCredentialsProvider credentials() {
        return endpointOverride.isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
    }
}
