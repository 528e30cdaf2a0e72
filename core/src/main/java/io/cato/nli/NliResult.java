package io.cato.nli;

/** Probabilities that a premise entails, contradicts or is neutral to a hypothesis; they sum to about 1. */
public record NliResult(double entailment, double contradiction, double neutral) {

    public enum Label { ENTAILMENT, CONTRADICTION, NEUTRAL }

    public Label label() {
        if (entailment >= contradiction && entailment >= neutral) {
            return Label.ENTAILMENT;
        }
        return contradiction >= neutral ? Label.CONTRADICTION : Label.NEUTRAL;
    }
}
