package io.cato.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cato.dependency.DependencyUnavailableException;
import io.cato.model.ModelClient;
import io.cato.model.ModelReply;
import io.cato.model.ModelRequest;
import io.cato.model.Provider;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import io.cato.session.SessionKey;
import io.cato.session.SessionStore;
import io.cato.session.Turn;
import io.cato.session.TurnDraft;
import io.cato.status.ServiceStats;
import io.cato.session.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The session store failing after a tier has answered (its write timing out under load) is the store's failure, not
 * the tier's: the caller still gets the answer that was paid for, marked as not recorded, and no other tier is asked
 * the same question again.
 */
class TurnWriteFailureTest {

    /** Reads an empty conversation; every write fails as a store that timed out does. */
    private static final class UnwritableSessions implements SessionStore {
        @Override
        public List<Turn> latest(String sessionKey, int limit) {
            return List.of();
        }

        @Override
        public Turn append(String sessionKey, TurnDraft draft) {
            throw new DependencyUnavailableException("dynamodb:cato-sessions", new IllegalStateException("timed out"));
        }

        @Override
        public boolean recordVerdict(String sessionKey, long seq, Verdict verdict) {
            return false;
        }
    }

    private static final class CountingTier implements ModelClient {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ModelReply complete(ModelRequest request) {
            calls.incrementAndGet();
            return new ModelReply("An answer.", "stub", new TokenUsage(10, 5, 0));
        }
    }

    @Test
    void turnWriteFails_afterTheTierAnswered_theCallerGetsTheAnswerUnrecorded_andNoOtherTierIsAsked() {
        CountingTier shadow = new CountingTier();
        CountingTier backup = new CountingTier();
        Tiers tiers = new Tiers(List.of(tier("shadow", shadow), tier("backup", backup)),
                List.of("shadow", "backup", "memory"));
        Orchestrator orchestrator = Orchestrator.builder(new UnwritableSessions(), Router.chainOrder(tiers))
                .stats(new ServiceStats()).clock(Clock.systemUTC())
                .limits(new Orchestrator.Limits(10, 256, 0.2, Duration.ofSeconds(5))).build();
        QueryCommand command = QueryCommand.builder().tenant("t").session(Optional.of(new SessionKey("t", "s-1")))
                .query("What is DynamoDB?").build();

        Answer answer = orchestrator.answer(command, null);

        assertThat(answer.text()).isEqualTo("An answer.");
        assertThat(answer.tier()).isEqualTo("shadow");
        assertThat(answer.recording().recorded()).isFalse();
        assertThat(shadow.calls).hasValue(1);
        assertThat(backup.calls).hasValue(0);
    }

    private static Tier tier(String name, ModelClient client) {
        return new Tier(TierConfig.builder().name(name).provider(Provider.OPENAI).modelId(name)
                .baseUrl(Optional.of("http://stub")).prices(TierConfig.Prices.FREE).timeout(Duration.ofSeconds(1))
                .contextWindow(8192).historyBudget(4096).maxOutputTokens(512).build(), client);
    }
}
