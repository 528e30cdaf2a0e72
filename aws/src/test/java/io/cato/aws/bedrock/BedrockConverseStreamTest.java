package io.cato.aws.bedrock;

import static io.cato.aws.bedrock.BedrockModelClientTest.MODEL;
import static io.cato.aws.bedrock.BedrockModelClientTest.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.aws.AwsClients;
import io.cato.aws.testing.BedrockStub;
import io.cato.aws.testing.SdkClientsToClose;
import io.cato.model.ModelCallException;
import io.cato.model.ModelFailure;
import io.cato.model.ModelReply;
import io.cato.model.RetryingModelClient;
import io.cato.model.TierConfig;
import io.cato.model.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real async Bedrock Runtime SDK reading ConverseStream's event stream from a loopback stub. */
class BedrockConverseStreamTest {
    private static final SdkClientsToClose SDK_CLIENTS = new SdkClientsToClose();

    private final BedrockStub stub = new BedrockStub();
    private final List<String> deltas = new CopyOnWriteArrayList<>();
    private final List<Thread> deltaThreads = new CopyOnWriteArrayList<>();

    private BedrockModelClient client(Duration timeout) {
        TierConfig tier = BedrockModelClientTest.tier(stub, timeout, 1024);
        return new BedrockModelClient(tier, SDK_CLIENTS.add(AwsClients.bedrockRuntime(tier)),
                SDK_CLIENTS.add(AwsClients.bedrockRuntimeAsync(tier)));
    }

    private BedrockModelClient client() {
        return client(Duration.ofSeconds(5));
    }

    private void collect(String delta) {
        deltas.add(delta);
        deltaThreads.add(Thread.currentThread());
    }

    @AfterEach
    void stop() {
        assertThat(stub.violations()).isEmpty();
        stub.close();
    }

    @AfterAll
    static void closeClients() throws InterruptedException {
        SDK_CLIENTS.closeAll();
    }

    @Test
    void stream_relaysEveryDeltaInOrder_onTheCallingThread_andReportsUsage() {
        stub.answering("Paris ", "is ", "the ", "capital ", "of ", "France.").usage(20, 6, 0, 0);

        ModelReply reply = client().stream(question(), this::collect);

        assertThat(deltas).containsExactly("Paris ", "is ", "the ", "capital ", "of ", "France.");
        assertThat(deltaThreads).containsOnly(Thread.currentThread());
        assertThat(reply).isEqualTo(new ModelReply("Paris is the capital of France.", MODEL, new TokenUsage(20, 6, 0)));
        var sent = stub.lastRequest();
        assertThat(sent.path()).isEqualTo("/model/" + MODEL + "/converse-stream");
        assertThat(sent.authorization()).startsWith("AWS4-HMAC-SHA256 ");
        assertThat(sent.body().at("/inferenceConfig/maxTokens").asInt()).isEqualTo(100);
        assertThat(sent.body().at("/messages/0/content/0/text").asText()).isEqualTo("Capital of France?");
    }

    @Test
    void stream_reportsCachedTokensFromTheMetadataEvent() {
        stub.usage(10, 3, 2000, 0);

        ModelReply reply = client().stream(question(), this::collect);

        assertThat(reply.usage()).isEqualTo(new TokenUsage(2010, 3, 2000));
    }

    @Test
    void throttledBeforeTheFirstDelta_isAnOrdinaryFailure_withNothingSent() {
        stub.failingWith(429, "ThrottlingException", "Too many requests, please wait before trying again.");

        assertThatThrownBy(() -> client().stream(question(), this::collect))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Throttled.class));
        assertThat(deltas).isEmpty();
    }

    @Test
    void exceptionEventBeforeTheFirstDelta_isTyped_withNothingSent() {
        stub.streamBreakingAfter(0, "serviceUnavailableException", "Service unavailable");

        assertThatThrownBy(() -> client().stream(question(), this::collect))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Unavailable.class));
        assertThat(deltas).isEmpty();
    }

    @Test
    void failureAfterTheFirstDeltas_isThrownAfterThem() {
        stub.answering("Paris ", "is ", "the ", "capital.")
                .streamBreakingAfter(2, "internalServerException", "The system encountered an unexpected error");

        assertThatThrownBy(() -> client().stream(question(), this::collect))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Unavailable.class));
        assertThat(deltas).containsExactly("Paris ", "is ");
    }

    @Test
    void throttledMidStream_isNotRetried_evenBehindTheRetryDecorator() {
        stub.answering("Paris ", "is ", "the ", "capital.")
                .streamBreakingAfter(1, "throttlingException", "Too many tokens, please wait before trying again.");
        var retrying = RetryingModelClient.withDefaults(client());

        assertThatThrownBy(() -> retrying.stream(question(), this::collect))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Throttled.class));
        assertThat(deltas).containsExactly("Paris ");
        assertThat(stub.requests()).hasSize(1);
    }

    @Test
    void throttledBeforeAnyDelta_isRetriedBehindTheRetryDecorator() {
        stub.failingOnceWith(429, "ThrottlingException", "Too many requests, please wait before trying again.");
        var retrying = RetryingModelClient.withDefaults(client());

        ModelReply reply = retrying.stream(question(), this::collect);

        assertThat(reply.text()).isEqualTo("Paris is the capital.");
        assertThat(String.join("", deltas)).isEqualTo("Paris is the capital.");
        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void guardrailStop_afterDeltas_isRefused() {
        stub.answering("I can", "not help with that.").stopReason("guardrail_intervened");

        assertThatThrownBy(() -> client().stream(question(), this::collect))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.Refused.class));
    }

    @Test
    void noEventWithinTheTimeout_isTimedOut_aboutAtTheTimeout() {
        stub.hangFor(Duration.ofSeconds(20));
        BedrockModelClient client = client(Duration.ofMillis(400));
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.stream(question(), this::collect))
                .isInstanceOfSatisfying(ModelCallException.class,
                        e -> assertThat(e.failure()).isInstanceOf(ModelFailure.TimedOut.class));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(3));
        assertThat(deltas).isEmpty();
    }
}
