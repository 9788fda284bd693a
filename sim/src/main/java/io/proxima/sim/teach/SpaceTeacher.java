package io.proxima.sim.teach;

import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParamTask;
import io.proxima.sim.learner.BoxLearnerSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A core {@link ContinuousCurriculum} driven as a user's trainer would: {@code create},
 * {@code next(n)}, {@code report} by task id — public API only. The space is the learner's box;
 * rewards are already in [0, 1], so no {@code rewardScale}.
 */
public final class SpaceTeacher implements BoxTeacher {
    private final ContinuousCurriculum curriculum;
    private final List<Long> ids = new ArrayList<>();

    /**
     * @param teacher the {@code "teacher"} object of a {@code ContinuousConfig} ({@code {"type": "alp-gmm", ...}})
     */
    public SpaceTeacher(BoxLearnerSpec spec, Map<String, Object> teacher, long seed) {
        this.curriculum = ContinuousCurriculum.create(config(spec, teacher, seed));
    }

    /** The curriculum's configuration for this learner: its box, the teacher, the run's seed. */
    public static ContinuousConfig config(BoxLearnerSpec spec, Map<String, Object> teacher, long seed) {
        List<Object> dims = new ArrayList<>();
        for (BoxLearnerSpec.Parameter p : spec.parameters()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", p.name());
            d.put("low", p.min());
            d.put("high", p.max());
            dims.add(d);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("space", Map.of("dims", dims));
        m.put("teacher", new LinkedHashMap<>(teacher));
        m.put("seed", seed);
        return ContinuousConfig.fromMap(m);
    }

    public ContinuousCurriculum curriculum() {
        return curriculum;
    }

    @Override
    public List<double[]> next(int n) {
        List<ParamTask> ts = curriculum.next(n);
        ids.clear();
        List<double[]> out = new ArrayList<>(ts.size());
        for (ParamTask t : ts) {
            ids.add(t.id());
            out.add(t.params());
        }
        return out;
    }

    @Override
    public void report(List<double[]> tasks, double[] rewards) {
        List<ParamOutcome> os = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) os.add(ParamOutcome.of(ids.get(i), rewards[i]));
        if (!os.isEmpty()) curriculum.report(os);
    }
}
