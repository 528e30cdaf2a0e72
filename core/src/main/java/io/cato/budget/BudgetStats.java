package io.cato.budget;

import io.cato.status.MetricsSink;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Spend and refusals per tenant since this instance started, for the status endpoint, and each refusal published
 * as a metric. Tenants are few (one per API key or customer) and are the finest grain kept: never keys or users,
 * whose numbers are unbounded. Past {@link #MAX_TENANTS}, further tenants are counted together under
 * {@link #OTHER_TENANTS}.
 */
public final class BudgetStats {
    public static final int MAX_TENANTS = 1_000;
    public static final String OTHER_TENANTS = "_other";

    private final Map<String, TenantCounters> tenants = new ConcurrentHashMap<>();
    private final MetricsSink metrics;

    public BudgetStats(MetricsSink metrics) {
        this.metrics = metrics;
    }

    private static final class TenantCounters {
        final DoubleAdder costUsd = new DoubleAdder();
        final LongAdder requests = new LongAdder();
        final LongAdder rateLimited = new LongAdder();
        final LongAdder budgetExceeded = new LongAdder();
        final LongAdder downgraded = new LongAdder();
    }

    /**
     * One tenant's counters as the status endpoint shows them.
     *
     * @param requests requests let in (answered or failed); refused ones are counted apart
     */
    public record TenantSnapshot(double costUsd, long requests, long rateLimited, long budgetExceeded, long downgraded) {
    }

    void answered(String tenant, double costUsd) {
        TenantCounters c = counters(tenant);
        c.requests.increment();
        c.costUsd.add(costUsd);
    }

    void refused(String tenant, LimitExceededException refusal) {
        TenantCounters c = counters(tenant);
        (refusal instanceof RateLimitedException ? c.rateLimited : c.budgetExceeded).increment();
        publish(() -> metrics.limited(tenant, refusal instanceof RateLimitedException ? "rate_limited" : "budget_exceeded"));
    }

    void downgraded(String tenant) {
        counters(tenant).downgraded.increment();
        publish(() -> metrics.limited(tenant, "downgraded"));
    }

    public Map<String, TenantSnapshot> snapshot() {
        Map<String, TenantSnapshot> out = new TreeMap<>();
        tenants.forEach((name, c) -> out.put(name, new TenantSnapshot(c.costUsd.sum(), c.requests.sum(),
                c.rateLimited.sum(), c.budgetExceeded.sum(), c.downgraded.sum())));
        return out;
    }

    private TenantCounters counters(String tenant) {
        TenantCounters c = tenants.get(tenant);
        if (c != null) {
            return c;
        }
        String name = tenants.size() >= MAX_TENANTS ? OTHER_TENANTS : tenant;
        return tenants.computeIfAbsent(name, k -> new TenantCounters());
    }

    private static void publish(Runnable metric) {
        try {
            metric.run();
        } catch (RuntimeException e) {
            // Metrics never cost a caller its answer (or its refusal).
        }
    }
}
