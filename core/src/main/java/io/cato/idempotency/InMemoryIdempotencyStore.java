package io.cato.idempotency;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An idempotency store for tests and single-process use. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration window;

    public InMemoryIdempotencyStore(Clock clock, Duration window) {
        this.clock = clock;
        this.window = window;
    }

    private record Entry(String payloadHash, StoredResponse response, Instant expires) {
    }

    @Override
    public Claim claim(String key, String payloadHash, Duration inProgressFor) {
        Instant now = clock.instant();
        Entry mine = new Entry(payloadHash, null, now.plus(inProgressFor));
        Entry current = entries.compute(key, (k, old) -> old == null || old.expires.isBefore(now) ? mine : old);
        if (current == mine) {
            return new Claim.Acquired();
        }
        if (!current.payloadHash.equals(payloadHash)) {
            return new Claim.PayloadMismatch();
        }
        return current.response == null ? new Claim.InProgress() : new Claim.Completed(current.response);
    }

    @Override
    public void complete(String key, String payloadHash, StoredResponse response) {
        entries.put(key, new Entry(payloadHash, response, clock.instant().plus(window)));
    }

    @Override
    public void release(String key, String payloadHash) {
        entries.computeIfPresent(key, (k, old) -> old.response == null ? null : old);
    }
}
