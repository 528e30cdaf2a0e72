package io.cato.aws.opensearch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.cache.CacheEntry;
import io.cato.cache.VectorIndex;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BinaryOperator;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Result;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The semantic cache's vector tier on OpenSearch: one document per entry, the entry id in the
 * keyword field {@code id}, a k-NN field searched with an exact-match filter on the scope and on
 * expiry. It runs in one of two modes ({@link Options#serverless}).
 *
 * <p><b>Provisioned</b> (a domain or a local node): the document's {@code _id} is the entry id, so
 * a put is an upsert ({@code PUT _doc/<id>}), {@link #get} and {@link #delete} go by {@code _id},
 * {@link #deleteDomain} and the expiry pass of {@link #evict} are one {@code _delete_by_query}, and
 * every write asks for {@code refresh} so the next lookup sees it, as the port promises.
 *
 * <p><b>Serverless</b> (an Amazon OpenSearch Serverless vector search collection): the collection generates
 * every {@code _id} and offers neither {@code _delete_by_query} nor {@code refresh}, so an entry may briefly have
 * duplicate copies, which readers collapse to the newest; {@link ServerlessDocuments} says how each operation is done
 * there and what it costs a cache (a few more misses, never a wrong answer).
 *
 * <p>The k-NN engine is an option ({@link KnnEngine}) that only {@link #createIfMissing} uses:
 * Lucene on a provisioned domain, Faiss on Serverless, whose vector collections do not support
 * the Lucene engine (an index created there by other means must use Faiss too). Both filter
 * inside the graph search, so the queries are the same for either. {@link Neighbour#similarity}
 * is the cosine of the query and the stored vector, computed here, whatever the engine's score.
 */
public final class OpenSearchVectorIndex implements VectorIndex {
    /** OpenSearch's default {@code index.max_result_window}: the largest page one search returns. */
    private static final int MAX_PAGE = 10_000;
    private static final String SERVERLESS_SERVICE = "aoss";

    private final OpenSearchClient client;
    private final Options options;
    private final AutoCloseable ownedResources;
    private final IndexCalls calls;
    private final ServerlessDocuments serverless;

    /**
     * @param index name of the index holding the entries
     * @param dimension length of every vector (384 for all-MiniLM-L6-v2)
     * @param serverless use only the operations an OpenSearch Serverless vector search collection
     *                   supports (see the class comment); false for a provisioned domain or a
     *                   local node, where writes are refreshed at once
     * @param engine the k-NN engine of the index this adapter creates
     */
    public record Options(String index, int dimension, boolean serverless, KnnEngine engine) {
        public static final int MINILM_DIMENSION = 384;

        public Options {
            Objects.requireNonNull(index, "index");
            Objects.requireNonNull(engine, "engine");
            if (dimension <= 0) {
                throw new IllegalArgumentException("dimension must be positive: " + dimension);
            }
        }

        /** A provisioned domain or a local node: upserts by id, refreshed writes, Lucene engine. */
        public static Options provisioned(String index) {
            return new Options(index, MINILM_DIMENSION, false, KnnEngine.LUCENE);
        }

        /** An OpenSearch Serverless vector search collection: server-generated ids, no refresh, Faiss engine. */
        public static Options serverless(String index) {
            return new Options(index, MINILM_DIMENSION, true, KnnEngine.FAISS);
        }

        /** The same options with another k-NN engine for the index created by {@link #createIfMissing}. */
        public Options withEngine(KnnEngine other) {
            return new Options(index, dimension, serverless, other);
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
        this.calls = new IndexCalls(client, options.index(), !options.serverless());
        this.serverless = new ServerlessDocuments(calls);
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
        return calls.call("create index", () -> {
            if (client.indices().exists(e -> e.index(options.index())).value()) {
                return false;
            }
            try {
                client.indices().create(c -> c.index(options.index())
                        .settings(CacheIndexMapping.settings())
                        .mappings(CacheIndexMapping.mapping(options.dimension(), options.engine())));
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
        if (options.serverless()) {
            serverless.put(entry);
            return;
        }
        calls.call("put", () -> client.index(i -> i.index(options.index())
                .id(entry.id())
                .document(CacheDocument.of(entry))
                .refresh(calls.writeRefresh())));
    }

    @Override
    public List<Neighbour> nearest(float[] vector, String scopeKey, int k, Instant now) {
        Query filter = Query.of(q -> q.bool(b -> b
                .filter(f -> f.term(t -> t.field(CacheDocument.SCOPE).value(v -> v.stringValue(scopeKey))))
                .filter(f -> f.range(r -> r.field(CacheDocument.EXPIRES).gt(JsonData.of(now.toEpochMilli()))))));
        // serverless: room for duplicates of an entry, which collapse to one below
        int candidates = options.serverless() ? Math.min(MAX_PAGE, 2 * k) : k;
        SearchResponse<CacheDocument> response = calls.call("nearest", () -> client.search(s -> s
                .index(options.index())
                .size(candidates)
                .query(q -> q.knn(n -> n.field(CacheDocument.VECTOR).vector(boxed(vector)).k(candidates)
                        .filter(filter))),
                CacheDocument.class));
        List<Hit<CacheDocument>> hits = response.hits().hits();
        if (options.serverless()) {
            Map<String, Hit<CacheDocument>> newest = new LinkedHashMap<>();
            for (Hit<CacheDocument> hit : hits) {
                newest.merge(hit.source().id(), hit, BinaryOperator.maxBy(ServerlessDocuments.NEWEST_COPY));
            }
            hits = List.copyOf(newest.values());
        }
        List<Neighbour> result = new ArrayList<>(hits.size());
        for (Hit<CacheDocument> hit : hits) {
            CacheEntry entry = hit.source().toEntry();
            result.add(new Neighbour(entry, cosine(vector, entry.vector())));
        }
        result.sort(Comparator.comparingDouble(Neighbour::similarity).reversed());
        return result.size() > k ? List.copyOf(result.subList(0, k)) : result;
    }

    @Override
    public Optional<CacheEntry> get(String id) {
        if (options.serverless()) {
            return serverless.get(id);
        }
        return calls.call("get", () -> {
            var response = client.get(g -> g.index(options.index()).id(id), CacheDocument.class);
            return response.found() ? Optional.of(response.source().toEntry()) : Optional.<CacheEntry>empty();
        });
    }

    @Override
    public boolean delete(String id) {
        if (options.serverless()) {
            return serverless.delete(id);
        }
        return calls.call("delete", () -> {
            try {
                return client.delete(d -> d.index(options.index()).id(id).refresh(calls.writeRefresh())).result()
                        == Result.Deleted;
            } catch (OpenSearchException e) {
                if (IndexCalls.documentMissing(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public long deleteDomain(String domain) {
        Query inDomain = Query.of(q -> q.term(t -> t.field(CacheDocument.DOMAIN).value(v -> v.stringValue(domain))));
        if (options.serverless()) {
            return serverless.deletePaged("delete domain", inDomain, Long.MAX_VALUE);
        }
        return calls.deleteMatching("delete domain", inDomain);
    }

    @Override
    public long evict(Instant now, long maxEntries) {
        Query expired = Query.of(q -> q.range(r -> r.field(CacheDocument.EXPIRES)
                .lte(JsonData.of(now.toEpochMilli()))));
        if (options.serverless()) {
            return serverless.evict(now, maxEntries, expired);
        }
        long removed = calls.deleteMatching("evict expired", expired);
        long excess = size() - maxEntries;
        while (excess > 0) {
            List<String> oldest = oldestIds((int) Math.min(excess, MAX_PAGE));
            if (oldest.isEmpty()) {
                break;
            }
            long deleted = calls.deleteIds("evict oldest", oldest);
            removed += deleted;
            excess -= oldest.size();
        }
        return removed;
    }

    @Override
    public long size() {
        return calls.call("size", () -> client.count(c -> c.index(options.index())).count());
    }

    @Override
    public void close() {
        try {
            ownedResources.close();
        } catch (Exception e) {
            throw calls.unavailable(e);
        }
    }

    private List<String> oldestIds(int count) {
        SearchResponse<Void> response = calls.call("find oldest", () -> client.search(s -> s
                .index(options.index())
                .size(count)
                .source(src -> src.fetch(false))
                .sort(o -> o.field(f -> f.field(CacheDocument.CREATED).order(SortOrder.Asc)))
                .sort(o -> o.field(f -> f.field(CacheDocument.ID).order(SortOrder.Asc))),
                Void.class));
        return response.hits().hits().stream().map(Hit::id).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }

    private static List<Float> boxed(float[] vector) {
        List<Float> out = new ArrayList<>(vector.length);
        for (float v : vector) {
            out.add(v);
        }
        return out;
    }
}
