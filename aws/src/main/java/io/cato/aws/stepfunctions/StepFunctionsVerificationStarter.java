package io.cato.aws.stepfunctions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.verification.VerificationStarter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Starts the verify state machine (Express) for an answered turn. The execution name derives
 * from the turn, so a retried start cannot verify one turn twice at once.
 */
public final class StepFunctionsVerificationStarter implements VerificationStarter {
    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsVerificationStarter.class);

    private final SfnClient sfn;
    private final String stateMachineArn;
    private final ObjectMapper mapper;

    public StepFunctionsVerificationStarter(SfnClient sfn, String stateMachineArn, ObjectMapper mapper) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
        this.mapper = mapper;
    }

    @Override
    public void start(Request request) {
        try {
            sfn.startExecution(s -> s.stateMachineArn(stateMachineArn).name(executionName(request))
                    .input(mapper.valueToTree(request).toString()));
        } catch (SdkException e) {
            LOG.atWarn().log(() -> "verify state machine not started: " + e.getClass().getSimpleName());
        }
    }

    static String executionName(Request request) {
        String name = (request.session() + "-" + request.seq()).replaceAll("[^A-Za-z0-9_-]", "_");
        return name.length() <= 80 ? name : name.substring(name.length() - 80);
    }
}
