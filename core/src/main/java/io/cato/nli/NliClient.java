package io.cato.nli;


/**
 * Natural language inference: does the premise entail the hypothesis? Behind it in AWS is the
 * DeBERTa-MNLI SageMaker endpoint. No NLI model runs in-process, so the embedded default uses
 * {@link #NONE}, and whatever needs the check reports it as unavailable rather than guessing.
 */
public interface NliClient {

    /** @throws VerifierUnavailableException when the model cannot be reached or is not deployed */
    NliResult judge(String premise, String hypothesis);

    NliClient NONE = (premise, hypothesis) -> {
        throw new VerifierUnavailableException("nli", "no NLI endpoint is configured");
    };
}
