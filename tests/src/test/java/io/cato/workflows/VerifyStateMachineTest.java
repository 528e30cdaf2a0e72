package io.cato.workflows;

import static io.cato.workflows.ConsolidateStateMachineTest.FAILURE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** statemachines/verify.asl.json executed by moto, its function answered by queued replies. */
class VerifyStateMachineTest {
    private static final String TURN = """
            {"session":"default#s","seq":2,"tenant":"default","domain":"ai","query":"What is ML?","answer":"ML learns."}""";
    private static final String PROBE = "{\"status\":\"ok\",\"truthfulness\":0.9}";
    private static final String ENTAIL = "{\"status\":\"ok\",\"entailment\":0.8,\"contradiction\":0.1}";
    private static final String VERDICT = "{\"status\":\"supported\",\"probe\":\"ok\",\"nli\":\"ok\"}";
    private static final String STORED = "{\"stored\":true,\"status\":\"supported\"}";

    private final MotoServer moto = MotoServer.shared();
    private StateMachineRun runs;
    private String arn;

    @BeforeEach
    void create() throws IOException {
        moto.reset();
        runs = new StateMachineRun(moto);
        arn = runs.create("verify", "${VerifyStepFunctionArn}", StateMachineType.STANDARD);
    }

    @Test
    void bothChecksAnswer_theirResultsAreAggregated_andTheVerdictStored() {
        moto.queueLambdaReplies(PROBE, ENTAIL, VERDICT, STORED);

        var execution = runs.run(arn, TURN);

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<String> inputs = runs.lambdaInputs(execution.executionArn());
        assertThat(inputs).extracting(StepInputs::step).containsExactlyInAnyOrder("probe", "entail", "aggregate", "store");
        JsonNode aggregate = inputs.stream().map(StepInputs::json).filter(j -> j.path("step").asText().equals("aggregate"))
                .findFirst().orElseThrow();
        assertThat(aggregate.path("input").path("checks").toString()).contains("truthfulness", "entailment");
        assertThat(StepInputs.json(execution.output()).path("stored").asBoolean()).isTrue();
    }

    @Test
    void bothChecksFailingEveryRetry_areRecordedUnavailable_andVerificationStillCompletes() {
        moto.queueLambdaReplies(FAILURE, FAILURE, FAILURE, FAILURE, FAILURE, FAILURE, FAILURE, FAILURE, VERDICT, STORED);

        var execution = runs.run(arn, TURN);

        assertThat(execution.status()).as(execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        List<String> inputs = runs.lambdaInputs(execution.executionArn());
        assertThat(inputs).extracting(StepInputs::step).filteredOn("probe"::equals).hasSize(4);
        assertThat(inputs).extracting(StepInputs::step).filteredOn("entail"::equals).hasSize(4);
        JsonNode aggregate = StepInputs.json(inputs.get(8));
        assertThat(aggregate.path("step").asText()).isEqualTo("aggregate");
        assertThat(aggregate.path("input").path("checks").toString())
                .isEqualTo("[{\"status\":\"unavailable\"},{\"status\":\"unavailable\"}]");
    }
}
