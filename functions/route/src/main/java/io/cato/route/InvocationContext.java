package io.cato.route;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda context of an invocation this function's own runtime client took from the Runtime API: what the
 * Runtime API's headers say (request id, function ARN, deadline, trace id), for the log lines' Lambda fields.
 * What the Runtime API does not say (log group, memory size) is left empty.
 */
record InvocationContext(LambdaRuntimeApi.Invocation invocation) implements Context {

    @Override
    public String getAwsRequestId() {
        return invocation.requestId();
    }

    @Override
    public String getLogGroupName() {
        return null;
    }

    @Override
    public String getLogStreamName() {
        return null;
    }

    /** The ARN's function name: arn:aws:lambda:region:account:function:name[:qualifier]. */
    @Override
    public String getFunctionName() {
        String[] parts = arn().split(":");
        return parts.length > 6 ? parts[6] : arn();
    }

    /** The qualifier the function was invoked with (an alias or version), or $LATEST. */
    @Override
    public String getFunctionVersion() {
        String[] parts = arn().split(":");
        return parts.length > 7 ? parts[7] : "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return arn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, invocation.deadlineEpochMs() - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 0;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }

    @Override
    public String getXrayTraceId() {
        return invocation.traceId();
    }

    private String arn() {
        return invocation.functionArn() == null ? "" : invocation.functionArn();
    }
}
