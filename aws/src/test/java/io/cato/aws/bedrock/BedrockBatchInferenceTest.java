package io.cato.aws.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cato.aws.AwsClients;
import io.cato.aws.testing.BedrockBatchStub;
import io.cato.curiosity.BatchInference;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.ResourceNotFoundException;

/** The Bedrock batch adapter through the real SDK against a loopback control plane that checks what it signs. */
class BedrockBatchInferenceTest {
    private static final BatchInference.JobRequest REQUEST = new BatchInference.JobRequest(
            "cato-dev-curiosity-20260301-0123456789ab", "curiosity-20260301-0123456789ab-0011223344556677",
            "anthropic.claude-3-5-haiku-20241022-v1:0", "arn:aws:iam::123456789012:role/cato-bedrock-batch",
            "s3://cato-batch/input/curiosity/20260301-0123456789ab/records.jsonl",
            "s3://cato-batch/output/curiosity/20260301-0123456789ab/");

    private final BedrockBatchStub stub = new BedrockBatchStub();
    private final BedrockClient client = new AwsClients(Region.US_EAST_1, Optional.of(stub.endpoint())).bedrock();
    private final BedrockBatchInference bedrock = new BedrockBatchInference(client);

    @AfterEach
    void close() {
        client.close();
        stub.close();
    }

    @Test
    void submit_sendsTheDocumentedCreateRequest_andReturnsTheJobArn() {
        String arn = bedrock.submit(REQUEST);

        assertThat(stub.violations()).isEmpty();
        var sent = stub.lastRequest();
        assertThat(sent.path()).isEqualTo("/model-invocation-job");
        assertThat(sent.body().path("jobName").asText()).isEqualTo(REQUEST.jobName());
        assertThat(sent.body().path("clientRequestToken").asText()).isEqualTo(REQUEST.clientRequestToken());
        assertThat(sent.body().path("roleArn").asText()).isEqualTo(REQUEST.roleArn());
        assertThat(sent.body().path("modelId").asText()).isEqualTo(REQUEST.modelId());
        assertThat(sent.body().path("inputDataConfig").path("s3InputDataConfig").path("s3Uri").asText())
                .isEqualTo(REQUEST.inputUri());
        assertThat(sent.body().path("inputDataConfig").path("s3InputDataConfig").path("s3InputFormat").asText())
                .isEqualTo("JSONL");
        assertThat(sent.body().path("outputDataConfig").path("s3OutputDataConfig").path("s3Uri").asText())
                .isEqualTo(REQUEST.outputUri());
        assertThat(arn).startsWith("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/");
    }

    @Test
    void submitWithTheSameToken_returnsTheFirstJob_andStartsNoOther() {
        String first = bedrock.submit(REQUEST);
        String again = bedrock.submit(REQUEST);

        assertThat(again).isEqualTo(first);
        assertThat(stub.jobs()).hasSize(1);
    }

    @Test
    void status_readsTheJobsStatusMessageAndLocations() {
        String arn = bedrock.submit(REQUEST);
        stub.setStatus(arn, "PartiallyCompleted", "2 records failed");

        var status = bedrock.status(arn);

        assertThat(stub.violations()).isEmpty();
        assertThat(stub.lastRequest().method()).isEqualTo("GET");
        assertThat(status.status()).isEqualTo("PartiallyCompleted");
        assertThat(status.hasResults()).isTrue();
        assertThat(status.message()).contains("2 records failed");
        assertThat(status.jobName()).isEqualTo(REQUEST.jobName());
        assertThat(status.inputUri()).isEqualTo(REQUEST.inputUri());
        assertThat(status.outputUri()).isEqualTo(REQUEST.outputUri());
    }

    @Test
    void statusOfAnUnknownJob_failsAsTheServiceDoes() {
        assertThatThrownBy(() -> bedrock.status("arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/nope"))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
