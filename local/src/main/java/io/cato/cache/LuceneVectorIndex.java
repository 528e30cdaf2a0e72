package io.cato.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSortField;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The embedded default's vector tier: an Apache Lucene index with an HNSW graph over the pooled
 * question vectors, kept in the data directory. Writes become searchable at the next lookup and
 * are committed to disk every few seconds and on {@link #close}; a crash loses at most those
 * seconds of cache, never the index.
 */
public final class LuceneVectorIndex implements VectorIndex {
    private static final Logger LOG = LoggerFactory.getLogger(LuceneVectorIndex.class);
    private static final long COMMIT_EVERY_SECONDS = 5;
    /** How long closing waits for a commit under way. */
    private static final long COMMIT_WAIT_SECONDS = 30;

    private static final String ID = "id";
    private static final String SCOPE = "scope";
    private static final String DOMAIN = "domain";
    private static final String TENANT = "tenant";
    private static final String MODEL_SCOPE = "scope_model";
    private static final String SYSTEM = "system";
    private static final String CREATED = "created_ms";
    private static final String EXPIRES = "expires_ms";
    private static final String VECTOR = "vector";
    private static final String VECTOR_BYTES = "vector_bytes";
    private static final String QUESTION = "question";
    private static final String ANSWER = "answer";
    private static final String ANSWER_MODEL = "answer_model";
    private static final String ANSWER_TIER = "answer_tier";
    private static final String ENCODING = "encoding";

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final AtomicBoolean unrefreshed = new AtomicBoolean();
    private final AtomicBoolean uncommitted = new AtomicBoolean();
    private final ScheduledExecutorService committer;

    private LuceneVectorIndex(Directory directory) throws IOException {
        this.directory = directory;
        this.writer = new IndexWriter(directory, new IndexWriterConfig()
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64));
        this.searchers = new SearcherManager(writer, null);
        this.committer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cato-cache-index-commit");
            thread.setDaemon(true);
            return thread;
        });
        committer.scheduleWithFixedDelay(this::commitQuietly, COMMIT_EVERY_SECONDS, COMMIT_EVERY_SECONDS,
                TimeUnit.SECONDS);
    }

    /** Opens (or creates) the index kept in {@code directory}. */
    public static LuceneVectorIndex open(Path directory) {
        try {
            return new LuceneVectorIndex(FSDirectory.open(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the cache index in " + directory, e);
        }
    }

    /** An index that lives in memory only: for evaluation runs and tests. */
    public static LuceneVectorIndex inMemory() {
        try {
            return new LuceneVectorIndex(new ByteBuffersDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void put(CacheEntry entry) {
        Document doc = new Document();
        doc.add(new StringField(ID, entry.id(), Field.Store.YES));
        doc.add(new StringField(SCOPE, entry.scope().key(), Field.Store.NO));
        doc.add(new StringField(DOMAIN, entry.scope().domain(), Field.Store.YES));
        doc.add(new StoredField(TENANT, entry.scope().tenant()));
        doc.add(new StoredField(MODEL_SCOPE, entry.scope().model()));
        doc.add(new StoredField(SYSTEM, entry.scope().contextHash()));
        doc.add(new LongField(CREATED, entry.createdAt().toEpochMilli(), Field.Store.YES));
        doc.add(new LongField(EXPIRES, entry.expiresAt().toEpochMilli(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(VECTOR, entry.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        doc.add(new StoredField(VECTOR_BYTES, toBytes(entry.vector())));
        doc.add(new StoredField(QUESTION, entry.question()));
        doc.add(new StoredField(ANSWER, entry.answer()));
        doc.add(new StoredField(ANSWER_MODEL, entry.model() == null ? "" : entry.model()));
        doc.add(new StoredField(ANSWER_TIER, entry.tier() == null ? "" : entry.tier()));
        doc.add(new StoredField(ENCODING, entry.encoding()));
        try {
            writer.updateDocument(new Term(ID, entry.id()), doc);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the cache index", e);
        }
        changed();
    }

    @Override
    public List<Neighbour> nearest(float[] vector, String scopeKey, int k, Instant now) {
        Query filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(SCOPE, scopeKey)), BooleanClause.Occur.FILTER)
                .add(LongField.newRangeQuery(EXPIRES, now.toEpochMilli() + 1, Long.MAX_VALUE),
                        BooleanClause.Occur.FILTER)
                .build();
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, vector, k, filter), k);
            StoredFields stored = searcher.storedFields();
            List<Neighbour> result = new ArrayList<>(top.scoreDocs.length);
            for (ScoreDoc hit : top.scoreDocs) {
                // DOT_PRODUCT scores are (1 + cosine) / 2 for unit vectors.
                result.add(new Neighbour(toEntry(stored.document(hit.doc)), 2.0 * hit.score - 1.0));
            }
            return result;
        });
    }

    @Override
    public Optional<CacheEntry> get(String id) {
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(new TermQuery(new Term(ID, id)), 1);
            return top.scoreDocs.length == 0 ? Optional.<CacheEntry>empty()
                    : Optional.of(toEntry(searcher.storedFields().document(top.scoreDocs[0].doc)));
        });
    }

    @Override
    public boolean delete(String id) {
        return deleteMatching(new TermQuery(new Term(ID, id))) > 0;
    }

    @Override
    public long deleteDomain(String domain) {
        return deleteMatching(new TermQuery(new Term(DOMAIN, domain)));
    }

    @Override
    public long evict(Instant now, long maxEntries) {
        long removed = deleteMatching(LongField.newRangeQuery(EXPIRES, Long.MIN_VALUE, now.toEpochMilli()));
        long excess = size() - maxEntries;
        if (excess > 0) {
            List<String> oldest = withSearcher(searcher -> {
                Sort byAge = new Sort(new SortedNumericSortField(CREATED, SortField.Type.LONG));
                TopDocs top = searcher.search(new MatchAllDocsQuery(), (int) Math.min(excess, Integer.MAX_VALUE - 8),
                        byAge);
                StoredFields stored = searcher.storedFields();
                List<String> ids = new ArrayList<>();
                for (ScoreDoc hit : top.scoreDocs) {
                    ids.add(stored.document(hit.doc, java.util.Set.of(ID)).get(ID));
                }
                return ids;
            });
            try {
                for (String id : oldest) {
                    writer.deleteDocuments(new Term(ID, id));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot evict from the cache index", e);
            }
            changed();
            removed += oldest.size();
        }
        return removed;
    }

    @Override
    public long size() {
        refreshIfNeeded();
        return withSearcher(searcher -> (long) searcher.getIndexReader().numDocs());
    }

    @Override
    public void close() {
        // A commit under way is let finish: interrupting it closes the index's files under the writer, which then
        // refuses to close ("this writer hit an unrecoverable error").
        committer.shutdown();
        try {
            if (!committer.awaitTermination(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                committer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the cache index", e);
        }
    }

    private long deleteMatching(Query query) {
        long count = withSearcher(searcher -> (long) searcher.count(query));
        if (count > 0) {
            try {
                writer.deleteDocuments(query);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete from the cache index", e);
            }
            changed();
        }
        return count;
    }

    private void changed() {
        unrefreshed.set(true);
        uncommitted.set(true);
    }

    private interface SearchAction<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    private <T> T withSearcher(SearchAction<T> action) {
        refreshIfNeeded();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return action.run(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache index", e);
        }
    }

    private void refreshIfNeeded() {
        if (unrefreshed.getAndSet(false)) {
            try {
                searchers.maybeRefreshBlocking();
            } catch (IOException e) {
                unrefreshed.set(true);
                throw new UncheckedIOException("cannot refresh the cache index", e);
            }
        }
    }

    private void commitQuietly() {
        if (uncommitted.getAndSet(false)) {
            try {
                writer.commit();
            } catch (IOException | RuntimeException e) {
                uncommitted.set(true);
                LOG.warn("cache index commit failed; retrying later", e);
            }
        }
    }

    private static CacheEntry toEntry(Document doc) {
        CacheScope scope = new CacheScope(doc.get(TENANT), doc.get(DOMAIN), doc.get(MODEL_SCOPE), doc.get(SYSTEM));
        return CacheEntry.builder().id(doc.get(ID)).scope(scope).question(doc.get(QUESTION)).answer(doc.get(ANSWER))
                .model(emptyToNull(doc.get(ANSWER_MODEL))).tier(emptyToNull(doc.get(ANSWER_TIER)))
                .createdAt(Instant.ofEpochMilli(doc.getField(CREATED).numericValue().longValue()))
                .expiresAt(Instant.ofEpochMilli(doc.getField(EXPIRES).numericValue().longValue()))
                .vector(toFloats(doc.getBinaryValue(VECTOR_BYTES).bytes, doc.getBinaryValue(VECTOR_BYTES).offset,
                        doc.getBinaryValue(VECTOR_BYTES).length))
                .encoding(copy(doc.getBinaryValue(ENCODING))).build();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static byte[] copy(org.apache.lucene.util.BytesRef ref) {
        byte[] out = new byte[ref.length];
        System.arraycopy(ref.bytes, ref.offset, out, 0, ref.length);
        return out;
    }

    static byte[] toBytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] toFloats(byte[] bytes, int offset, int length) {
        float[] out = new float[length / Float.BYTES];
        ByteBuffer.wrap(bytes, offset, length).asFloatBuffer().get(out);
        return out;
    }
}
