package io.cato.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.cache.ExactCache;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** What every exact-tier adapter must do; each adapter's test extends this. */
public abstract class ExactCacheContract {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** A new, empty exact tier. */
    protected abstract ExactCache cache();

    private static ExactCache.Entry entry(String id, String domain, Instant created, Duration ttl) {
        return new ExactCache.Entry(id, domain, "answer " + id, "model-" + id, "tier-" + id, created, created.plus(ttl));
    }

    @Test
    void returnsWhatWasPutUntilItExpires() {
        ExactCache.Entry e = entry("a1", "general", NOW, Duration.ofMinutes(10));
        cache().put(e);

        assertThat(cache().get("a1", NOW.plusSeconds(1))).contains(e);
        assertThat(cache().get("a1", NOW.plus(Duration.ofMinutes(10)))).isEmpty();
        assertThat(cache().get("missing", NOW)).isEmpty();
    }

    @Test
    void aNewAnswerReplacesTheOldOne() {
        cache().put(entry("a1", "general", NOW, Duration.ofMinutes(10)));
        ExactCache.Entry newer = new ExactCache.Entry("a1", "general", "newer", "m", "t", NOW.plusSeconds(5),
                NOW.plus(Duration.ofMinutes(20)));
        cache().put(newer);

        assertThat(cache().get("a1", NOW.plusSeconds(6))).contains(newer);
    }

    @Test
    void deletesOneEntryOrAWholeDomain() {
        cache().put(entry("g1", "general", NOW, Duration.ofHours(1)));
        cache().put(entry("m1", "medical", NOW, Duration.ofHours(1)));
        cache().put(entry("m2", "medical", NOW, Duration.ofHours(1)));

        assertThat(cache().delete("g1")).isTrue();
        assertThat(cache().delete("g1")).isFalse();
        assertThat(cache().deleteDomain("medical")).isEqualTo(2);

        assertThat(cache().get("g1", NOW)).isEmpty();
        assertThat(cache().get("m1", NOW)).isEmpty();
        assertThat(cache().get("m2", NOW)).isEmpty();
    }
}
