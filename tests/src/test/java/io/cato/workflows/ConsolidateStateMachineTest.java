package io.cato.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** statemachines/consolidate.asl.json executed by moto, its function answered by queued replies. */
class ConsolidateStateMachineTest {
    private static final String BATCH = """
            {"from":null,"until":"2026-01-01T00:00:00Z","items":[{"session":"default#a","seq":1}],"more":false}""";
    private static final String FINDINGS = """
            {"session":"default#a","seq":1,"tenant":"default","domain":"ai","skipped":null,
             "candidates":[{"statement":"Machine learning learns from data.","confidence":0.5,
             "duplicateOf":null,"contradicts":[],"nli":null}]}""";
    private static final String WRITTEN = """
            {"session":"default#a","seq":1,"factsWritten":1,"duplicates":0,"episode":true}""";
    private static final String ADVANCED = "{\"advanced\":true,\"watermark\":\"2026-01-01T00:00:00Z\"}";

    /** moto's Lambda cannot report a function error; a reply over the 256 KB state limit is how a task fails there. */
    static final String FAILURE = "x".repeat(300_000);

    private final MotoServer moto = MotoServer.shared();
    private StateMachineRun runs;
    private String arn;

    @BeforeEach
    void create() throws IOException {
        moto.reset();
        runs = new StateMachineRun(moto);
        arn = runs.create("consolidate", "${ConsolidateStepFunctionArn}", StateMachineType.STANDARD);
    }

    @Test
    void success_runsEveryStepForEachInteraction_thenAdvancesTheWatermark() {
        moto.queueLambdaReplies(BATCH, FINDINGS, FINDINGS, FINDINGS, WRITTEN, ADVANCED);

        var execution = runs.run(arn, "{}");

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runs.lambdaInputs(execution.executionArn())).extracting(StepInputs::step)
                .containsExactly("read", "extract", "dedupe", "contradiction", "write", "advance");
        var output = StepInputs.json(execution.output());
        assertThat(output.path("written").path(0).path("factsWritten").asInt()).isEqualTo(1);
        assertThat(output.path("advanced").path("advanced").asBoolean()).isTrue();
    }

    @Test
    void aStepFailingOnce_isRetried_andTheRunSucceeds() {
        moto.queueLambdaReplies(FAILURE, BATCH, FINDINGS, FINDINGS, FINDINGS, WRITTEN, ADVANCED);

        var execution = runs.run(arn, "{}");

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runs.lambdaInputs(execution.executionArn())).extracting(StepInputs::step)
                .startsWith("read", "read", "extract");
    }

    @Test
    void anInteractionFailingEveryRetry_failsTheRun_andTheWatermarkStays() {
        moto.queueLambdaReplies(BATCH, FAILURE, FAILURE, FAILURE, FAILURE);

        var execution = runs.run(arn, "{}");

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("ConsolidationFailed");
        assertThat(runs.lambdaInputs(execution.executionArn())).extracting(StepInputs::step)
                .containsExactly("read", "extract", "extract", "extract", "extract");
    }
}
