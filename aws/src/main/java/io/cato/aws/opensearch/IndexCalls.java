package io.cato.aws.opensearch;

import io.cato.dependency.DependencyUnavailableException;
import java.io.IOException;
import java.util.List;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.Conflicts;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Requests to one index, each failure typed: unavailable (throttled, 5xx, no connection: a retry may help) or refused
 * (it will not). Also the deletes both of the index's modes share.
 *
 * @param refreshWrites whether writes ask for {@code refresh} (provisioned mode; serverless never sends it)
 */
record IndexCalls(OpenSearchClient client, String index, boolean refreshWrites) {

    /** One request; its I/O failures are turned into typed ones by {@link #call}. */
    interface Call<T> {
        T run() throws IOException;
    }

    <T> T call(String operation, Call<T> action) {
        try {
            return action.run();
        } catch (OpenSearchException e) {
            if (e.status() == 429 || e.status() >= 500) {
                throw unavailable(e);
            }
            throw new VectorIndexRequestException(index, operation, e.status(), e.error().type(), e);
        } catch (IOException | SdkException e) {
            throw unavailable(e);
        }
    }

    DependencyUnavailableException unavailable(Throwable cause) {
        return new DependencyUnavailableException("opensearch:" + index, cause);
    }

    /** The refresh a write asks for: at once in provisioned mode, none (the collection's schedule) in serverless. */
    Refresh writeRefresh() {
        return refreshWrites ? Refresh.True : null;
    }

    /** Whether a 404 means the document is missing, not the whole index. */
    static boolean documentMissing(OpenSearchException e) {
        return e.status() == 404 && !"index_not_found_exception".equals(e.error().type());
    }

    /** One bulk request deleting documents by {@code _id}; returns how many it deleted (a missing one is not an error). */
    long deleteIds(String operation, List<String> ids) {
        var response = call(operation, () -> client.bulk(b -> {
            b.refresh(writeRefresh());
            for (String id : ids) {
                b.operations(op -> op.delete(d -> d.index(index).id(id)));
            }
            return b;
        }));
        long deleted = 0;
        for (BulkResponseItem item : response.items()) {
            if ("deleted".equals(item.result())) {
                deleted++;
            } else if (item.error() != null && item.status() != 404) {
                if (item.status() == 429 || item.status() >= 500) {
                    throw unavailable(new IOException(operation + ": bulk delete HTTP " + item.status() + " "
                            + item.error().type()));
                }
                throw new VectorIndexRequestException(index, operation, item.status(), item.error().type(), null);
            }
        }
        return deleted;
    }

    /** {@code _delete_by_query} (provisioned mode only); returns how many it deleted. */
    long deleteMatching(String operation, Query query) {
        Long deleted = call(operation, () -> client.deleteByQuery(d -> d
                .index(index)
                .query(query)
                .conflicts(Conflicts.Proceed)
                .refresh(writeRefresh()))).deleted();
        return deleted == null ? 0 : deleted;
    }
}
