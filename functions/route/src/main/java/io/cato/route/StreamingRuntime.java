package io.cato.route;

import io.cato.config.Settings;
import io.cato.config.SettingsLoader;
import java.util.Optional;

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
        SettingsLoader loader = SettingsLoader.fromProcess();
        // What the runtime tells the function comes first, so that settings that do not load are reported to it.
        Settings.Lambda lambda = loader.lambda();
        LambdaRuntimeApi runtime = LambdaRuntimeApi.of(lambda);
        ProxyStreamResponder responder;
        try {
            // The same wiring and SnapStart priming as the handler the managed runtime would load.
            responder = new ProxyStreamResponder(new RouteHandler(new RouteWiring(loader.load(Optional.empty()))));
        } catch (RuntimeException | LinkageError e) {
            runtime.initError(e);
            System.exit(1);
            return;
        }
        if (lambda.snapStartInit()) {
            SnapStartCheckpoint.take(runtime, lambda);
        }
        while (true) {
            responder.answer(runtime.next(), runtime);
        }
    }
}
