package io.cato.aws.opensearch;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cato.cache.CacheEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * The cache index's documents on an Amazon OpenSearch Serverless vector search collection. Such a collection
 * generates every {@code _id} itself (no {@code PUT _doc/<id>}, no {@code _create/<id>}, no {@code _update/<id>}:
 * those are for search collections only), has no {@code _delete_by_query}, no scroll and no {@code refresh} (the
 * collection refreshes on its own schedule; AWS's limitations of vector search collections give 60 seconds). So this
 * mode uses only {@code POST <index>/_doc}, {@code _search}, {@code _count}, {@code GET <index>/_doc/<_id>} of a
 * document it just wrote, and {@code _bulk} deletes by the {@code _id}s a search returned:
 * <ul>
 *   <li>{@link #put} indexes the new document, then searches the entry id and deletes the older copies it finds,
 *       never the new one, so a reader never finds none. Older means an earlier {@code created_ms}. A copy with the
 *       same {@code created_ms} is deleted only when the put knows it wrote last: its own document is not searchable
 *       yet, so everything searchable was written before it, and a read by {@code _id} (which does not wait for a
 *       refresh) shows its document still exists, so no later put has replaced it; two concurrent puts therefore
 *       never delete each other's document. A copy written within one refresh interval of another is not yet
 *       searchable to it and survives as a duplicate until a later put of the id, its expiry, or eviction. (That
 *       reasoning takes a refresh to make everything written before it searchable at once; should a read by
 *       {@code _id} not yet find a fresh document, the put keeps the tie as a duplicate: it errs towards keeping,
 *       never towards none.)</li>
 *   <li>Readers tolerate such duplicates: {@link #get} returns the newest copy (by {@code created_ms}, then
 *       {@code _id}); nearest-neighbour searches ask for twice {@code k} and keep the newest copy of each entry id
 *       ({@link #NEWEST_COPY}), so they never return an entry twice.</li>
 *   <li>{@link #delete} deletes every copy the search finds; {@link #deletePaged} and {@link #evict} page through the
 *       matching documents ({@code search_after} on {@code created_ms}, {@code id}), bulk deleting each page, because
 *       deletes are not searchable away until the next refresh. Eviction counts the live (unexpired) documents with
 *       {@code _count} instead of subtracting, for the same reason.</li>
 * </ul>
 * What refresh-less writes cost a cache: a put becomes visible to lookups only after the collection's refresh (a few
 * more misses, one more model call each), a delete right after a put of the same id may not find it yet; never a
 * wrong answer.
 */
final class ServerlessDocuments {
    /** Documents per search page and per bulk delete when paging. */
    private static final int DELETE_PAGE = 1_000;
    /** Most copies of one entry id a lookup by id reads; more than a few is already abnormal. */
    private static final int MAX_COPIES = 100;
    /** The newest copy of an entry: latest {@code created_ms}, then the greatest {@code _id}. */
    static final Comparator<Hit<CacheDocument>> NEWEST_COPY =
            Comparator.<Hit<CacheDocument>>comparingLong(h -> h.source().createdMs()).thenComparing(Hit::id);

    private final IndexCalls calls;

    ServerlessDocuments(IndexCalls calls) {
        this.calls = calls;
    }

    /** A new document under a server-generated {@code _id}, then the older copies of the entry deleted. */
    void put(CacheEntry entry) {
        String written = calls.call("put", () -> calls.client().index(i -> i.index(calls.index())
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
            calls.deleteIds("put", older);
        }
    }

    Optional<CacheEntry> get(String id) {
        return copiesOf("get", id, CacheDocument.class).stream().max(NEWEST_COPY).map(hit -> hit.source().toEntry());
    }

    boolean delete(String id) {
        List<String> copies = copiesOf("delete", id, Void.class).stream().map(Hit::id).toList();
        return !copies.isEmpty() && calls.deleteIds("delete", copies) > 0;
    }

    /**
     * Expired documents first, then, counting only unexpired ones (deletes stay searchable until the next refresh),
     * the oldest beyond the bound.
     */
    long evict(Instant now, long maxEntries, Query expired) {
        Query live = Query.of(q -> q.range(r -> r.field(CacheDocument.EXPIRES).gt(JsonData.of(now.toEpochMilli()))));
        long removed = deletePaged("evict expired", expired, Long.MAX_VALUE);
        long excess = calls.call("evict count", () -> calls.client().count(c -> c.index(calls.index()).query(live)))
                .count() - maxEntries;
        if (excess > 0) {
            removed += deletePaged("evict oldest", live, excess);
        }
        return removed;
    }

    /**
     * Deletes up to {@code limit} documents matching the query, oldest first, a page at a time: one search (sorted by
     * {@code created_ms}, {@code id}, continued with {@code search_after}), then one bulk delete of the page's
     * {@code _id}s. Returns how many were deleted.
     */
    long deletePaged(String operation, Query query, long limit) {
        long deleted = 0;
        long seen = 0;
        List<FieldValue> after = null;
        while (seen < limit) {
            int size = (int) Math.min(DELETE_PAGE, limit - seen);
            List<FieldValue> from = after;
            List<Hit<Void>> page = calls.call(operation, () -> calls.client().search(s -> {
                s.index(calls.index())
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
            deleted += calls.deleteIds(operation, page.stream().map(Hit::id).toList());
            seen += page.size();
            if (page.size() < size) {
                break;
            }
            after = page.getLast().sort();
        }
        return deleted;
    }

    /**
     * Whether every copy the search found was written before ours, so a copy with the same {@code created_ms} is one
     * this put replaces. True when our own document is not searchable yet (no refresh since we wrote it, so whatever
     * is searchable came before) but still exists (read by {@code _id}, which does not wait for a refresh): a put that
     * finds its document gone was itself replaced by a later one and must not delete that one in turn.
     */
    private boolean writtenIsTheLatestWrite(String written, List<Hit<Stamp>> copies) {
        if (copies.size() >= MAX_COPIES || copies.stream().anyMatch(copy -> copy.id().equals(written))) {
            return false;
        }
        return calls.call("put", () -> {
            try {
                return calls.client().get(g -> g.index(calls.index()).id(written)
                        .sourceIncludes(CacheDocument.CREATED), Stamp.class).found();
            } catch (OpenSearchException e) {
                if (IndexCalls.documentMissing(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The searchable documents carrying one entry id (which is not their {@code _id} here). */
    private <T> List<Hit<T>> copiesOf(String operation, String id, Class<T> type) {
        return calls.call(operation, () -> calls.client().search(s -> {
            s.index(calls.index())
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

    /** The part of a document a put reads to tell older copies from newer ones. */
    record Stamp(@JsonProperty(CacheDocument.CREATED) long createdMs) {
    }
}
