package io.proxima.core.teacher;

import io.proxima.core.compose.GroupPolicy;
import io.proxima.core.compose.TeacherContext;
import io.proxima.core.recipe.ComponentType;
import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;
import io.proxima.core.space.TaskPool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed mixture over groups: P(g) ∝ weight of g's name ({@code others} for groups not named).
 * The classic hand-tuned data mixture, and a building block for the meta-teacher. When every
 * non-empty group has weight 0 the policy falls back to "every task equally likely".
 */
public final class FixedMixture implements GroupPolicy {
    /**
     * @param weights weight per group name (finite, ≥ 0)
     * @param others weight of groups not named (0)
     */
    public record Params(Map<String, Double> weights, double others) {}

    public static final ComponentType<Params, FixedMixture> TYPE = ComponentType.of(node -> {
        ConfigNode w = node.child("weights");
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String name : w.values().keySet()) weights.put(name, w.number(name, 0, 0, 1e12));
        w.finish();
        if (weights.isEmpty()) throw new ConfigException(node.path() + ".weights", "must name at least one group, e.g. {\"gsm8k\": 0.7, \"math\": 0.3}");
        return new Params(Map.copyOf(weights), node.number("others", 0, 0, 1e12));
    }, (p, ctx) -> new FixedMixture(p, ctx));

    private final Params params;
    private final TaskPool pool;

    public FixedMixture(Params params, TeacherContext ctx) {
        this.params = params;
        this.pool = ctx.pool();
    }

    @Override
    public void probabilities(double[] out) {
        int g = pool.groupCount();
        double z = 0;
        for (int c = 0; c < g; c++) {
            out[c] = pool.groupSize(c) == 0 ? 0.0 : params.weights().getOrDefault(pool.groupName(c), params.others());
            z += out[c];
        }
        for (int c = 0; c < g; c++) out[c] = z > 0 ? out[c] / z : (double) pool.groupSize(c) / Math.max(1, pool.size());
    }
}
