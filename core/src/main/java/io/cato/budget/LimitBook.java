package io.cato.budget;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits that apply to a caller: for its tenant, its API key and its user, the limits an admin set (shared by
 * all instances through the store) over the configured ones. Admin-set limits are read through a local copy at most
 * {@link BudgetSettings#limitsRefresh()} old, so a change reaches every instance within that time.
 */
final class LimitBook {
    /** Scopes whose admin-set limits are kept at once; past this the copy starts afresh. */
    static final int MAX_CACHED_SCOPES = 100_000;

    private final BudgetSettings settings;
    private final BudgetStore store;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(LimitSet limits, Instant readAt) {
    }

    /** The limits of one scope, once its layers are put together. */
    record Applied(Scope scope, LimitSet limits) {
    }

    LimitBook(BudgetSettings settings, BudgetStore store, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
    }

    /** The caller's scopes, tenant first, each with its limits; scopes without any limit are left out. */
    List<Applied> limitsOf(Caller caller) {
        List<Scope> scopes = new ArrayList<>();
        scopes.add(Scope.tenant(caller.tenant()));
        caller.keyId().ifPresent(id -> scopes.add(Scope.key(caller.tenant(), id)));
        caller.user().ifPresent(user -> scopes.add(Scope.user(caller.tenant(), user)));
        Map<String, LimitSet> stored = stored(scopes);
        List<Applied> applied = new ArrayList<>();
        for (Scope scope : scopes) {
            LimitSet limits = stored.getOrDefault(scope.storageKey(), LimitSet.NONE).over(settings.configured(scope));
            if (!limits.isEmpty()) {
                applied.add(new Applied(scope, limits));
            }
        }
        return applied;
    }

    /** What configuration says for the scope. */
    LimitSet configured(Scope scope) {
        return settings.configured(scope);
    }

    /** What an admin set on the scope, read from the store now (not the local copy). */
    LimitSet storedNow(Scope scope) {
        LimitSet limits = store.limits(List.of(scope.storageKey())).getOrDefault(scope.storageKey(), LimitSet.NONE);
        cache.put(scope.storageKey(), new Cached(limits, clock.instant()));
        return limits;
    }

    /** Stores an admin's limits for the scope; this instance uses them at once, others within the refresh time. */
    void store(Scope scope, LimitSet limits) {
        store.putLimits(scope.storageKey(), limits);
        cache.put(scope.storageKey(), new Cached(limits, clock.instant()));
    }

    private Map<String, LimitSet> stored(List<Scope> scopes) {
        Instant now = clock.instant();
        Map<String, LimitSet> found = new java.util.HashMap<>();
        List<String> stale = new ArrayList<>();
        for (Scope scope : scopes) {
            String key = scope.storageKey();
            Optional<Cached> cached = Optional.ofNullable(cache.get(key))
                    .filter(c -> !c.readAt().plus(settings.limitsRefresh()).isBefore(now));
            cached.ifPresentOrElse(c -> found.put(key, c.limits()), () -> stale.add(key));
        }
        if (!stale.isEmpty()) {
            Map<String, LimitSet> read = store.limits(stale);
            if (cache.size() + stale.size() > MAX_CACHED_SCOPES) {
                cache.clear();
            }
            for (String key : stale) {
                LimitSet limits = read.getOrDefault(key, LimitSet.NONE);
                cache.put(key, new Cached(limits, now));
                found.put(key, limits);
            }
        }
        return found;
    }
}
