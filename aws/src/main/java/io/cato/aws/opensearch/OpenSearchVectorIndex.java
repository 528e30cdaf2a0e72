package io.cato.aws.opensearch;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import org.opensearch.client.opensearch._types.Conflicts;
import org.opensearch.client.opensearch._types.FieldValue;
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
 * The semantic cache's vector tier on OpenSearch: one document per entry, the entry id in the
 * keyword field {@code id}, a k-NN field searched with an exact-match filter on the scope and on
 * expiry. It runs in one of two modes ({@link Options#serverless}).
 *
 * <p><b>Provisioned</b> (a domain or a local node): the document's {@code _id} is the entry id, so
 * a put is an upsert ({@code PUT _doc/<id>}), {@link #get} and {@link #delete} go by {@code _id},
 * {@link #deleteDomain} and the expiry pass of {@link #evict} are one {@code _delete_by_query}, and
 * every write asks for {@code refresh} so the next lookup sees it, as the port promises.
 *
 * <p><b>Serverless</b> (an Amazon OpenSearch Serverless vector search collection): such a
 * collection generates every {@code _id} itself (no {@code PUT _doc/<id>}, no {@code _create/<id>},
 * no {@code _update/<id>}: those are for search collections only), has no {@code _delete_by_query},
 * no scroll and no {@code refresh} (the collection refreshes on its own schedule; AWS's
 * limitations of vector search collections give 60 seconds). So this mode uses only {@code POST <index>/_doc}, {@code _search},
 * {@code _count}, {@code GET <index>/_doc/<_id>} of a document it just wrote, and {@code _bulk}
 * deletes by the {@code _id}s a search returned:
 * <ul>
 *   <li>{@link #put} indexes the new document, then searches the entry id and deletes the older
 *       copies it finds, never the new one, so a reader never finds none. Older means an earlier
 *       {@code created_ms}. A copy with the same {@code created_ms} is deleted only when the put
 *       knows it wrote last: its own document is not searchable yet, so everything searchable
 *       was written before it, and a read by {@code _id} (which does not wait for a refresh)
 *       shows its document still exists, so no later put has replaced it; two concurrent puts
 *       therefore never delete each other's document. A copy written within one refresh interval
 *       of another is not yet searchable to it and survives as a duplicate until a later put of
 *       the id, its expiry, or eviction. (That reasoning takes a refresh to make everything written
 *       before it searchable at once; should a read by {@code _id} not yet find a fresh document,
 *       the put keeps the tie as a duplicate: it errs towards keeping, never towards none.)</li>
 *   <li>Readers tolerate such duplicates: {@link #get} returns the newest copy (by
 *       {@code created_ms}, then {@code _id}); {@link #nearest} asks for twice {@code k} and keeps
 *       the newest copy of each entry id, so it never returns an entry twice.</li>
 *   <li>{@link #delete} deletes every copy the search finds; {@link #deleteDomain} and
 *       {@link #evict} page through the matching documents ({@code search_after} on
 *       {@code created_ms}, {@code id}), bulk deleting each page, because deletes are not
 *       searchable away until the next refresh. Eviction counts the live (unexpired) documents
 *       with {@code _count} instead of subtracting, for the same reason.</li>
 *   <li>{@link #size} counts documents, so a duplicate counts until it is cleaned up.</li>
 * </ul>
 * What refresh-less writes cost a cache: a put becomes visible to lookups only after the
 * collection's refresh (a few more misses, one more model call each), a delete right after a put
 * of the same id may not find it yet; never a wrong answer.
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
    /** Documents per search page and per bulk delete when paging (serverless mode). */
    private static final int DELETE_PAGE = 1_000;
    /** Most copies of one entry id a serverless lookup by id reads; more than a few is already abnormal. */
    private static final int MAX_COPIES = 100;
    /** The newest copy of an entry: latest {@code created_ms}, then the greatest {@code _id}. */
    private static final Comparator<Hit<CacheDocument>> NEWEST_COPY =
            Comparator.<Hit<CacheDocument>>comparingLong(h -> h.source().createdMs()).thenComparing(Hit::id);
    private static final String SERVERLESS_SERVICE = "aoss";

    private final OpenSearchClient client;
    private final Options options;
    private final AutoCloseable ownedResources;

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
            putWithServerId(entry);
            return;
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
        // serverless: room for duplicates of an entry, which collapse to one below
        int candidates = options.serverless() ? Math.min(MAX_PAGE, 2 * k) : k;
        SearchResponse<CacheDocument> response = call("nearest", () -> client.search(s -> s
                .index(options.index())
                .size(candidates)
                .query(q -> q.knn(n -> n.field(CacheDocument.VECTOR).vector(boxed(vector)).k(candidates)
                        .filter(filter))),
                CacheDocument.class));
        List<Hit<CacheDocument>> hits = response.hits().hits();
        if (options.serverless()) {
            Map<String, Hit<CacheDocument>> newest = new LinkedHashMap<>();
            for (Hit<CacheDocument> hit : hits) {
                newest.merge(hit.source().id(), hit, BinaryOperator.maxBy(NEWEST_COPY));
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
            return copiesOf("get", id, CacheDocument.class).stream().max(NEWEST_COPY)
                    .map(hit -> hit.source().toEntry());
        }
        return call("get", () -> {
            var response = client.get(g -> g.index(options.index()).id(id), CacheDocument.class);
            return response.found() ? Optional.of(response.source().toEntry()) : Optional.<CacheEntry>empty();
        });
    }

    @Override
    public boolean delete(String id) {
        if (options.serverless()) {
            List<String> copies = copiesOf("delete", id, Void.class).stream().map(Hit::id).toList();
            return !copies.isEmpty() && deleteIds("delete", copies) > 0;
        }
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
        Query inDomain = Query.of(q -> q.term(t -> t.field(CacheDocument.DOMAIN).value(v -> v.stringValue(domain))));
        if (options.serverless()) {
            return deletePaged("delete domain", inDomain, Long.MAX_VALUE);
        }
        return deleteMatching("delete domain", inDomain);
    }

    @Override
    public long evict(Instant now, long maxEntries) {
        Query expired = Query.of(q -> q.range(r -> r.field(CacheDocument.EXPIRES)
                .lte(JsonData.of(now.toEpochMilli()))));
        if (options.serverless()) {
            return evictPaged(now, maxEntries, expired);
        }
        long removed = deleteMatching("evict expired", expired);
        long excess = size() - maxEntries;
        while (excess > 0) {
            List<String> oldest = oldestIds((int) Math.min(excess, MAX_PAGE));
            if (oldest.isEmpty()) {
                break;
            }
            long deleted = deleteIds("evict oldest", oldest);
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

    /**
     * Serverless put: a new document under a server-generated {@code _id}, then the older copies
     * of the entry deleted (see the class comment for what counts as older and why).
     */
    private void putWithServerId(CacheEntry entry) {
        String written = call("put", () -> client.index(i -> i.index(options.index())
                .document(CacheDocument.of(entry)))).id();
        long created = entry.createdAt().toEpochMilli();
        List<Hit<Stamp>> copies = copiesOf("put", entry.id(), Stamp.class);
        List<String> older = new ArrayList<>();
        List<String> ties = new ArrayList<>();
        for (Hit<Stamp> copy : copies) {
            long other = copy.source().createdMs();
            if (copy.id().equals(written)) {
                continue;
            }
            if (other < created) {
                older.add(copy.id());
            } else if (other == created) {
                ties.add(copy.id());
            }
        }
        if (!ties.isEmpty() && writtenIsTheLatestWrite(written, copies)) {
            older.addAll(ties);
        }
        if (!older.isEmpty()) {
            deleteIds("put", older);
        }
    }

    /**
     * Whether every copy the search found was written before ours, so a copy with the same
     * {@code created_ms} is one this put replaces. True when our own document is not searchable
     * yet (no refresh since we wrote it, so whatever is searchable came before) but still exists
     * (read by {@code _id}, which does not wait for a refresh): a put that finds its document gone
     * was itself replaced by a later one and must not delete that one in turn.
     */
    private boolean writtenIsTheLatestWrite(String written, List<Hit<Stamp>> copies) {
        if (copies.size() >= MAX_COPIES || copies.stream().anyMatch(copy -> copy.id().equals(written))) {
            return false;
        }
        return call("put", () -> {
            try {
                return client.get(g -> g.index(options.index()).id(written).sourceIncludes(CacheDocument.CREATED),
                        Stamp.class).found();
            } catch (OpenSearchException e) {
                if (e.status() == 404 && !"index_not_found_exception".equals(e.error().type())) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The searchable documents carrying one entry id (serverless mode, where that is not the {@code _id}). */
    private <T> List<Hit<T>> copiesOf(String operation, String id, Class<T> type) {
        return call(operation, () -> client.search(s -> {
            s.index(options.index())
                    .size(MAX_COPIES)
                    .query(q -> q.term(t -> t.field(CacheDocument.ID).value(v -> v.stringValue(id))));
            if (type == Void.class) {
                s.source(src -> src.fetch(false));
            } else if (type == Stamp.class) {
                s.source(src -> src.filter(f -> f.includes(CacheDocument.CREATED)));
            }
            return s;
        }, type)).hits().hits();
    }

    /**
     * Serverless eviction: expired documents first, then, counting only unexpired ones (deletes
     * stay searchable until the next refresh), the oldest beyond the bound.
     */
    private long evictPaged(Instant now, long maxEntries, Query expired) {
        Query live = Query.of(q -> q.range(r -> r.field(CacheDocument.EXPIRES).gt(JsonData.of(now.toEpochMilli()))));
        long removed = deletePaged("evict expired", expired, Long.MAX_VALUE);
        long excess = call("evict count", () -> client.count(c -> c.index(options.index()).query(live))).count()
                - maxEntries;
        if (excess > 0) {
            removed += deletePaged("evict oldest", live, excess);
        }
        return removed;
    }

    /**
     * Deletes up to {@code limit} documents matching the query, oldest first, a page at a time:
     * one search (sorted by {@code created_ms}, {@code id}, continued with {@code search_after}),
     * then one bulk delete of the page's {@code _id}s. Returns how many were deleted.
     */
    private long deletePaged(String operation, Query query, long limit) {
        long deleted = 0;
        long seen = 0;
        List<FieldValue> after = null;
        while (seen < limit) {
            int size = (int) Math.min(DELETE_PAGE, limit - seen);
            List<FieldValue> from = after;
            List<Hit<Void>> page = call(operation, () -> client.search(s -> {
                s.index(options.index())
                        .size(size)
                        .source(src -> src.fetch(false))
                        .query(query)
                        .sort(o -> o.field(f -> f.field(CacheDocument.CREATED).order(SortOrder.Asc)))
                        .sort(o -> o.field(f -> f.field(CacheDocument.ID).order(SortOrder.Asc)));
                if (from != null) {
                    s.searchAfter(from);
                }
                return s;
            }, Void.class)).hits().hits();
            if (page.isEmpty()) {
                break;
            }
            deleted += deleteIds(operation, page.stream().map(Hit::id).toList());
            seen += page.size();
            if (page.size() < size) {
                break;
            }
            after = page.getLast().sort();
        }
        return deleted;
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

    /** One bulk request deleting documents by {@code _id}; returns how many it deleted (a missing one is not an error). */
    private long deleteIds(String operation, List<String> ids) {
        var response = call(operation, () -> client.bulk(b -> {
            b.refresh(writeRefresh());
            for (String id : ids) {
                b.operations(op -> op.delete(d -> d.index(options.index()).id(id)));
            }
            return b;
        }));
        long deleted = 0;
        for (BulkResponseItem item : response.items()) {
            if ("deleted".equals(item.result())) {
                deleted++;
            } else if (item.error() != null && item.status() != 404) {
                if (item.status() == 429 || item.status() >= 500) {
                    throw new DependencyUnavailableException("opensearch:" + options.index(),
                            new IOException(operation + ": bulk delete HTTP " + item.status() + " " + item.error().type()));
                }
                throw new VectorIndexRequestException(options.index(), operation, item.status(), item.error().type(),
                        null);
            }
        }
        return deleted;
    }

    private long deleteMatching(String operation, Query query) {
        Long deleted = call(operation, () -> client.deleteByQuery(d -> d
                .index(options.index())
                .query(query)
                .conflicts(Conflicts.Proceed)
                .refresh(writeRefresh()))).deleted();
        return deleted == null ? 0 : deleted;
    }

    /** Provisioned mode refreshes every write; serverless mode never sends the parameter. */
    private Refresh writeRefresh() {
        return options.serverless() ? null : Refresh.True;
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

    /** The part of a document a serverless put reads to tell older copies from newer ones. */
    record Stamp(@JsonProperty(CacheDocument.CREATED) long createdMs) {
    }
}
