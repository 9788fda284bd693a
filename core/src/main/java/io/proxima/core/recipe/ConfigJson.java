package io.proxima.core.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.proxima.core.Unicode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON side of a configuration, the same for {@link CurriculumConfig} and
 * {@code ContinuousConfig}: text to an object map (integers kept exact), the canonical text that
 * snapshots carry (keys sorted), its 64-bit FNV-1a hash, and the dotted-path setter of the Java
 * builders. Reading the map into records is {@link ConfigNode}'s job.
 */
public final class ConfigJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private ConfigJson() {}

    /** The JSON object of {@code json}; a {@link ConfigException} at "config" names the line and column of a syntax error. */
    public static Map<String, Object> readObject(String json) {
        Map<String, Object> map;
        try {
            map = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
        }
        if (map == null) throw new ConfigException("config", "must be a JSON object, got null");
        checkUnicode(map, "");
        return map;
    }

    /** Every key and string value of a configuration is valid Unicode (it is stored and hashed as UTF-8). */
    @SuppressWarnings("unchecked")
    private static void checkUnicode(Object v, String path) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                String bad = Unicode.problem(e.getKey());
                if (bad != null) throw new ConfigException(path.isEmpty() ? "config" : path, "a key " + bad);
                checkUnicode(e.getValue(), p);
            }
        } else if (v instanceof java.util.List<?> l) {
            for (int i = 0; i < l.size(); i++) checkUnicode(l.get(i), path + "[" + i + "]");
        } else if (v instanceof String s) {
            String bad = Unicode.problem(s);
            if (bad != null) throw new ConfigException(path, bad);
        }
    }

    /** The canonical text of a configuration: keys sorted at every level. */
    public static String canonical(Map<String, Object> map) {
        checkUnicode(map, "");
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", "cannot be written back as JSON: " + e.getOriginalMessage());
        }
    }

    /** 64-bit FNV-1a of the canonical JSON: identifies the configuration in snapshots. */
    public static long hash(String canonicalJson) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < canonicalJson.length(); i++) {
            h ^= canonicalJson.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** Sets a value at a dotted path of {@code root}, creating objects on the way ({@code "teacher.fitRate"}). */
    @SuppressWarnings("unchecked")
    public static void set(Map<String, Object> root, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = root;
        for (int i = 0; i < parts.length - 1; i++) {
            m = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        m.put(parts[parts.length - 1], value);
    }
}
