package io.proxima.core.recipe;

import io.proxima.core.teacher.AdaptiveHint;
import io.proxima.core.teacher.CuresAllocator;
import io.proxima.core.teacher.DistributionUcb;
import io.proxima.core.teacher.GradientVarianceAllocator;
import io.proxima.core.teacher.DynamicSampling;
import io.proxima.core.teacher.FastSlowProgress;
import io.proxima.core.teacher.FixedMixture;
import io.proxima.core.teacher.DifficultyBand;
import io.proxima.core.teacher.KeepAll;
import io.proxima.core.teacher.KnapsackAllocator;
import io.proxima.core.teacher.OnlineDifficultyFilter;
import io.proxima.core.teacher.Pacing;
import io.proxima.core.teacher.PoolWalk;
import io.proxima.core.teacher.PrioritizedLevelReplay;
import io.proxima.core.teacher.PromptCurriculum;
import io.proxima.core.teacher.RandomItems;
import io.proxima.core.teacher.ScaffoldDecay;
import io.proxima.core.teacher.SelectiveRollouts;
import io.proxima.core.teacher.SelfEvolvingCurriculum;
import io.proxima.core.teacher.SelfPacedLearning;
import io.proxima.core.teacher.TeacherStudentCurriculum;
import io.proxima.core.teacher.TokenBudget;
import io.proxima.core.teacher.UniformGroups;
import io.proxima.core.teacher.UniformRollouts;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a configuration may use: piece types per slot, and recipes (ready pipelines: a
 * default piece with default parameters for each slot). An instance, never a static registry:
 * {@link #standard()} builds a fresh one with every built-in; callers may register their own.
 */
public final class Recipes {
    /** A ready pipeline: for each slot a type name and parameter overrides. */
    public record Recipe(String name, String description, Map<Slot, Map<String, Object>> slots) {}

    private final Map<Slot, Map<String, ComponentType<?, ?>>> types = new EnumMap<>(Slot.class);
    private final Map<String, Recipe> recipes = new LinkedHashMap<>();

    public Recipes() {
        for (Slot s : Slot.values()) types.put(s, new LinkedHashMap<>());
    }

    /** Every built-in piece and recipe. */
    public static Recipes standard() {
        Recipes r = new Recipes();
        r.register(Slot.GROUP_POLICY, "uniform", UniformGroups.TYPE);
        r.register(Slot.GROUP_POLICY, "sec", SelfEvolvingCurriculum.TYPE);
        r.register(Slot.GROUP_POLICY, "dump", DistributionUcb.TYPE);
        r.register(Slot.GROUP_POLICY, "mixture", FixedMixture.TYPE);
        r.register(Slot.GROUP_POLICY, "lp", TeacherStudentCurriculum.TYPE);
        r.register(Slot.GROUP_POLICY, "lp-ema", FastSlowProgress.TYPE);

        r.register(Slot.ITEM_POLICY, "walk", PoolWalk.TYPE);
        r.register(Slot.ITEM_POLICY, "random", RandomItems.TYPE);
        r.register(Slot.ITEM_POLICY, "odf", DifficultyBand.TYPE);
        r.register(Slot.ITEM_POLICY, "pcl", PromptCurriculum.TYPE);
        r.register(Slot.ITEM_POLICY, "plr", PrioritizedLevelReplay.TYPE);
        r.register(Slot.ITEM_POLICY, "pacing", Pacing.TYPE);
        r.register(Slot.ITEM_POLICY, "spl", SelfPacedLearning.TYPE);
        r.register(Slot.ITEM_POLICY, "robust-plr", PrioritizedLevelReplay.ROBUST_TYPE);
        r.register(Slot.ITEM_POLICY, "greso", SelectiveRollouts.TYPE);

        r.register(Slot.FILTER, "none", KeepAll.TYPE);
        r.register(Slot.FILTER, "odf", OnlineDifficultyFilter.TYPE);
        r.register(Slot.FILTER, "dapo", DynamicSampling.TYPE);

        r.register(Slot.ALLOCATOR, "uniform", UniformRollouts.TYPE);
        r.register(Slot.DIRECTIVES, "tokenBudget", TokenBudget.TYPE);
        r.register(Slot.DIRECTIVES, "hint", AdaptiveHint.TYPE);
        r.register(Slot.DIRECTIVES, "scaffold", ScaffoldDecay.TYPE);
        r.register(Slot.ALLOCATOR, "gvm", GradientVarianceAllocator.TYPE);
        r.register(Slot.ALLOCATOR, "knapsack", KnapsackAllocator.TYPE);
        r.register(Slot.ALLOCATOR, "cures", CuresAllocator.TYPE);

        r.recipe("uniform", "baseline: every task equally likely, the pool walked without replacement epoch by epoch",
                "uniform", "walk", "none", "uniform");
        r.recipe("random", "baseline: i.i.d. uniform draws (with replacement across batches)",
                "uniform", "random", "none", "uniform");
        r.recipe("odf", "online difficulty filtering (Bae et al. 2025): prefer tasks whose estimated pass rate lies in "
                + "[0.2, 0.8]; drop reported groups that carry no gradient (the paper's band filter: filter odf)",
                "uniform", "odf", "dapo", "uniform");
        r.recipe("dapo", "DAPO dynamic sampling (Yu et al. 2025): walk the pool, drop groups whose rewards all agree",
                "uniform", "walk", "dapo", "uniform");
        r.recipe("greso", "GRESO (Zheng et al. 2025): walk the pool, skip before generating the tasks whose last groups all "
                + "agreed (with a probability that keeps the zero-variance share near a target); DAPO's filter on what is generated",
                "uniform", "greso", "dapo", "uniform");
        r.recipe("sec", "Self-Evolving Curriculum (Chen et al. 2025): Boltzmann bandit over groups on mean |advantage|",
                "sec", "walk", "none", "uniform");
        r.recipe("dump", "DUMP (Wang et al. 2025): softmax-UCB over groups on windowed mean |advantage|",
                "dump", "walk", "none", "uniform");
        r.recipe("pcl", "Prompt Curriculum Learning (Gao et al. 2025): value model, tasks predicted nearest pass rate 0.5",
                "uniform", "pcl", "none", "uniform");
        r.recipe("plr", "Prioritized Level Replay (Jiang et al. 2021): replay tasks by rank of |advantage|, mixed with staleness",
                "uniform", "plr", "none", "uniform");
        r.recipe("robust-plr", "Robust PLR (Jiang et al. 2021): as plr, but train only on replayed tasks; new ones are evaluated",
                "uniform", "robust-plr", "none", "uniform");
        r.recipe("lp", "Teacher-Student Curriculum Learning (Matiisen et al. 2017): groups by |slope| of their recent success",
                "lp", "walk", "none", "uniform");
        r.recipe("lp-ema", "learning progress as |fast − slow| moving averages of group success (Kanitscheider et al. 2021)",
                "lp-ema", "walk", "none", "uniform");
        r.recipe("knapsack", "Knapsack-RL (Li et al. 2025) over the walk: the pool walked as by uniform, each batch's rollouts "
                + "moved from tasks whose last group all agreed to those near p = 0.5 (same total); needs a trainer that generates "
                + "a different number of rollouts per prompt",
                "uniform", "walk", "none", "knapsack");
        r.recipe("pacing", "ordered curriculum (Platanios et al. 2019 and others): a pacing function opens the pool from easy to hard",
                "uniform", "pacing", "none", "uniform");
        r.recipe("spl", "self-paced learning (Kumar et al. 2010): train on items whose reported loss is below a growing age",
                "uniform", "spl", "none", "uniform");
        return r;
    }

    public <P, T> Recipes register(Slot slot, String name, ComponentType<P, T> type) {
        if (types.get(slot).putIfAbsent(name, type) != null) {
            throw new IllegalArgumentException(slot.key + " type '" + name + "' is already registered");
        }
        return this;
    }

    /** Registers a recipe from one type name per slot, with no parameter overrides. */
    public Recipes recipe(String name, String description, String group, String item, String filter, String allocator) {
        Map<Slot, Map<String, Object>> slots = new EnumMap<>(Slot.class);
        slots.put(Slot.GROUP_POLICY, Map.of("type", group));
        slots.put(Slot.ITEM_POLICY, Map.of("type", item));
        slots.put(Slot.FILTER, Map.of("type", filter));
        slots.put(Slot.ALLOCATOR, Map.of("type", allocator));
        return recipe(new Recipe(name, description, slots));
    }

    public Recipes recipe(Recipe recipe) {
        for (Slot s : Slot.values()) {
            if (s == Slot.DIRECTIVES) continue;
            Object type = recipe.slots().getOrDefault(s, Map.of()).get("type");
            if (!(type instanceof String t) || !types.get(s).containsKey(t)) {
                throw new IllegalArgumentException("recipe '" + recipe.name() + "': " + s.key + " type " + type + " is not registered");
            }
        }
        if (recipes.putIfAbsent(recipe.name(), recipe) != null) {
            throw new IllegalArgumentException("recipe '" + recipe.name() + "' is already registered");
        }
        return this;
    }

    public Recipe recipe(String name) {
        Recipe r = recipes.get(name);
        if (r == null) throw new ConfigException("recipe", "unknown recipe \"" + name + "\"; known recipes: " + recipes.keySet());
        return r;
    }

    public List<Recipe> recipes() {
        return List.copyOf(recipes.values());
    }

    public List<String> typeNames(Slot slot) {
        return List.copyOf(types.get(slot).keySet());
    }

    @SuppressWarnings("unchecked")
    <T> ComponentType<?, T> type(Slot slot, String name, String path) {
        ComponentType<?, ?> t = types.get(slot).get(name);
        if (t == null) {
            throw new ConfigException(path, "unknown " + slot.key + " type \"" + name + "\"; known: " + types.get(slot).keySet());
        }
        return (ComponentType<?, T>) t;
    }
}
