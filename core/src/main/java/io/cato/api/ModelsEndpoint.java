package io.cato.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cato.routing.Tier;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} in OpenAI's list format: the automatic-routing names
 * ("auto" first) and every deployed tier, which a request's {@code model} may name to pin it.
 */
final class ModelsEndpoint {
    private final ObjectMapper mapper;
    private final List<String> ids;
    private final long created;

    ModelsEndpoint(ObjectMapper mapper, List<Tier> deployed, List<String> autoModels, long created) {
        this.mapper = mapper;
        List<String> all = new ArrayList<>(autoModels);
        deployed.stream().map(Tier::name).filter(name -> !all.contains(name)).forEach(all::add);
        this.ids = List.copyOf(all);
        this.created = created;
    }

    ApiResponse list() {
        ObjectNode out = mapper.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        ids.forEach(id -> data.add(model(id)));
        return ApiResponse.json(200, out.toString());
    }

    ApiResponse one(String id) {
        if (!ids.contains(id)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "model '" + id + "' is neither a deployed tier nor \"auto\"",
                    "model");
        }
        return ApiResponse.json(200, model(id).toString());
    }

    private ObjectNode model(String id) {
        return mapper.createObjectNode().put("id", id).put("object", "model").put("created", created)
                .put("owned_by", "cato");
    }
}
