package io.cato.config;

import io.cato.breaker.BreakerPolicy;
import io.cato.budget.BudgetSettings;
import io.cato.budget.OverBudget;
import io.cato.cache.CacheSettings;
import io.cato.model.TierConfig;
import io.cato.routing.RoutingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting Cato reads, validated once at start: the files, the environment and the JVM's
 * properties are read by {@link SettingsLoader} and nowhere else. Each component is one group of
 * settings, named for what it configures; only the loader builds a {@code Settings}.
 *
 * @param server the local server's port, data directory and admin token
 * @param rollout how much traffic Cato answers, and the legacy proxy that answers the rest
 * @param models the model tiers, the default fallback chain and how upstreams are reached
 * @param sessions how long conversations and idempotent responses are kept
 * @param limits what one request may ask of the service, and how long it may take
 * @param tables DynamoDB table names
 * @param aws the AWS region, endpoint overrides, OpenSearch and AppConfig
 * @param workflows the verify, consolidate and curiosity workflows' models and endpoints
 * @param lambda what the Lambda runtime tells a function about itself
 */
public record Settings(Server server, Rollout rollout, Models models, Sessions sessions, Limits limits, Tables tables,
                       CacheSettings cache, BreakerPolicy breaker, RoutingSettings routing, BudgetSettings budgets,
                       Aws aws, Workflows workflows, Lambda lambda) {

    /** Requests one server holds at once before it answers 429: enough for a machine's worth of waiting calls. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 10_000;

    /** The local server: where it listens, where it keeps its data, and the token the admin endpoints need. */
    public record Server(int port, Path dataDir, Optional<String> adminToken) {
        public Server {
            if (port < 0 || port > 65_535) {
                throw new InvalidSettingsException("port must be 0..65535");
            }
        }
    }

    /** The share of traffic Cato answers (0-100); the rest goes to {@code legacy} when one is configured. */
    public record Rollout(int percentage, Optional<Legacy> legacy) {
        public Rollout {
            if (percentage < 0 || percentage > 100) {
                throw new InvalidSettingsException("rollout.percentage must be 0..100");
            }
        }
    }

    /**
     * The model tiers and how they are reached.
     *
     * @param http2 ask upstreams for HTTP/2
     * @param connections independent HTTP clients the calls are spread over
     */
    public record Models(List<TierConfig> tiers, List<String> fallbackChain, boolean http2, int connections) {
        public Models {
            tiers = List.copyOf(tiers);
            fallbackChain = List.copyOf(fallbackChain);
            if (connections < 1 || connections > 256) {
                throw new InvalidSettingsException("upstream.connections must be between 1 and 256");
            }
        }

        boolean has(String tier) {
            return tiers.stream().anyMatch(t -> t.name().equals(tier));
        }
    }

    /** How long a conversation is kept, how much of it is read per answer, and how long a response is replayed. */
    public record Sessions(Duration ttl, int maxTurnsRead, Duration idempotencyWindow) {
    }

    /**
     * What one request may ask of the service, and how long it may take.
     *
     * @param maxBodyBytes the largest request body
     * @param maxQueryBytes the largest question (UTF-8) a request may ask; the session keeps it with its answer, in
     *                      one item of a store whose items are bounded (DynamoDB: 400 KB)
     * @param defaultMaxTokens the answer's length when the request names none
     * @param maxInFlight requests one server holds at once before it answers 429
     * @param timeouts the deadlines of a request
     */
    public record Limits(int maxBodyBytes, int maxQueryBytes, int defaultMaxTokens, int maxInFlight,
                         Timeouts timeouts) {
        public Limits {
            if (maxBodyBytes < 1024) {
                throw new InvalidSettingsException("limits.max_body_bytes must be at least 1024");
            }
            if (maxInFlight < 1) {
                throw new InvalidSettingsException("limits.max_in_flight must be at least 1");
            }
            if (maxQueryBytes < 1 || maxQueryBytes > 256 * 1024) {
                throw new InvalidSettingsException("limits.max_query_bytes must be between 1 and 262144");
            }
        }

        public Duration requestTimeout() {
            return timeouts.request();
        }

        public Duration streamTimeout() {
            return timeouts.stream();
        }

        public Duration memoryReserve() {
            return timeouts.memoryReserve();
        }

        public Duration readTimeout() {
            return timeouts.read();
        }
    }

    /**
     * @param request the deadline of a whole (not streamed) answer, from the moment the request is handed in
     * @param stream the deadline of a streamed answer; its chunks must still come no further apart than the
     *               answering tier's timeout
     * @param memoryReserve time every fallback chain keeps back for its last link, the memory tier, so that a
     *                      request is always answered before its deadline
     * @param read how long a client may take to send a whole request (headers and body) to the local server
     */
    public record Timeouts(Duration request, Duration stream, Duration memoryReserve, Duration read) {
        public Timeouts {
            if (memoryReserve.isNegative() || memoryReserve.compareTo(request) >= 0
                    || memoryReserve.compareTo(stream) >= 0) {
                throw new InvalidSettingsException(
                        "limits.memory_reserve_ms must be at least 0 and less than request_timeout_ms and stream_timeout_ms");
            }
            if (!read.isPositive()) {
                throw new InvalidSettingsException("limits.read_timeout_ms must be positive");
            }
        }
    }

    /** The legacy OpenAI-compatible endpoint that traffic not yet on Cato goes to. */
    public record Legacy(URI baseUrl, Optional<String> apiKey, String model, Duration timeout) {
    }

    /**
     * DynamoDB table names; the same names the SAM template gives them per stage.
     *
     * @param memory semantic memory (facts) and the workflows' watermarks
     * @param budgets limits' counters and the limits an admin set
     */
    public record Tables(String sessions, String idempotency, String cache, String breakers, String memory,
                         String budgets) {
    }

    /**
     * Where the AWS services are.
     *
     * @param region {@code AWS_REGION}
     * @param endpoint one endpoint for every service ({@code CATO_AWS_ENDPOINT}: DynamoDB Local, moto)
     * @param s3Endpoint S3's own endpoint, before {@code endpoint}
     * @param bedrockEndpoint Bedrock's (control plane) own endpoint, before {@code endpoint}
     */
    public record Aws(String region, Optional<URI> endpoint, Optional<URI> s3Endpoint, Optional<URI> bedrockEndpoint,
                      OpenSearch openSearch, Optional<AppConfig> appConfig) {
    }

    /**
     * The OpenSearch collection (or, with {@code refresh}, a provisioned domain or local node) holding the
     * cache's vector tier and the episodes; without an endpoint, neither is used.
     */
    public record OpenSearch(Optional<URI> endpoint, boolean refresh, String cacheIndex, String episodeIndex) {
    }

    /** Where the rollout flag is read from AppConfig. */
    public record AppConfig(String application, String environment, String profile) {
    }

    /**
     * The workflows' models and endpoints.
     *
     * @param verifyStateMachineArn the verify state machine the route function starts after answering
     * @param nliEndpoint the SageMaker NLI endpoint (unavailable without one)
     * @param shadowProbeEndpoint the SageMaker Shadow Self probe endpoint (unavailable without one)
     * @param extraction the model that extracts facts (offline extraction without one)
     * @param batch the curiosity batch jobs
     */
    public record Workflows(Optional<String> verifyStateMachineArn, Optional<String> nliEndpoint,
                            Optional<String> shadowProbeEndpoint, Extraction extraction, Batch batch) {
    }

    /** Claude on Bedrock extracting facts, when {@code modelId} names one; region and endpoint override the usual. */
    public record Extraction(Optional<String> modelId, Optional<String> region, Optional<URI> endpoint) {
    }

    /**
     * The curiosity cycle's Bedrock batch jobs.
     *
     * @param modelId the batch job's model (the curiosity function requires one)
     * @param environment the deployment's stage; job names start {@code cato-<environment>-curiosity-}
     * @param bucket the bucket used when a step names none
     * @param sizes records per job, tokens per answer and the pause between status polls
     */
    public record Batch(Optional<String> modelId, String environment, Optional<String> bucket, BatchSizes sizes) {
        public String jobNamePrefix() {
            return "cato-" + environment + "-curiosity-";
        }
    }

    /** @param minRecords the model's minimum records per job */
    public record BatchSizes(int minRecords, int maxRecords, int maxTokens, int pollSeconds) {
        public BatchSizes {
            if (minRecords < 1 || maxRecords < 1 || maxTokens < 1 || pollSeconds < 1) {
                throw new InvalidSettingsException("workflows.batch: min_records, max_records, max_tokens and "
                        + "poll_seconds must be positive whole numbers");
            }
        }
    }

    /**
     * What the Lambda runtime tells a function, and how it reports.
     *
     * @param snapStartInit the function is being initialised for a SnapStart snapshot
     *                      ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start})
     * @param runtimeApi the Runtime API's host and port ({@code AWS_LAMBDA_RUNTIME_API}), in Lambda only
     * @param cracCompat the managed runtime's CRaC implementation ({@code -Dorg.crac.Core.Compat})
     * @param serviceName the {@code service} dimension of metrics and the logs' service ({@code POWERTOOLS_SERVICE_NAME})
     * @param metricsNamespace the CloudWatch namespace of metrics ({@code POWERTOOLS_METRICS_NAMESPACE})
     */
    public record Lambda(boolean snapStartInit, Optional<String> runtimeApi, Optional<String> cracCompat,
                         String serviceName, String metricsNamespace) {
    }

    public Settings {
        for (String name : models.fallbackChain()) {
            if (!models.has(name)) {
                throw new InvalidSettingsException("fallback_chain names unknown tier '" + name + "'");
            }
        }
        for (var chain : routing.fallbackChains().entrySet()) {
            for (String name : chain.getValue()) {
                if (!models.has(name)) {
                    throw new InvalidSettingsException("routing.fallback_chains." + chain.getKey()
                            + " names unknown tier '" + name + "'");
                }
            }
        }
        Models known = models;
        budgets.all().flatMap(l -> l.overBudget().stream())
                .filter(OverBudget.Downgrade.class::isInstance).map(p -> ((OverBudget.Downgrade) p).tier())
                .filter(tier -> !known.has(tier)).findFirst()
                .ifPresent(tier -> {
                    throw new InvalidSettingsException("budgets: over_budget names unknown tier '" + tier + "'");
                });
    }

    public Settings withServer(Server value) {
        return new Settings(value, rollout, models, sessions, limits, tables, cache, breaker, routing, budgets, aws,
                workflows, lambda);
    }

    public Settings withPort(int port) {
        return withServer(new Server(port, server.dataDir(), server.adminToken()));
    }

    public Settings withDataDir(Path dataDir) {
        return withServer(new Server(server.port(), dataDir, server.adminToken()));
    }

    public Settings withAdminToken(String token) {
        return withServer(new Server(server.port(), server.dataDir(), Optional.of(token)));
    }

    public List<TierConfig> tiers() {
        return models.tiers();
    }

    public List<String> fallbackChain() {
        return models.fallbackChain();
    }
}
