package io.cato.route;

/**
 * The route function's own runtime client, which streams answers through API Gateway. The java25
 * managed runtime's client posts one buffered response per invocation; this one posts each in the
 * Runtime API's streaming mode, so the events of a {@code stream: true} answer reach the client as
 * the model produces them. It is started in place of the managed runtime's client by the exec
 * wrapper {@code stream-bootstrap} (AWS_LAMBDA_EXEC_WRAPPER), in the same JVM with the same
 * options, so SnapStart and the runtime's CRaC hooks work as they do for a handler.
 */
public final class StreamingRuntime {
    private StreamingRuntime() {
    }

    public static void main(String[] args) {
        LambdaRuntimeApi runtime = LambdaRuntimeApi.fromEnvironment();
        ProxyStreamResponder responder;
        try {
            // The same wiring and SnapStart priming as the handler the managed runtime would load.
            responder = new ProxyStreamResponder(new RouteHandler(RouteWiring.fromEnvironment()));
        } catch (RuntimeException | LinkageError e) {
            runtime.initError(e);
            System.exit(1);
            return;
        }
        if (SnapStartCheckpoint.requested(System.getenv())) {
            SnapStartCheckpoint.take(runtime);
        }
        while (true) {
            responder.answer(runtime.next(), runtime);
        }
    }
}
