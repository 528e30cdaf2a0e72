package io.cato.curiosity;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cato.embedding.Embedder;
import io.cato.memory.FactExtractor;
import io.cato.memory.SemanticMemory;
import io.cato.memory.Watermarks;
import java.time.Clock;

/** The parts the steps work with. */
public record CuriosityParts(KnowledgeGaps gaps, SemanticMemory memory, Watermarks watermarks, BatchStore store,
                             BatchInference inference, IngestionLedger ledger, FactExtractor extractor, Embedder embedder,
                             ObjectMapper mapper, Clock clock) {

    /** Starts the parts the steps work with, each set by name. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts the steps work with by name. */
    public static final class Builder {
        private KnowledgeGaps gaps;
        private SemanticMemory memory;
        private Watermarks watermarks;
        private BatchStore store;
        private BatchInference inference;
        private IngestionLedger ledger;
        private FactExtractor extractor;
        private Embedder embedder;
        private ObjectMapper mapper;
        private Clock clock;

        private Builder() {
        }

        public Builder gaps(KnowledgeGaps value) {
            this.gaps = value;
            return this;
        }

        public Builder memory(SemanticMemory value) {
            this.memory = value;
            return this;
        }

        public Builder watermarks(Watermarks value) {
            this.watermarks = value;
            return this;
        }

        public Builder store(BatchStore value) {
            this.store = value;
            return this;
        }

        public Builder inference(BatchInference value) {
            this.inference = value;
            return this;
        }

        public Builder ledger(IngestionLedger value) {
            this.ledger = value;
            return this;
        }

        public Builder extractor(FactExtractor value) {
            this.extractor = value;
            return this;
        }

        public Builder embedder(Embedder value) {
            this.embedder = value;
            return this;
        }

        public Builder mapper(ObjectMapper value) {
            this.mapper = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public CuriosityParts build() {
            return new CuriosityParts(gaps, memory, watermarks, store, inference, ledger, extractor, embedder, mapper,
                    clock);
        }
    }
}
