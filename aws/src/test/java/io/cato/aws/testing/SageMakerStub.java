package io.cato.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SageMaker Runtime on loopback, fronting a vLLM container: {@code POST
 * /endpoints/{name}/invocations} answers an OpenAI chat completions response. A container error
 * comes back as SageMaker returns it, HTTP 424 {@code ModelError} with {@code OriginalStatusCode}
 * and {@code OriginalMessage}; service errors as status, {@code x-amzn-ErrorType} and a message.
 */
public final class SageMakerStub extends LoopbackAwsStub {
    private static final Pattern PATH = Pattern.compile("/endpoints/([^/]+)/invocations");

    private volatile String answer = "Paris is the capital.";
    private volatile String finishReason = "stop";
    private volatile int containerStatus;
    private volatile String containerMessage;
    private volatile int serviceStatus;
    private volatile String serviceErrorType;
    private volatile boolean malformed;

    public SageMakerStub() {
        super("sagemaker", PATH);
    }

    public SageMakerStub answering(String text) {
        this.answer = text;
        return this;
    }

    public SageMakerStub finishReason(String reason) {
        this.finishReason = reason;
        return this;
    }

    /** The container (vLLM) answers with this status and body; SageMaker wraps it as ModelError. */
    public SageMakerStub containerFailingWith(int status, String body) {
        this.containerStatus = status;
        this.containerMessage = body;
        return this;
    }

    /** SageMaker itself fails: ThrottlingException, ServiceUnavailable, InternalFailure, ValidationError... */
    public SageMakerStub failingWith(int status, String errorType) {
        this.serviceStatus = status;
        this.serviceErrorType = errorType;
        return this;
    }

    public SageMakerStub answeringMalformed() {
        this.malformed = true;
        return this;
    }

    @Override
    protected void respond(HttpExchange exchange, Matcher path, Request request) throws IOException {
        if (!"application/json".equals(request.accept())) {
            sendError(exchange, 400, "ValidationError", "stub expects Accept: application/json, got " + request.accept());
        } else if (serviceStatus != 0) {
            sendError(exchange, serviceStatus, serviceErrorType, serviceErrorType + " from stub");
        } else if (containerStatus != 0) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "ModelError");
            sendJson(exchange, 424, "{\"OriginalStatusCode\":" + containerStatus + ",\"OriginalMessage\":"
                    + quote(containerMessage) + ",\"LogStreamArn\":\"arn:aws:logs:us-east-1:123456789012:log-group:"
                    + "/aws/sagemaker/Endpoints/" + path.group(1) + "\",\"message\":" + quote("Received client error ("
                    + containerStatus + ") from primary with message \"" + containerMessage + "\"") + "}");
        } else if (malformed) {
            send(exchange, 200, "application/json", "<html>502 Bad Gateway</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            sendJson(exchange, 200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":"
                    + quote(request.body().path("model").asText()) + ",\"choices\":[{\"index\":0,\"message\":"
                    + "{\"role\":\"assistant\",\"content\":" + quote(answer) + "},\"finish_reason\":"
                    + quote(finishReason) + "}],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":6,"
                    + "\"total_tokens\":37}}");
        }
    }
}
