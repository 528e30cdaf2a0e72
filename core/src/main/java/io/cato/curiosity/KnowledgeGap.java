package io.cato.curiosity;

import java.util.Objects;

/**
 * A question Cato answered badly or not at all, to be asked again in the nightly batch.
 *
 * @param recordId the batch record it becomes: 11 letters and digits, unique within one job
 * @param reason {@code contradicted}, {@code unverified}, {@code memory_answer} or {@code repeated_question}
 * @param sourceRef the turn it came from ({@code tenant#session#seq}), the latest one for a repeated question
 * @param at when that turn was answered
 */
public record KnowledgeGap(String recordId, String tenant, String domain, String question, String reason,
                           String sourceRef, String at) {

    public static final String CONTRADICTED = "contradicted";
    public static final String UNVERIFIED = "unverified";
    public static final String MEMORY_ANSWER = "memory_answer";
    public static final String REPEATED_QUESTION = "repeated_question";

    public KnowledgeGap {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(reason, "reason");
    }

    /** The n-th record of a job (0-based): {@code R} and ten digits, the documented 11 alphanumeric characters. */
    public static String recordId(int index) {
        return String.format("R%010d", index);
    }

    KnowledgeGap withRecordId(String id) {
        return new KnowledgeGap(id, tenant, domain, question, reason, sourceRef, at);
    }
}
