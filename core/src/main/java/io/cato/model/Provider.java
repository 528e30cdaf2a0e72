package io.cato.model;

import java.util.Locale;

/** How a tier is reached. */
public enum Provider {
    /** Any server speaking the OpenAI chat completions API: vLLM, Ollama, llama.cpp, LiteLLM. */
    OPENAI,
    /** Amazon Bedrock's Converse API; {@code model_id} is the model or inference profile id. */
    BEDROCK,
    /** A SageMaker real-time endpoint answering OpenAI chat completions; {@code model_id} is the endpoint name. */
    SAGEMAKER,
    /** Extractive answers from the conversation and Cato's own memory; never fails. */
    MEMORY;

    public static Provider parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "openai", "openai-compatible", "openai_compatible" -> OPENAI;
            case "bedrock" -> BEDROCK;
            case "sagemaker" -> SAGEMAKER;
            case "memory" -> MEMORY;
            default -> throw new IllegalArgumentException("unknown provider '" + value + "'");
        };
    }
}
