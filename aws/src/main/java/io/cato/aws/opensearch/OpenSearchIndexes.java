package io.cato.aws.opensearch;

import io.cato.aws.snapstart.SnapshotCredentials;
import io.cato.config.Settings;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The vector indexes a function opens: the OpenSearch Serverless collection at the configured endpoint
 * ({@code CATO_OPENSEARCH_ENDPOINT}; SigV4 with the function's role), or, with {@code refresh}
 * ({@code CATO_OPENSEARCH_REFRESH=true}), a provisioned domain or local node over plain HTTP.
 */
public final class OpenSearchIndexes {
    private OpenSearchIndexes() {
    }

    /** The index named {@code index} in the configured collection; empty when no endpoint is set. */
    public static Optional<OpenSearchVectorIndex> open(Settings.OpenSearch openSearch, Region region, String index) {
        return openSearch.endpoint().map(endpoint -> openSearch.refresh()
                ? OpenSearchVectorIndex.forHttp(endpoint, OpenSearchVectorIndex.Options.provisioned(index))
                : OpenSearchVectorIndex.forServerless(endpoint, region,
                        SnapshotCredentials.around(DefaultCredentialsProvider.builder().build()),
                        OpenSearchVectorIndex.Options.serverless(index)));
    }
}
