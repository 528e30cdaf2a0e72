package io.cato.workflows;

import static io.cato.workflows.ConsolidateStateMachineTest.FAILURE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** statemachines/curiosity.asl.json executed by moto, its function answered by queued replies. */
class CuriosityStateMachineTest {
    private static final String GAPS = """
            {"runId":"r1","count":150,"belowMinimum":false,"from":null,"until":"2026-01-01T00:00:00Z"}""";
    private static final String FEW_GAPS = """
            {"runId":"r1","count":12,"belowMinimum":true,"from":null,"until":"2026-01-01T00:00:00Z"}""";
    private static final String INPUT = """
            {"runId":"r1","inputUri":"s3://cato-batch-test/curiosity/r1/input/records.jsonl","records":150}""";
    private static final String JOB = "arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/abc123";
    private static final String ADVANCED = "{\"advanced\":true}";
    private static final String INGESTED = "{\"ingested\":148,\"alreadyPresent\":0,\"failed\":[{\"recordId\":\"g1\"}]}";

    private final MotoServer moto = MotoServer.shared();
    private StateMachineRun runs;
    private String arn;

    @BeforeEach
    void create() throws IOException {
        moto.reset();
        runs = new StateMachineRun(moto);
        arn = runs.create("curiosity", "${CuriosityStepFunctionArn}", StateMachineType.STANDARD);
    }

    private static String job(String status) {
        return "{\"jobArn\":\"" + JOB + "\",\"status\":\"" + status + "\",\"pollSeconds\":0}";
    }

    @Test
    void enoughGaps_submitsOneJob_pollsUntilItCompletes_thenIngests() {
        moto.queueLambdaReplies(GAPS, INPUT, job("Submitted"), ADVANCED, job("InProgress"), job("Completed"), INGESTED);

        var execution = runs.run(arn, "{}");

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        var inputs = runs.lambdaInputs(execution.executionArn());
        assertThat(inputs).extracting(StepInputs::step)
                .containsExactly("collect", "build", "submit", "advance", "status", "status", "ingest");
        var submit = StepInputs.json(inputs.get(2));
        assertThat(submit.path("bucket").asText()).isEqualTo("cato-batch-test");
        assertThat(submit.path("roleArn").asText()).isEqualTo("arn:aws:iam::123456789012:role/cato-bedrock-batch");
        assertThat(StepInputs.json(execution.output()).path("ingested").path("ingested").asInt()).isEqualTo(148);
    }

    @Test
    void fewerGapsThanTheModelsMinimum_areCarriedToTheNextNight() {
        moto.queueLambdaReplies(FEW_GAPS);

        var execution = runs.run(arn, "{}");

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runs.lambdaInputs(execution.executionArn())).extracting(StepInputs::step).containsExactly("collect");
    }

    @Test
    void aJobThatFailed_failsTheRun_withoutIngesting() {
        moto.queueLambdaReplies(GAPS, INPUT, job("Submitted"), ADVANCED, job("Failed"));

        var execution = runs.run(arn, "{}");

        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.error()).isEqualTo("BatchJobDidNotComplete");
    }

    @Test
    void theNightlySchedule_collectsGaps() {
        moto.queueLambdaReplies(FEW_GAPS);

        var execution = runs.run(arn, "{\"source\":\"cato.schedule\",\"workflow\":\"curiosity\"}");

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runs.lambdaInputs(execution.executionArn())).extracting(StepInputs::step).containsExactly("collect");
    }

    @Test
    void theCompletionEvent_ingestsTheJobItNames_withoutCollecting() {
        moto.queueLambdaReplies(INGESTED);

        var execution = runs.run(arn, completionEvent("PartiallyCompleted"));

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        var inputs = runs.lambdaInputs(execution.executionArn());
        assertThat(inputs).extracting(StepInputs::step).containsExactly("ingest");
        assertThat(StepInputs.json(inputs.getFirst()).path("input").path("batchJobArn").asText()).isEqualTo(JOB);
    }

    @Test
    void aCompletionEventOfAFailedJob_endsWithoutCallingTheFunction() {
        var execution = runs.run(arn, completionEvent("Failed"));

        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runs.lambdaInputs(execution.executionArn())).isEmpty();
    }

    /** Bedrock's "Batch Inference Job State Change" event as EventBridge delivers it. */
    private static String completionEvent(String status) {
        return "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\","
                + "\"detail-type\":\"Batch Inference Job State Change\",\"source\":\"aws.bedrock\","
                + "\"account\":\"123456789012\",\"time\":\"2026-01-01T06:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[\"" + JOB + "\"],\"detail\":{\"version\":\"0.0\",\"accountId\":\"123456789012\","
                + "\"batchJobName\":\"cato-test-curiosity-20260101-0123456789ab\",\"batchJobArn\":\"" + JOB + "\","
                + "\"batchModelId\":\"anthropic.claude-3-5-haiku-20241022-v1:0\",\"status\":\"" + status + "\","
                + "\"failureMessage\":\"\",\"processedRecordCount\":150,\"successRecordCount\":148,"
                + "\"errorRecordCount\":2}}";
    }

    @Test
    void aSubmitFailingOnce_isRetried() {
        moto.queueLambdaReplies(GAPS, INPUT, FAILURE, job("Submitted"), ADVANCED, job("Completed"), INGESTED);

        var execution = runs.run(arn, "{}");

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(runs.lambdaInputs(execution.executionArn())).extracting(StepInputs::step)
                .containsExactly("collect", "build", "submit", "submit", "advance", "status", "ingest");
    }
}
