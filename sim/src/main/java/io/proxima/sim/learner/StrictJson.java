package io.proxima.sim.learner;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict reading of the lab's JSON files: duplicate keys, trailing tokens, unknown keys and bad
 * values are errors that name the dotted path. Objects are read with core's {@link ConfigNode};
 * this class adds what it lacks (text → map, arrays of objects).
 */
public final class StrictJson {
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Parses a JSON object; {@code what} names the source in errors (a file name). */
    public Map<String, Object> object(String text, String what) {
        try {
            Map<String, Object> m = mapper.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
            if (m == null) throw new ConfigException(what, "must be a JSON object, got null");
            return m;
        } catch (JsonProcessingException e) {
            throw new ConfigException(what, "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
        }
    }

    /**
     * Removes the array {@code key} from {@code node} and returns its elements as nodes (paths
     * {@code key[i]}); the returned pair's {@code rest} is the node to keep reading.
     */
    @SuppressWarnings("unchecked")
    public static Split objects(ConfigNode node, String key, boolean required) {
        Object v = node.values().get(key);
        String at = node.path().isEmpty() ? key : node.path() + "." + key;
        List<ConfigNode> out = new ArrayList<>();
        if (v == null) {
            if (required) throw new ConfigException(at, "is required");
        } else if (!(v instanceof List<?> list)) {
            throw new ConfigException(at, "must be an array of objects");
        } else {
            for (int i = 0; i < list.size(); i++) {
                Object e = list.get(i);
                if (!(e instanceof Map)) throw new ConfigException(at + "[" + i + "]", "must be an object");
                out.add(new ConfigNode(at + "[" + i + "]", (Map<String, Object>) e));
            }
        }
        return new Split(node.without(key), out);
    }

    /** A node without one of its arrays, and that array's elements. */
    public record Split(ConfigNode rest, List<ConfigNode> elements) {}

    /** A string-to-number map (a JSON object whose values are all numbers in [min, max]). */
    public static Map<String, Double> numbers(ConfigNode parent, String key, double min, double max) {
        ConfigNode n = parent.child(key);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : n.values().keySet()) out.put(k, n.number(k, 0, min, max));
        n.finish();
        return out;
    }
}
