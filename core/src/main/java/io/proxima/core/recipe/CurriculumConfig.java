package io.proxima.core.recipe;

import io.proxima.core.compose.ShareBound;

import io.proxima.core.estimate.Advantages;
import io.proxima.core.estimate.PassRates;

import io.proxima.core.compose.DirectivePolicy;
import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.ItemPolicy;
import io.proxima.core.compose.OutcomeFilter;
import io.proxima.core.compose.RolloutAllocator;
import io.proxima.core.compose.MetaTeacher;
import io.proxima.core.generate.GenerationParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A curriculum's configuration: plain data, validated once, the same from Java, JSON, HTTP and
 * the CLI.
 *
 * <pre>{@code
 * {
 *   "recipe": "sec",                 // a ready pipeline (default "uniform")
 *   "seed": 7,                       // all randomness derives from it (default 0)
 *   "rollouts": 8,                   // rollouts per task, the GRPO group size G (default 8)
 *   "advantage": "std",              // "std" (GRPO) or "mean" (Dr. GRPO) (default "std")
 *   "featureDim": 0,                 // length of each task's feature vector (default 0)
 *   "passRate": {"priorStrength": 2, "forgetting": 1.0},
 *   "groupPolicy": {"tau": 0.4},     // overrides of the recipe's pieces: same type → its
 *   "itemPolicy":  {"type": "odf"},  // parameters change; another "type" → another piece
 *   "filter": {...}, "allocator": {...},
 *   "strictReports": false,          // refuse reports that cannot be right (default false: flag them)
 *   "generation": {...}              // ask the trainer for derived tasks (default: absent, off; GenerationParams)
 * }
 * }</pre>
 * Unknown keys are errors that list the known ones; every error names the dotted path.
 */
public record CurriculumConfig(
        String recipe,
        long seed,
        int rollouts,
        Advantages.Mode advantage,
        int featureDim,
        PassRates.Params passRate,
        List<PipelineSpec> pipelines,
        MetaTeacher.Params meta,
        boolean strictReports,
        GenerationParams generation,
        String canonicalJson) {

    /** The recipe name that runs several pipelines under a {@link MetaTeacher}. */
    public static final String META = "meta";

    /** Upper bound on rollouts per task (a GRPO group). */
    public static final int MAX_ROLLOUTS = 4096;
    /** Upper bound on the feature dimension. */
    public static final int MAX_FEATURE_DIM = 4096;

    /** Parses JSON text with the standard recipes. */
    public static CurriculumConfig fromJson(String json) {
        return fromJson(json, Recipes.standard());
    }

    public static CurriculumConfig fromJson(String json, Recipes recipes) {
        return fromMap(ConfigJson.readObject(json), recipes);
    }

    /**
     * Parses a configuration that was stored (a log, a snapshot): one without {@code "defaults"}
     * was written before the key existed and runs {@link Defaults#LEGACY}, so that an old
     * curriculum replays as it ran.
     */
    public static CurriculumConfig fromStoredJson(String json, Recipes recipes) {
        return fromMap(ConfigJson.readObject(json), recipes, Defaults.LEGACY);
    }

    /** {@link #fromStoredJson(String, Recipes)} with the standard recipes. */
    public static CurriculumConfig fromStoredJson(String json) {
        return fromStoredJson(json, Recipes.standard());
    }

    /** Parses an already-decoded JSON object (maps, lists, numbers, strings, booleans); without {@code "defaults"}, the current ones. */
    public static CurriculumConfig fromMap(Map<String, Object> map, Recipes recipes) {
        return fromMap(map, recipes, Defaults.CURRENT);
    }

    private static CurriculumConfig fromMap(Map<String, Object> map, Recipes recipes, int absentDefaults) {
        int defaults = new ConfigNode("", map).integer("defaults", absentDefaults, Defaults.LEGACY, Defaults.CURRENT);
        ConfigNode root = new ConfigNode("", map, defaults);
        root.integer("defaults", defaults, Defaults.LEGACY, Defaults.CURRENT);
        String recipeName = root.text("recipe", "uniform");
        long seed = root.longValue("seed", 0L);
        int rollouts = root.integer("rollouts", 8, 1, MAX_ROLLOUTS);
        Advantages.Mode mode = Advantages.Mode.valueOf(root.choice("advantage", "std", List.of("std", "mean")).toUpperCase(Locale.ROOT));
        int featureDim = root.integer("featureDim", 0, 0, MAX_FEATURE_DIM);
        boolean strictReports = root.bool("strictReports", false);
        ConfigNode pr = root.child("passRate");
        PassRates.Params passRate;
        try {
            passRate = new PassRates.Params(pr.number("priorStrength", PassRates.Params.DEFAULTS.priorStrength()),
                    pr.number("forgetting", PassRates.Params.DEFAULTS.forgetting()));
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("passRate", e.getMessage());
        }
        pr.finish();
        ConfigNode gen = root.child("generation"); // absent or null: off
        GenerationParams generation = map.get("generation") == null ? null : GenerationParams.read(gen);
        List<PipelineSpec> pipelines = new ArrayList<>();
        MetaTeacher.Params meta = null;
        if (recipeName.equals(META)) {
            List<ConfigNode> members = root.children("members");
            if (members.size() < 2) throw new ConfigException("members", "the meta recipe needs at least 2 members, got " + members.size());
            if (members.size() > MetaTeacher.MAX_MEMBERS) {
                throw new ConfigException("members", "at most " + MetaTeacher.MAX_MEMBERS + " members, got " + members.size());
            }
            for (ConfigNode m : members) {
                String name = m.text("recipe", "uniform");
                if (name.equals(META)) throw new ConfigException(m.path() + ".recipe", "a member cannot itself be meta");
                pipelines.add(pipeline(m, name, recipes));
            }
            meta = MetaTeacher.parse(root.child("meta"));
        } else {
            pipelines.add(pipeline(root, recipeName, recipes));
        }
        root.finish();

        Map<String, Object> canonical = new LinkedHashMap<>(map);
        canonical.put("recipe", recipeName);
        canonical.put("seed", seed);
        // Legacy configurations keep their stored text byte for byte (no key = version 1).
        if (defaults == Defaults.LEGACY) canonical.remove("defaults");
        else canonical.put("defaults", defaults);
        String text = ConfigJson.canonical(canonical);
        return new CurriculumConfig(recipeName, seed, rollouts, mode, featureDim, passRate, List.copyOf(pipelines), meta, strictReports, generation, text);
    }

    /** The four slots of one pipeline, read from {@code node} (the root, or a member of meta). */
    private static PipelineSpec pipeline(ConfigNode node, String recipeName, Recipes recipes) {
        Recipes.Recipe recipe;
        try {
            recipe = recipes.recipe(recipeName);
        } catch (ConfigException e) {
            String at = node.path().isEmpty() ? "recipe" : node.path() + ".recipe";
            throw new ConfigException(at, e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
        }
        List<Component<DirectivePolicy>> directives = new ArrayList<>();
        java.util.Set<String> seenTypes = new java.util.HashSet<>();
        for (ConfigNode d : node.children(Slot.DIRECTIVES.key)) {
            String type = d.text("type", null);
            if (type == null) throw new ConfigException(d.path() + ".type", "is required (one of " + recipes.typeNames(Slot.DIRECTIVES) + ")");
            if (!seenTypes.add(type)) throw new ConfigException(d.path() + ".type", "\"" + type + "\" appears twice");
            directives.add(bind(recipes, Slot.DIRECTIVES, type, d.path(), d.without("type").values(), node.defaults()));
        }
        PipelineSpec spec = new PipelineSpec(recipeName, slot(node, recipe, Slot.GROUP_POLICY, recipes),
                shareBound(node, recipe), slot(node, recipe, Slot.ITEM_POLICY, recipes), slot(node, recipe, Slot.FILTER, recipes),
                slot(node, recipe, Slot.ALLOCATOR, recipes), directives);
        if (!node.path().isEmpty()) node.finish();
        return spec;
    }

    /** Group policies that adapt to reports: their share is bounded by default (fixed ones are not). */
    static final java.util.Set<String> BOUNDED_BY_DEFAULT = java.util.Set.of("sec", "dump", "lp", "lp-ema");

    /** The share bound of the group policy: {@code groupPolicy.shareBound}, defaulting by the policy's type. */
    private static ShareBound.Params shareBound(ConfigNode root, Recipes.Recipe recipe) {
        ConfigNode user = root.child(Slot.GROUP_POLICY.key);
        String type = user.text("type", (String) recipe.slots().get(Slot.GROUP_POLICY).get("type"));
        if (!user.has("shareBound")) {
            if (!BOUNDED_BY_DEFAULT.contains(type)) return ShareBound.Params.OFF;
            return type.equals("dump") && root.defaults() >= 2 ? ShareBound.Params.DUMP : ShareBound.Params.DEFAULTS;
        }
        return ShareBound.Params.read(user);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Component<T> slot(ConfigNode root, Recipes.Recipe recipe, Slot slot, Recipes recipes) {
        ConfigNode user = root.child(slot.key);
        String path = root.path().isEmpty() ? slot.key : root.path() + "." + slot.key;
        Map<String, Object> defaults = recipe.slots().get(slot);
        String defaultType = (String) defaults.get("type");
        String type = user.text("type", defaultType);
        Map<String, Object> params = new LinkedHashMap<>();
        if (type.equals(defaultType)) {
            params.putAll(defaults);
            params.remove("type");
        }
        ConfigNode own = user.without("type");
        if (slot == Slot.GROUP_POLICY) own = own.without("shareBound"); // read by shareBound(), applied around any group policy
        params.putAll(own.values());
        return bind(recipes, slot, type, path, params, root.defaults());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Component<T> bind(Recipes recipes, Slot slot, String type, String path, Map<String, Object> params, int defaults) {
        ComponentType kind = recipes.type(slot, type, path + ".type");
        return Component.bind(type, (ComponentType<Object, T>) kind, new ConfigNode(path, params, defaults));
    }

    /** The pipeline of a single-teacher configuration (the first member of a meta one). */
    public PipelineSpec pipeline() {
        return pipelines.get(0);
    }

    public Component<GroupPolicy> groupPolicy() {
        return pipeline().groupPolicy();
    }

    public Component<ItemPolicy> itemPolicy() {
        return pipeline().itemPolicy();
    }

    public Component<OutcomeFilter> filter() {
        return pipeline().filter();
    }

    public Component<RolloutAllocator> allocator() {
        return pipeline().allocator();
    }

    /** A builder for Java users: {@code CurriculumConfig.builder().recipe("sec").seed(7).set("groupPolicy.tau", 0.4).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** 64-bit FNV-1a of the canonical JSON: identifies the configuration in snapshots. */
    public long hash() {
        return ConfigJson.hash(canonicalJson);
    }

    /** Builds the same map a JSON text would give. */
    public static final class Builder {
        private final Map<String, Object> root = new LinkedHashMap<>();
        private Recipes recipes = Recipes.standard();

        public Builder recipe(String name) {
            return set("recipe", name);
        }

        public Builder seed(long seed) {
            return set("seed", seed);
        }

        public Builder rollouts(int g) {
            return set("rollouts", g);
        }

        public Builder featureDim(int d) {
            return set("featureDim", d);
        }

        public Builder recipes(Recipes r) {
            this.recipes = r;
            return this;
        }

        /** Sets a value at a dotted path, creating objects on the way ({@code "groupPolicy.tau"}). */
        public Builder set(String path, Object value) {
            ConfigJson.set(root, path, value);
            return this;
        }

        public CurriculumConfig build() {
            return fromMap(root, recipes);
        }
    }
}
