package io.cato.budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Limits' counters in this process: for tests, and for instances that share one process. */
public final class InMemoryBudgetStore implements BudgetStore {
    private final Map<MeterKey, Window> windows = new ConcurrentHashMap<>();
    private final Map<String, LimitSet> limits = new ConcurrentHashMap<>();

    /** One window's record; its methods run under its own lock. */
    private static final class Window {
        long spent;
        long held;
        final Map<String, HoldState> holds = new LinkedHashMap<>();

        synchronized MeterState state() {
            return new MeterState(spent, held, new ArrayList<>(holds.values()));
        }
    }

    private Window window(MeterKey key) {
        return windows.computeIfAbsent(key, k -> new Window());
    }

    @Override
    public Reservation reserve(MeterKey key, long amount, long limit, Optional<Hold> hold, Instant itemExpiry) {
        Window w = window(key);
        synchronized (w) {
            if (hold.isPresent() && w.holds.containsKey(hold.get().id())) {
                return new Reservation(true, w.spent + w.held);
            }
            if (w.spent + w.held + amount > limit) {
                return new Reservation(false, w.spent + w.held);
            }
            if (hold.isPresent()) {
                w.held += amount;
                w.holds.put(hold.get().id(), new HoldState(hold.get().id(), amount, hold.get().expiresAt(), false));
            } else {
                w.spent += amount;
            }
            return new Reservation(true, w.spent + w.held);
        }
    }

    @Override
    public void settle(MeterKey key, Hold hold, long actual, Instant itemExpiry) {
        Window w = window(key);
        synchronized (w) {
            HoldState state = w.holds.remove(hold.id());
            if (state == null) {
                return;
            }
            if (!state.swept()) {
                w.held -= state.amount();
            }
            w.spent += actual;
        }
    }

    @Override
    public void release(MeterKey key, Hold hold) {
        Window w = window(key);
        synchronized (w) {
            HoldState state = w.holds.remove(hold.id());
            if (state != null && !state.swept()) {
                w.held -= state.amount();
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
    public int sweep(MeterKey key, Instant now) {
        Window w = windows.get(key);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            List<HoldState> expired = w.holds.values().stream()
                    .filter(h -> !h.swept() && h.expiresAt().isBefore(now)).toList();
            for (HoldState h : expired) {
                w.held -= h.amount();
                w.holds.put(h.id(), new HoldState(h.id(), h.amount(), h.expiresAt(), true));
            }
            return expired.size();
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
