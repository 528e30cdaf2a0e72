package io.cato.workflows;

import io.cato.aws.testing.Moto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The test JVM's moto server ({@link Moto#shared()}) seen as the workflows use it: real state
 * machine execution switched on, Lambda replies queued, functions created. Tests share it and call
 * {@link #reset} before each use.
 */
final class MotoServer {
    private static MotoServer instance;

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(URI endpoint) {
        this.endpoint = endpoint;
    }

    static synchronized MotoServer shared() {
        if (instance == null) {
            instance = new MotoServer(Moto.shared().endpoint());
        }
        return instance;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Forgets every resource and queued Lambda reply, then switches real execution on again. */
    void reset() {
        post("/moto-api/reset", "");
        post("/moto-api/config", "{\"stepfunctions\":{\"execute_state_machine\":true},\"lambda\":{\"use_docker\":false}}");
    }

    /** Queues replies that moto's Lambda returns, one per invocation, in order; a non-JSON reply fails the task. */
    void queueLambdaReplies(String... replies) {
        var body = new StringBuilder("{\"region\":\"us-east-1\",\"results\":[");
        for (int i = 0; i < replies.length; i++) {
            body.append(i == 0 ? "" : ",").append(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .textNode(replies[i]));
        }
        post("/moto-api/static/lambda-simple/response", body.append("]}").toString());
    }

    /** Creates a Lambda function moto can invoke (its code never runs: replies are queued) and returns its ARN. */
    String createFunction(String name) {
        String policy = java.net.URLEncoder.encode("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
                java.nio.charset.StandardCharsets.UTF_8);
        send("/", "Action=CreateRole&Version=2010-05-08&RoleName=cato-workflows&AssumeRolePolicyDocument=" + policy,
                "application/x-www-form-urlencoded", "iam");
        String zip = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="; // an empty zip archive
        HttpResponse<String> response = post("/2015-03-31/functions", "{\"FunctionName\":\"" + name + "\","
                + "\"Runtime\":\"java21\",\"Role\":\"arn:aws:iam::123456789012:role/cato-workflows\","
                + "\"Handler\":\"io.cato.Handler::handleRequest\",\"Code\":{\"ZipFile\":\"" + zip + "\"}}");
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("moto did not create function " + name + ": " + response.body());
        }
        return "arn:aws:lambda:us-east-1:123456789012:function:" + name;
    }

    private HttpResponse<String> post(String path, String body) {
        return send(path, body, "application/json", "lambda");
    }

    private HttpResponse<String> send(String path, String body, String contentType, String service) {
        try {
            return http.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .header("content-type", contentType)
                    .header("authorization", "AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/" + service
                            + "/aws4_request, SignedHeaders=host, Signature=0")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
