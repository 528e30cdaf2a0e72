package io.cato.verification;

import io.cato.nli.VerifierUnavailableException;

/**
 * Reads the Shadow Self model's hidden states for a question and answer and scores them with a
 * linear truthfulness probe. Only the SageMaker endpoint can do this; locally it is {@link #NONE}.
 */
public interface ShadowProbeClient {

    /** @throws VerifierUnavailableException when the endpoint cannot be reached or is not deployed */
    ProbeResult probe(String query, String answer);

    ShadowProbeClient NONE = (query, answer) -> {
        throw new VerifierUnavailableException("shadow_probe", "no Shadow Self probe endpoint is configured");
    };
}
