package io.cato.routing.training;

import java.util.List;
import java.util.Map;

/**
 * Maps a training record's {@code source} (benchmark and MMLU subject) to the coarse domain the gateway reports.
 * Domains are derived from provenance because the data sets carry no domain label of their own.
 */
final class DomainTaxonomy {

    static final List<String> LABELS = List.of("math", "code", "science", "health", "law", "social", "humanities",
            "general");

    private static final Map<String, String> MMLU_SUBJECTS = Map.ofEntries(
            Map.entry("abstract_algebra", "math"), Map.entry("college_mathematics", "math"),
            Map.entry("elementary_mathematics", "math"), Map.entry("high_school_mathematics", "math"),
            Map.entry("high_school_statistics", "math"), Map.entry("formal_logic", "math"),
            Map.entry("college_computer_science", "code"), Map.entry("high_school_computer_science", "code"),
            Map.entry("machine_learning", "code"), Map.entry("computer_security", "code"),
            Map.entry("astronomy", "science"), Map.entry("college_biology", "science"),
            Map.entry("college_chemistry", "science"), Map.entry("college_physics", "science"),
            Map.entry("conceptual_physics", "science"), Map.entry("electrical_engineering", "science"),
            Map.entry("high_school_biology", "science"), Map.entry("high_school_chemistry", "science"),
            Map.entry("high_school_physics", "science"), Map.entry("anatomy", "health"),
            Map.entry("clinical_knowledge", "health"), Map.entry("college_medicine", "health"),
            Map.entry("human_aging", "health"), Map.entry("medical_genetics", "health"),
            Map.entry("nutrition", "health"), Map.entry("professional_medicine", "health"),
            Map.entry("virology", "health"), Map.entry("international_law", "law"),
            Map.entry("jurisprudence", "law"), Map.entry("professional_law", "law"),
            Map.entry("business_ethics", "social"), Map.entry("econometrics", "social"),
            Map.entry("high_school_government_and_politics", "social"),
            Map.entry("high_school_macroeconomics", "social"), Map.entry("high_school_microeconomics", "social"),
            Map.entry("high_school_psychology", "social"), Map.entry("human_sexuality", "social"),
            Map.entry("management", "social"), Map.entry("marketing", "social"),
            Map.entry("professional_accounting", "social"), Map.entry("professional_psychology", "social"),
            Map.entry("public_relations", "social"), Map.entry("security_studies", "social"),
            Map.entry("sociology", "social"), Map.entry("us_foreign_policy", "social"),
            Map.entry("high_school_european_history", "humanities"),
            Map.entry("high_school_us_history", "humanities"), Map.entry("high_school_world_history", "humanities"),
            Map.entry("prehistory", "humanities"), Map.entry("philosophy", "humanities"),
            Map.entry("moral_disputes", "humanities"), Map.entry("moral_scenarios", "humanities"),
            Map.entry("logical_fallacies", "humanities"), Map.entry("world_religions", "humanities"),
            Map.entry("high_school_geography", "general"), Map.entry("global_facts", "general"),
            Map.entry("miscellaneous", "general"));

    private DomainTaxonomy() {
    }

    /** Index into {@link #LABELS}; unknown sources count as general. */
    static int domainOf(String source) {
        String domain = "general";
        if ("gsm8k".equals(source)) {
            domain = "math";
        } else if (source.startsWith("mmlu/")) {
            domain = MMLU_SUBJECTS.getOrDefault(source.substring("mmlu/".length()), "general");
        }
        return LABELS.indexOf(domain);
    }
}
