package io.cato.aws.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.mapping.KnnVectorProperty;

class CacheIndexMappingTest {
    @Test
    void theVectorFieldUsesTheEngineAndSpaceOfTheOption() {
        KnnVectorProperty faiss = CacheIndexMapping.mapping(384, KnnEngine.FAISS).properties().get("vector").knnVector();
        KnnVectorProperty lucene = CacheIndexMapping.mapping(384, KnnEngine.LUCENE).properties().get("vector").knnVector();

        assertThat(faiss.dimension()).isEqualTo(384);
        assertThat(faiss.method().name()).isEqualTo("hnsw");
        assertThat(faiss.method().engine()).isEqualTo("faiss");
        assertThat(faiss.method().spaceType()).isEqualTo("innerproduct");
        assertThat(lucene.method().engine()).isEqualTo("lucene");
        assertThat(lucene.method().spaceType()).isEqualTo("cosinesimil");
    }
}
