package io.cato.aws.dynamodb;

import io.cato.dependency.DependencyUnavailableException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Turns SDK failures into the one exception core understands: the store is unavailable.
 * A failed condition is an answer, not a failure, and passes through.
 */
final class DynamoDbErrors {
    private DynamoDbErrors() {
    }

    static <T> T call(String table, Supplier<T> action) {
        try {
            return action.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new DependencyUnavailableException("dynamodb:" + table, e);
        }
    }
}
