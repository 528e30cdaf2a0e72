package io.cato.cache;

import io.cato.testing.VectorIndexContract;

class InMemoryVectorIndexTest extends VectorIndexContract {
    @Override
    protected VectorIndex newIndex() {
        return new InMemoryVectorIndex();
    }
}
