package io.cato.aws.opensearch;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import io.cato.aws.snapstart.SnapshotCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The vector indexes a function opens from its environment: the OpenSearch Serverless collection
 * at {@code CATO_OPENSEARCH_ENDPOINT} (SigV4 with the function's role), or, with
 * {@code CATO_OPENSEARCH_REFRESH=true}, a provisioned domain or local node over plain HTTP.
 */
public final class OpenSearchIndexes {
    private OpenSearchIndexes() {
    }

    /** The index named {@code index} in the configured collection; empty when no endpoint is set. */
    public static Optional<OpenSearchVectorIndex> fromEnvironment(Map<String, String> env, Region region, String index) {
        String endpoint = env.get("CATO_OPENSEARCH_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.empty();
        }
        boolean refresh = Boolean.parseBoolean(env.getOrDefault("CATO_OPENSEARCH_REFRESH", "false"));
        return Optional.of(refresh
                ? OpenSearchVectorIndex.forHttp(URI.create(endpoint), OpenSearchVectorIndex.Options.provisioned(index))
                : OpenSearchVectorIndex.forServerless(URI.create(endpoint), region,
                        SnapshotCredentials.around(DefaultCredentialsProvider.builder().build()),
                        OpenSearchVectorIndex.Options.serverless(index)));
    }
}
