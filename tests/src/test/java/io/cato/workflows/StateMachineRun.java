package io.cato.workflows;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Creates a state machine from a file under statemachines/ on moto, with its definition
 * substitutions replaced the way the SAM template replaces them, and runs executions to the end.
 */
final class StateMachineRun {
    static final Map<String, String> SUBSTITUTIONS = Map.of(
            "${BatchBucketName}", "cato-batch-test",
            "${BedrockBatchRoleArn}", "arn:aws:iam::123456789012:role/cato-bedrock-batch",
            "${SemanticMemoryTableName}", "cato-memory-test",
            "${SessionsTableName}", "cato-sessions-test");

    private final MotoServer moto;
    private final SfnClient sfn;

    StateMachineRun(MotoServer moto) {
        this.moto = moto;
        this.sfn = SfnClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Creates the state machine with its one function placeholder bound to a moto function; returns its ARN. */
    String create(String name, String functionPlaceholder, StateMachineType type) throws IOException {
        String definition = Files.readString(WorkflowPaths.definition(name));
        definition = definition.replace(functionPlaceholder, moto.createFunction("cato-" + name + "-steps"));
        for (var entry : SUBSTITUTIONS.entrySet()) {
            definition = definition.replace(entry.getKey(), entry.getValue());
        }
        if (definition.contains("${")) {
            throw new IllegalStateException(name + " uses a substitution the template does not provide: " + definition);
        }
        String finalDefinition = definition;
        return sfn.createStateMachine(c -> c.name("cato-" + name + "-" + UUID.randomUUID().toString().substring(0, 8))
                .definition(finalDefinition).type(type)
                .roleArn("arn:aws:iam::123456789012:role/cato-workflows")).stateMachineArn();
    }

    /** Starts an execution and waits for it to end. */
    DescribeExecutionResponse run(String stateMachineArn, String input) {
        String arn = sfn.startExecution(s -> s.stateMachineArn(stateMachineArn).input(input)).executionArn();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            DescribeExecutionResponse execution = sfn.describeExecution(d -> d.executionArn(arn));
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("execution did not end within 60 s: " + arn);
    }

    /** The inputs the execution sent to its function, in order. */
    List<String> lambdaInputs(String executionArn) {
        return history(executionArn).stream().filter(e -> e.lambdaFunctionScheduledEventDetails() != null)
                .map(e -> e.lambdaFunctionScheduledEventDetails().input()).toList();
    }

    List<HistoryEvent> history(String executionArn) {
        return sfn.getExecutionHistory(h -> h.executionArn(executionArn).maxResults(1000)).events();
    }
}
