package io.cato.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.testing.ExactCacheContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryExactCacheTest extends ExactCacheContract {
    private final InMemoryExactCache cache = new InMemoryExactCache(100);

    @Override
    protected ExactCache cache() {
        return cache;
    }

    @Test
    void forgetsTheLeastRecentlyUsedEntryBeyondItsBound() {
        InMemoryExactCache small = new InMemoryExactCache(2);
        Instant now = Instant.now();
        for (String id : new String[] {"a", "b"}) {
            small.put(new ExactCache.Entry(id, "d", id, "m", "t", now, now.plusSeconds(60)));
        }
        small.get("a", now);
        small.put(new ExactCache.Entry("c", "d", "c", "m", "t", now, now.plusSeconds(60)));

        assertThat(small.get("a", now)).isPresent();
        assertThat(small.get("b", now)).isEmpty();
        assertThat(small.get("c", now)).isPresent();
    }
}
