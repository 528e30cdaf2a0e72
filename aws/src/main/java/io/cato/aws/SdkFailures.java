package io.cato.aws;

import io.cato.model.ModelFailure;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What every AWS model adapter maps the same way: timeouts, HTTP statuses of errors the service
 * model does not name, and client-side failures (connection refused, an unreadable body).
 * Adapters map their service's named exceptions first and hand the rest to {@link #classify}.
 */
public final class SdkFailures {
    private static final Pattern INPUT_TOO_LONG = Pattern.compile(
            "too long|too many (input )?tokens|context (window|length)|maximum context|prompt is too large"
                    + "|exceeds? the max\\w* (number of )?(input )?tokens",
            Pattern.CASE_INSENSITIVE);

    private SdkFailures() {
    }

    /** The failure an async call completed with, without the future's wrapping. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Whether a provider's error message says the prompt does not fit the model. */
    public static boolean saysInputTooLong(String message) {
        return message != null && INPUT_TOO_LONG.matcher(message).find();
    }

    /** @param timeout the limit the call ran under, for the failure's detail */
    public static ModelFailure classify(Throwable error, Duration timeout) {
        Throwable e = unwrap(error);
        if (isTimeout(e)) {
            return new ModelFailure.TimedOut("no answer within " + timeout);
        }
        if (e instanceof AwsServiceException service) {
            String what = "HTTP " + service.statusCode() + " " + errorCode(service);
            if (service.isThrottlingException()) {
                return new ModelFailure.Throttled(what);
            }
            if (service.statusCode() == 408 || service.statusCode() == 504) {
                return new ModelFailure.TimedOut(what);
            }
            return new ModelFailure.Unavailable(what);
        }
        if (e instanceof AbortedException) {
            return new ModelFailure.Unavailable("call aborted");
        }
        if (e instanceof SdkClientException) {
            return new ModelFailure.Unavailable(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
        return new ModelFailure.Unavailable(e.getClass().getSimpleName());
    }

    /** The service's own error message, without the SDK's request id suffix when it has one. */
    public static String message(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }

    public static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
                    || t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t.getClass().getSimpleName().equals("ReadTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /** SDK client messages name the failure on their first line; later lines may quote the body. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.length() > 160 ? line.substring(0, 160) : line;
    }
}
