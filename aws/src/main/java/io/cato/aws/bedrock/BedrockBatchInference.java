package io.cato.aws.bedrock;

import io.cato.curiosity.BatchInference;
import java.util.Optional;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.S3InputFormat;

/**
 * Batch inference on the Bedrock control plane: CreateModelInvocationJob with JSONL input in S3
 * and a client request token (Bedrock answers a repeated token with the job it already started),
 * GetModelInvocationJob for the status. SDK failures pass through: the workflow retries them.
 */
public final class BedrockBatchInference implements BatchInference {
    private final BedrockClient bedrock;

    public BedrockBatchInference(BedrockClient bedrock) {
        this.bedrock = bedrock;
    }

    @Override
    public String submit(JobRequest request) {
        return bedrock.createModelInvocationJob(c -> c
                .jobName(request.jobName())
                .clientRequestToken(request.clientRequestToken())
                .modelId(request.modelId())
                .roleArn(request.roleArn())
                .inputDataConfig(ModelInvocationJobInputDataConfig.fromS3InputDataConfig(s -> s
                        .s3Uri(request.inputUri()).s3InputFormat(S3InputFormat.JSONL)))
                .outputDataConfig(ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(s -> s
                        .s3Uri(request.outputUri())))).jobArn();
    }

    @Override
    public JobStatus status(String jobArn) {
        GetModelInvocationJobResponse job = bedrock.getModelInvocationJob(g -> g.jobIdentifier(jobArn));
        return new JobStatus(job.jobArn(), job.jobName(), job.statusAsString(), Optional.ofNullable(job.message()),
                job.inputDataConfig().s3InputDataConfig().s3Uri(), job.outputDataConfig().s3OutputDataConfig().s3Uri());
    }
}
