package io.cato.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.aws.testing.OpenSearchNode;
import io.cato.cache.VectorIndex;
import io.cato.testing.VectorIndexContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.mapping.KnnVectorProperty;
import org.opensearch.client.opensearch._types.mapping.Property;
import org.opensearch.client.opensearch.indices.IndexSettings;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

class OpenSearchVectorIndexTest extends VectorIndexContract {
    @Override
    protected VectorIndex newIndex() {
        return OpenSearchNode.shared().freshVectorIndex();
    }

    @Test
    void createIfMissing_isIdempotentAndKeepsTheEntries() {
        OpenSearchVectorIndex opensearch = (OpenSearchVectorIndex) index;
        index.put(entry("kept", scope("t1", "general"), randomUnit()));

        assertThat(opensearch.createIfMissing()).isFalse();
        assertThat(opensearch.createIfMissing()).isFalse();

        assertThat(index.get("kept")).isPresent();
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void createIfMissing_createsAKnnIndexOnTheLuceneEngineWithCosine() throws IOException {
        OpenSearchNode node = OpenSearchNode.shared();
        String name = OpenSearchNode.freshIndexName("mapping");
        try (var fresh = OpenSearchVectorIndex.forHttp(node.endpoint(), OpenSearchVectorIndex.Options.provisioned(name));
             OpenSearchTransport transport = ApacheHttpClient5TransportBuilder
                     .builder(new HttpHost("http", node.endpoint().getHost(), node.endpoint().getPort()))
                     .setMapper(new JacksonJsonpMapper()).build()) {
            assertThat(fresh.createIfMissing()).isTrue();
            OpenSearchClient raw = new OpenSearchClient(transport);

            IndexSettings settings = raw.indices().getSettings(s -> s.index(name)).get(name).settings();
            Boolean knn = settings.index() != null ? settings.index().knn() : settings.knn();
            Map<String, Property> properties = raw.indices().getMapping(m -> m.index(name)).get(name).mappings()
                    .properties();
            KnnVectorProperty vector = properties.get("vector").knnVector();

            assertThat(knn).isTrue();
            assertThat(vector.dimension()).isEqualTo(384);
            assertThat(vector.method().name()).isEqualTo("hnsw");
            assertThat(vector.method().engine()).isEqualTo("lucene");
            assertThat(vector.method().spaceType()).isEqualTo("cosinesimil");
            assertThat(properties.get("scope").isKeyword()).isTrue();
            assertThat(properties.get("expires_ms").isLong()).isTrue();
            assertThat(properties.get("encoding").isBinary()).isTrue();
            assertThat(properties.get("question").text().index()).isFalse();
        }
    }

    @Test
    void requestsToAMissingIndex_areRefusedWithTheIndexAndStatus() {
        String name = OpenSearchNode.freshIndexName("missing");
        try (var missing = OpenSearchVectorIndex.forHttp(OpenSearchNode.shared().endpoint(),
                OpenSearchVectorIndex.Options.provisioned(name))) {
            assertThatThrownBy(missing::size)
                    .isInstanceOfSatisfying(VectorIndexRequestException.class, e -> {
                        assertThat(e.index()).isEqualTo(name);
                        assertThat(e.status()).isEqualTo(404);
                    });
            assertThatThrownBy(() -> missing.delete("e1")).isInstanceOf(VectorIndexRequestException.class);
        }
    }

    @Test
    void anUnreachableNode_isReportedUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (var unreachable = OpenSearchVectorIndex.forHttp(URI.create("http://127.0.0.1:" + closedPort),
                OpenSearchVectorIndex.Options.provisioned("cache"))) {
            assertThatThrownBy(unreachable::size)
                    .isInstanceOfSatisfying(DependencyUnavailableException.class,
                            e -> assertThat(e.dependency()).isEqualTo("opensearch:cache"));
        }
    }
}
