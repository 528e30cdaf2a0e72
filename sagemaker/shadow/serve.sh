#!/usr/bin/env bash
# Starts vLLM on loopback and the proxy on :8080; if either exits, the container exits so that
# SageMaker replaces the instance instead of routing to half a server.
set -euo pipefail

layers_json="[${HIDDEN_STATE_LAYERS}]"
mkdir -p "$HIDDEN_STATES_DIR"

# extract_hidden_states: the speculator that caches the chosen layers' hidden states, written per
# request by the hidden-states KV connector. Chunked prefill stays off (the connector needs each
# prompt's states in one piece) and so does prefix caching (a cached prefix would not be
# recomputed, leaving its hidden states out of the file).
python3 -m vllm.entrypoints.openai.api_server \
  --model "$MODEL_DIR" \
  --served-model-name "$SERVED_MODEL_NAME" \
  --host 127.0.0.1 --port 8000 \
  --dtype bfloat16 \
  --max-model-len "$MAX_MODEL_LEN" \
  --gpu-memory-utilization "$GPU_MEMORY_UTILIZATION" \
  --no-enable-chunked-prefill \
  --no-enable-prefix-caching \
  --speculative-config "{\"method\":\"extract_hidden_states\",\"num_speculative_tokens\":1,\"draft_model_config\":{\"hf_config\":{\"eagle_aux_hidden_state_layer_ids\":${layers_json}}}}" \
  --kv-transfer-config "{\"kv_connector\":\"ExampleHiddenStatesConnector\",\"kv_role\":\"kv_producer\",\"kv_connector_extra_config\":{\"shared_storage_path\":\"${HIDDEN_STATES_DIR}\"}}" &

python3 /opt/cato/proxy.py &

wait -n
exit 1
