package io.cato.aws.bedrock;

import io.cato.aws.SdkFailures;
import io.cato.model.ModelFailure;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** Bedrock Runtime's errors and stop reasons as {@link ModelFailure}s. */
final class BedrockFailures {
    private BedrockFailures() {
    }

    static ModelFailure classify(Throwable error, Duration timeout) {
        Throwable e = SdkFailures.unwrap(error);
        return switch (e) {
            case ThrottlingException t -> new ModelFailure.Throttled("ThrottlingException");
            case ModelTimeoutException t -> new ModelFailure.TimedOut("ModelTimeoutException");
            case ValidationException v when SdkFailures.saysInputTooLong(SdkFailures.message(v)) ->
                    new ModelFailure.ContextTooLong("ValidationException: input too long");
            case InternalServerException s -> unavailable(s);
            case ServiceUnavailableException s -> unavailable(s);
            case ModelNotReadyException s -> unavailable(s);
            case ModelErrorException s -> unavailable(s);
            case ModelStreamErrorException s -> unavailable(s);
            default -> SdkFailures.classify(e, timeout);
        };
    }

    /** A reply that arrived but is not an answer, judged by its stop reason. */
    static Optional<ModelFailure> fromStopReason(String stopReason) {
        if (stopReason == null) {
            return Optional.empty();
        }
        return switch (stopReason) {
            case "guardrail_intervened", "content_filtered" -> Optional.of(new ModelFailure.Refused("stopReason " + stopReason));
            case "model_context_window_exceeded" -> Optional.of(new ModelFailure.ContextTooLong("stopReason " + stopReason));
            default -> Optional.empty();
        };
    }

    private static ModelFailure unavailable(Exception e) {
        return new ModelFailure.Unavailable(e.getClass().getSimpleName());
    }
}
