package io.miminions.agenthost;

import io.miminions.model.Json;
import java.util.Map;

/** Maps an agent returns (task outputs, paused state) as the JSON objects the host records and saves. */
public final class JsonObjects {

    private JsonObjects() {
    }

    /**
     * The map as the JSON object it will be written as: an empty object for {@code null}.
     *
     * @param what what the map is, for the message ("the output", "the state")
     * @throws IllegalArgumentException when a value cannot be written as JSON
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(Map<String, Object> map, String what) {
        if (map == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.convertValue(map, Map.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage(), e);
        }
    }
}
