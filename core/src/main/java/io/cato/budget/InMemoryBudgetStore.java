package io.cato.budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Limits' counters in this process: for tests, and for instances that share one process. */
public final class InMemoryBudgetStore implements BudgetStore {
    private final Map<MeterKey, Window> windows = new ConcurrentHashMap<>();
    private final Map<String, LimitSet> limits = new ConcurrentHashMap<>();

    /** One window's record; its methods run under its own lock. */
    private static final class Window {
        long spent;
        long held;
        final TreeMap<Instant, Long> buckets = new TreeMap<>();

        synchronized MeterState state() {
            var list = new ArrayList<HeldBucket>();
            buckets.forEach((at, amount) -> list.add(new HeldBucket(at, amount)));
            return new MeterState(spent, held, list);
        }
    }

    private Window window(MeterKey key) {
        return windows.computeIfAbsent(key, k -> new Window());
    }

    @Override
    public Reservation reserve(MeterKey key, long amount, long limit, Optional<Hold> hold, Instant itemExpiry) {
        Window w = window(key);
        synchronized (w) {
            if (w.spent + w.held + amount > limit) {
                return new Reservation(false, w.spent + w.held, w.buckets.size());
            }
            if (hold.isPresent()) {
                w.held += amount;
                w.buckets.merge(hold.get().expiresAt(), amount, Long::sum);
            } else {
                w.spent += amount;
            }
            return new Reservation(true, w.spent + w.held, w.buckets.size());
        }
    }

    @Override
    public void settle(MeterKey key, Hold hold, long actual, Instant itemExpiry) {
        Window w = window(key);
        synchronized (w) {
            if (w.buckets.containsKey(hold.expiresAt())) {
                w.buckets.merge(hold.expiresAt(), -hold.amount(), Long::sum);
                w.held -= hold.amount();
            }
            w.spent += actual;
        }
    }

    @Override
    public void release(MeterKey key, Hold hold) {
        Window w = window(key);
        synchronized (w) {
            if (w.buckets.containsKey(hold.expiresAt())) {
                w.buckets.merge(hold.expiresAt(), -hold.amount(), Long::sum);
                w.held -= hold.amount();
            }
        }
    }

    @Override
    public void add(MeterKey key, long amount, Instant itemExpiry) {
        Window w = window(key);
        synchronized (w) {
            w.spent += amount;
        }
    }

    @Override
    public Map<MeterKey, MeterState> read(Collection<MeterKey> keys) {
        Map<MeterKey, MeterState> states = new HashMap<>();
        for (MeterKey key : keys) {
            Window w = windows.get(key);
            states.put(key, w == null ? MeterState.EMPTY : w.state());
        }
        return states;
    }

    @Override
    public long sweep(MeterKey key, Instant now) {
        Window w = windows.get(key);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            long given = 0;
            Iterator<Map.Entry<Instant, Long>> expired = w.buckets.headMap(now, false).entrySet().iterator();
            while (expired.hasNext()) {
                given += expired.next().getValue();
                expired.remove();
            }
            w.held -= given;
            return given;
        }
    }

    @Override
    public Map<String, LimitSet> limits(Collection<String> scopes) {
        Map<String, LimitSet> found = new HashMap<>();
        scopes.forEach(scope -> Optional.ofNullable(limits.get(scope)).ifPresent(l -> found.put(scope, l)));
        return found;
    }

    @Override
    public void putLimits(String scope, LimitSet value) {
        if (value.isEmpty()) {
            limits.remove(scope);
        } else {
            limits.put(scope, value);
        }
    }
}
