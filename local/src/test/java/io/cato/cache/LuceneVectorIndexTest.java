package io.cato.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.testing.VectorIndexContract;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneVectorIndexTest extends VectorIndexContract {
    @TempDir
    Path dir;

    @Override
    protected VectorIndex newIndex() {
        return LuceneVectorIndex.open(dir.resolve("index"));
    }

    @Test
    void keepsItsEntriesAcrossARestart() {
        CacheScope scope = scope("t1", "general");
        float[] v = randomUnit();
        CacheEntry stored = entry("kept", scope, v);
        index.put(stored);
        index.close();

        index = LuceneVectorIndex.open(dir.resolve("index"));

        assertThat(index.get("kept")).contains(stored);
        assertThat(index.nearest(v, scope.key(), 1, Instant.now())).extracting(n -> n.entry().id())
                .containsExactly("kept");
    }
}
