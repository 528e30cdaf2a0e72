package io.cato.aws.opensearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.api.DependencyUnavailableException;
import io.cato.cache.CacheEntry;
import io.cato.cache.VectorIndex;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Conflicts;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.Result;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The semantic cache's vector tier on OpenSearch: one document per entry (its id is the entry
 * id), a k-NN field searched with an exact-match filter on the scope and on expiry.
 *
 * <p>In AWS it talks to an OpenSearch Serverless vector collection ({@link #forServerless}), which
 * does not accept {@code refresh} on writes: there {@link Options#refreshOnWrite} must be false,
 * and a put becomes visible to {@link #nearest}, {@link #size} and the delete-by-query operations
 * only after the collection's own periodic refresh. For a cache that costs a few misses (one more
 * model call), never a wrong answer. On a provisioned domain or a local node, refresh on write
 * keeps the port's promise that a put is visible to the next lookup.
 *
 * <p>Scores: OpenSearch reports {@code (1 + cosine) / 2} for {@code cosinesimil} on the Lucene
 * engine; {@link Neighbour#similarity} is the cosine again.
 */
public final class OpenSearchVectorIndex implements VectorIndex {
    /** OpenSearch's default {@code index.max_result_window}: the largest page one search returns. */
    private static final int MAX_PAGE = 10_000;
    private static final String SERVERLESS_SERVICE = "aoss";

    private final OpenSearchClient client;
    private final Options options;
    private final AutoCloseable ownedResources;

    /**
     * @param index name of the index holding the entries
     * @param dimension length of every vector (384 for all-MiniLM-L6-v2)
     * @param refreshOnWrite refresh after each write so the next search sees it; must be false on
     *                       OpenSearch Serverless, which rejects the parameter
     */
    public record Options(String index, int dimension, boolean refreshOnWrite) {
        public static final int MINILM_DIMENSION = 384;

        public Options {
            Objects.requireNonNull(index, "index");
            if (dimension <= 0) {
                throw new IllegalArgumentException("dimension must be positive: " + dimension);
            }
        }

        /** A provisioned domain or a local node: writes are refreshed. */
        public static Options provisioned(String index) {
            return new Options(index, MINILM_DIMENSION, true);
        }

        /** An OpenSearch Serverless collection: no refresh on writes (see the class comment). */
        public static Options serverless(String index) {
            return new Options(index, MINILM_DIMENSION, false);
        }
    }

    /** Uses a client the caller owns and closes. */
    public OpenSearchVectorIndex(OpenSearchClient client, Options options) {
        this(client, options, () -> { });
    }

    private OpenSearchVectorIndex(OpenSearchClient client, Options options, AutoCloseable ownedResources) {
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.ownedResources = ownedResources;
    }

    /** An OpenSearch Serverless collection, requests signed with SigV4 for the {@code aoss} service. */
    public static OpenSearchVectorIndex forServerless(URI collectionEndpoint, Region region,
                                                      AwsCredentialsProvider credentials, Options options) {
        SdkHttpClient http = ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5))
                .build();
        OpenSearchTransport transport = new AwsSdk2Transport(http, collectionEndpoint.getHost(), SERVERLESS_SERVICE,
                region, AwsSdk2TransportOptions.builder()
                        .setCredentials(credentials)
                        .setMapper(mapper())
                        .build());
        return new OpenSearchVectorIndex(new OpenSearchClient(transport), options, () -> {
            transport.close();
            http.close();
        });
    }

    /** A node over plain HTTP (a local node, or one behind a proxy that signs). */
    public static OpenSearchVectorIndex forHttp(URI endpoint, Options options) {
        OpenSearchTransport transport = ApacheHttpClient5TransportBuilder
                .builder(new HttpHost(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort()))
                .setMapper(mapper())
                .build();
        return new OpenSearchVectorIndex(new OpenSearchClient(transport), options, transport::close);
    }

    private static JacksonJsonpMapper mapper() {
        return new JacksonJsonpMapper(new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false));
    }

    public String indexName() {
        return options.index();
    }

    /** Creates the index with the cache mapping unless it exists; true when it was created now. */
    public boolean createIfMissing() {
        return call("create index", () -> {
            if (client.indices().exists(e -> e.index(options.index())).value()) {
                return false;
            }
            try {
                client.indices().create(c -> c.index(options.index())
                        .settings(CacheIndexMapping.settings())
                        .mappings(CacheIndexMapping.mapping(options.dimension())));
                return true;
            } catch (OpenSearchException e) {
                if ("resource_already_exists_exception".equals(e.error().type())) {
                    return false; // another environment created it between our check and our create
                }
                throw e;
            }
        });
    }

    @Override
    public void put(CacheEntry entry) {
        if (entry.vector().length != options.dimension()) {
            throw new IllegalArgumentException("vector of " + entry.vector().length + " dimensions, index "
                    + options.index() + " holds " + options.dimension());
        }
        call("put", () -> client.index(i -> i.index(options.index())
                .id(entry.id())
                .document(CacheDocument.of(entry))
                .refresh(writeRefresh())));
    }

    @Override
    public List<Neighbour> nearest(float[] vector, String scopeKey, int k, Instant now) {
        Query filter = Query.of(q -> q.bool(b -> b
                .filter(f -> f.term(t -> t.field(CacheDocument.SCOPE).value(v -> v.stringValue(scopeKey))))
                .filter(f -> f.range(r -> r.field(CacheDocument.EXPIRES).gt(JsonData.of(now.toEpochMilli()))))));
        SearchResponse<CacheDocument> response = call("nearest", () -> client.search(s -> s
                .index(options.index())
                .size(k)
                .query(q -> q.knn(n -> n.field(CacheDocument.VECTOR).vector(boxed(vector)).k(k).filter(filter))),
                CacheDocument.class));
        List<Neighbour> result = new ArrayList<>(response.hits().hits().size());
        for (Hit<CacheDocument> hit : response.hits().hits()) {
            result.add(new Neighbour(hit.source().toEntry(), 2.0 * hit.score() - 1.0));
        }
        return result;
    }

    @Override
    public Optional<CacheEntry> get(String id) {
        return call("get", () -> {
            var response = client.get(g -> g.index(options.index()).id(id), CacheDocument.class);
            return response.found() ? Optional.of(response.source().toEntry()) : Optional.<CacheEntry>empty();
        });
    }

    @Override
    public boolean delete(String id) {
        return call("delete", () -> {
            try {
                return client.delete(d -> d.index(options.index()).id(id).refresh(writeRefresh())).result()
                        == Result.Deleted;
            } catch (OpenSearchException e) {
                if (e.status() == 404 && !"index_not_found_exception".equals(e.error().type())) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public long deleteDomain(String domain) {
        return deleteMatching("delete domain",
                Query.of(q -> q.term(t -> t.field(CacheDocument.DOMAIN).value(v -> v.stringValue(domain)))));
    }

    @Override
    public long evict(Instant now, long maxEntries) {
        long removed = deleteMatching("evict expired",
                Query.of(q -> q.range(r -> r.field(CacheDocument.EXPIRES).lte(JsonData.of(now.toEpochMilli())))));
        long excess = size() - maxEntries;
        while (excess > 0) {
            List<String> oldest = oldestIds((int) Math.min(excess, MAX_PAGE));
            if (oldest.isEmpty()) {
                break;
            }
            long deleted = deleteIds(oldest);
            removed += deleted;
            excess -= oldest.size();
        }
        return removed;
    }

    @Override
    public long size() {
        return call("size", () -> client.count(c -> c.index(options.index())).count());
    }

    @Override
    public void close() {
        try {
            ownedResources.close();
        } catch (Exception e) {
            throw new DependencyUnavailableException("opensearch:" + options.index(), e);
        }
    }

    private List<String> oldestIds(int count) {
        SearchResponse<Void> response = call("find oldest", () -> client.search(s -> s
                .index(options.index())
                .size(count)
                .source(src -> src.fetch(false))
                .sort(o -> o.field(f -> f.field(CacheDocument.CREATED).order(SortOrder.Asc)))
                .sort(o -> o.field(f -> f.field(CacheDocument.ID).order(SortOrder.Asc))),
                Void.class));
        return response.hits().hits().stream().map(Hit::id).toList();
    }

    private long deleteIds(List<String> ids) {
        var response = call("evict oldest", () -> client.bulk(b -> {
            b.refresh(writeRefresh());
            for (String id : ids) {
                b.operations(op -> op.delete(d -> d.index(options.index()).id(id)));
            }
            return b;
        }));
        return response.items().stream().map(BulkResponseItem::result).filter("deleted"::equals).count();
    }

    private long deleteMatching(String operation, Query query) {
        Long deleted = call(operation, () -> client.deleteByQuery(d -> d
                .index(options.index())
                .query(query)
                .conflicts(Conflicts.Proceed)
                .refresh(writeRefresh()))).deleted();
        return deleted == null ? 0 : deleted;
    }

    private Refresh writeRefresh() {
        return options.refreshOnWrite() ? Refresh.True : null;
    }

    private static List<Float> boxed(float[] vector) {
        List<Float> out = new ArrayList<>(vector.length);
        for (float v : vector) {
            out.add(v);
        }
        return out;
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    /** Unavailable (retry may help: throttled, 5xx, no connection) versus refused (it will not). */
    private <T> T call(String operation, Call<T> action) {
        try {
            return action.run();
        } catch (OpenSearchException e) {
            if (e.status() == 429 || e.status() >= 500) {
                throw new DependencyUnavailableException("opensearch:" + options.index(), e);
            }
            throw new VectorIndexRequestException(options.index(), operation, e.status(), e.error().type(), e);
        } catch (IOException | SdkException e) {
            throw new DependencyUnavailableException("opensearch:" + options.index(), e);
        }
    }
}
