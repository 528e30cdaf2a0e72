package io.cato.aws.appconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.rollout.RolloutFlag;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.appconfigdata.AppConfigDataClient;
import software.amazon.awssdk.services.appconfigdata.model.GetLatestConfigurationResponse;

/**
 * The rollout percentage from an AppConfig feature flag
 * ({@code {"use_new_orchestrator": {"enabled": true, "percentage": N}}}), polled through the
 * AppConfig Data API no more often than it allows. Until the first successful read, and
 * whenever AppConfig cannot be reached, the last known value (initially {@code fallback}) holds:
 * a flag service outage never moves traffic.
 */
public final class AppConfigRolloutFlag implements RolloutFlag {
    private static final Logger LOG = LoggerFactory.getLogger(AppConfigRolloutFlag.class);
    private static final String FLAG = "use_new_orchestrator";

    /** Where the flag lives in AppConfig. */
    public record Location(String application, String environment, String profile) {
    }

    private final AppConfigDataClient client;
    private final Location location;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile int percentage;
    private volatile Instant nextPoll = Instant.MIN;
    private String token;

    public AppConfigRolloutFlag(AppConfigDataClient client, Location location, ObjectMapper mapper, Clock clock,
                                int fallback) {
        this.client = client;
        this.location = location;
        this.mapper = mapper;
        this.clock = clock;
        this.percentage = fallback;
    }

    @Override
    public int percentage() {
        if (clock.instant().isAfter(nextPoll) && lock.tryLock()) {
            try {
                poll();
            } finally {
                lock.unlock();
            }
        }
        return percentage;
    }

    private void poll() {
        try {
            if (token == null) {
                token = client.startConfigurationSession(s -> s.applicationIdentifier(location.application())
                        .environmentIdentifier(location.environment())
                        .configurationProfileIdentifier(location.profile())
                        .requiredMinimumPollIntervalInSeconds(15)).initialConfigurationToken();
            }
            GetLatestConfigurationResponse response = client.getLatestConfiguration(g -> g.configurationToken(token));
            token = response.nextPollConfigurationToken();
            Integer interval = response.nextPollIntervalInSeconds();
            nextPoll = clock.instant().plusSeconds(interval == null ? 15 : interval);
            byte[] body = response.configuration().asByteArray();
            if (body.length > 0) {
                percentage = parse(body);
            }
        } catch (SdkException | IOException | IllegalArgumentException e) {
            token = null;
            nextPoll = clock.instant().plus(Duration.ofSeconds(15));
            LOG.atWarn().log(() -> "rollout flag not refreshed, keeping " + percentage + "%: "
                    + e.getClass().getSimpleName());
        }
    }

    private int parse(byte[] body) throws IOException {
        JsonNode flag = mapper.readTree(body).path(FLAG);
        if (flag.has("enabled") && !flag.get("enabled").asBoolean()) {
            return 0;
        }
        JsonNode value = flag.path("percentage");
        if (!value.isNumber() || value.asInt() < 0 || value.asInt() > 100) {
            throw new IllegalArgumentException(FLAG + ".percentage must be a number from 0 to 100");
        }
        return value.asInt();
    }
}
