package io.proxima.core.continuous;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigJson;
import io.proxima.core.recipe.ConfigNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a {@link ContinuousCurriculum}: plain data, validated once.
 *
 * <pre>{@code
 * {
 *   "space": {"dims": [{"name": "stump_height", "low": 0, "high": 3},
 *                      {"name": "stump_spacing", "low": 0, "high": 6}]},     // required
 *   "teacher": {"type": "alp-gmm", "fitRate": 250, ...},   // "random" | "alp-gmm" | "covar-gmm" | "riac" | "adr" | "spdl" | "recent-alp-gmm"
 *                                                          // (default "alp-gmm", all parameters defaulted)
 *              "mutation": {"share": 0.2, "scale": 0.05,   // optional, any teacher: ACCEL-style edits of
 *                           "score": "progress", ...}      // top-scoring recent tasks ({@link Mutation})
 *   "seed": 7,                                             // default 0
 *   "rewardScale": {"low": -150, "high": 350},             // optional: returns mapped linearly to [0, 1],
 *                                                          // clamped, before the teacher sees them
 *   "pendingWindow": 4096                                  // proposals that can be reported by id alone
 * }
 * }</pre>
 * Strict: unknown keys are errors listing the known ones; every error names its dotted path
 * ({@code teacher.fitRate}, {@code space.dims[1].low}). Teacher parameters are documented on each
 * teacher's {@code Params} record and in {@code docs/teachers.md}.
 *
 * @param rewardScale the return range mapped to [0, 1] ({@link RewardScale#NONE}: returns used as they are)
 * @param canonicalJson the configuration with the seed and every teacher parameter filled in, keys sorted; snapshots carry it
 */
public record ContinuousConfig(ParameterSpace space, ContinuousTeacher.Params teacher, long seed, RewardScale rewardScale,
                               int pendingWindow, String canonicalJson) {
    /** Default proposals remembered for reports by id. */
    public static final int DEFAULT_PENDING_WINDOW = 4096;
    /** Upper bound of {@code pendingWindow}. */
    public static final int MAX_PENDING_WINDOW = 1 << 16;
    public static final List<String> TEACHERS = List.of("random", "alp-gmm", "covar-gmm", "riac", "adr", "spdl", "recent-alp-gmm");

    /**
     * The reference controller's clamped linear map of returns to [0, 1]
     * [CODE teachDeepRL teachers/teacher_controller.py: BipedalWalker returns [−150, 350]].
     */
    public record RewardScale(double low, double high) {
        /** No scaling. */
        public static final RewardScale NONE = new RewardScale(0, 0);

        public boolean enabled() {
            return low < high;
        }

        public double apply(double r) {
            if (!enabled()) return r;
            return Math.min(1.0, Math.max(0.0, (r - low) / (high - low)));
        }
    }

    public static ContinuousConfig fromJson(String json) {
        return fromMap(ConfigJson.readObject(json));
    }

    @SuppressWarnings("unchecked")
    public static ContinuousConfig fromMap(Map<String, Object> map) {
        ConfigNode root = new ConfigNode("", map);
        if (!root.has("space")) throw new ConfigException("space", "is required: {\"dims\": [{\"name\": ..., \"low\": ..., \"high\": ...}, ...]}");
        ParameterSpace space = space(root.child("space"));
        ConfigNode t = root.child("teacher");
        String type = t.choice("type", "alp-gmm", TEACHERS);
        ContinuousTeacher.Params teacher = teacher(type, t, space);
        if (t.has("mutation")) teacher = new MutatingTeacher.Params(teacher, mutation(t.child("mutation")));
        t.finish();
        long seed = root.longValue("seed", 0L);
        RewardScale scale = RewardScale.NONE;
        if (root.has("rewardScale")) {
            ConfigNode s = root.child("rewardScale");
            if (!s.has("low")) throw new ConfigException("rewardScale.low", "is required");
            if (!s.has("high")) throw new ConfigException("rewardScale.high", "is required");
            double lo = s.number("low", 0);
            double hi = s.number("high", 1);
            if (!(lo < hi)) throw new ConfigException("rewardScale", "low must be < high, got low=" + lo + ", high=" + hi);
            s.finish();
            scale = new RewardScale(lo, hi);
        }
        int pending = root.integer("pendingWindow", DEFAULT_PENDING_WINDOW, 1, MAX_PENDING_WINDOW);
        root.finish();

        Map<String, Object> canonical = new LinkedHashMap<>(map);
        canonical.put("teacher", resolved(teacher));
        canonical.put("seed", seed);
        String text = ConfigJson.canonical(canonical);
        return new ContinuousConfig(space, teacher, seed, scale, pending, text);
    }

    @SuppressWarnings("unchecked")
    private static ParameterSpace space(ConfigNode node) {
        List<Object> raw = node.list("dims");
        if (raw == null) throw new ConfigException("space.dims", "is required: an array of {\"name\", \"low\", \"high\"}");
        node.finish();
        if (raw.isEmpty()) throw new ConfigException("space.dims", "must hold at least one dimension");
        if (raw.size() > ParameterSpace.MAX_DIMS) {
            throw new ConfigException("space.dims", "holds " + raw.size() + " dimensions, more than " + ParameterSpace.MAX_DIMS);
        }
        List<ParameterSpace.Dim> dims = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String at = "space.dims[" + i + "]";
            if (!(raw.get(i) instanceof Map)) throw new ConfigException(at, "must be an object {\"name\", \"low\", \"high\"}");
            ConfigNode dim = new ConfigNode(at, (Map<String, Object>) raw.get(i));
            for (String key : List.of("name", "low", "high")) {
                if (!dim.has(key)) throw new ConfigException(at + "." + key, "is required");
            }
            String name = dim.text("name", null);
            double lo = dim.number("low", 0);
            double hi = dim.number("high", 0);
            dim.finish();
            dims.add(new ParameterSpace.Dim(name, lo, hi));
        }
        try {
            return ParameterSpace.of(dims);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("space.dims", e.getMessage());
        }
    }

    private static ContinuousTeacher.Params teacher(String type, ConfigNode t, ParameterSpace space) {
        try {
            return switch (type) {
                case "random" -> RandomTeacher.Params.DEFAULTS;
                case "alp-gmm" -> alpGmm(t);
                case "covar-gmm" -> covarGmm(t);
                case "riac" -> riac(t);
                case "adr" -> adr(t, space);
                case "spdl" -> spdl(t, space);
                case "recent-alp-gmm" -> recentAlpGmm(t);
                default -> throw new ConfigException("teacher.type", "must be one of " + TEACHERS + ", got \"" + type + "\"");
            };
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("teacher", e.getMessage());
        }
    }

    /** {@code teacher.mutation}: ACCEL-style edits on top of any teacher ({@link Mutation}). */
    private static Mutation mutation(ConfigNode m) {
        double share = m.number("share", Mutation.DEFAULT_SHARE, 0, 1);
        double scale = m.number("scale", Mutation.DEFAULT_SCALE, 1e-9, 1);
        Mutation.Score score = Mutation.Score.parse(m.choice("score", Mutation.Score.PROGRESS.key(), Mutation.Score.KEYS));
        int buffer = m.integer("bufferSize", Mutation.DEFAULT_BUFFER_SIZE, 1, Mutation.MAX_BUFFER_SIZE);
        int top = m.integer("top", Math.min(Mutation.DEFAULT_TOP, buffer), 1, buffer);
        m.finish();
        return new Mutation(share, scale, score, buffer, top);
    }

    private static AlpGmm.Params alpGmm(ConfigNode t) {
        AlpGmm.Params def = AlpGmm.Params.DEFAULTS;
        int fitRate = t.integer("fitRate", def.fitRate(), 2, 1_000_000);
        int bootstrap = t.integer("bootstrap", fitRate, fitRate, Integer.MAX_VALUE);
        double ratio = t.number("randomTaskRatio", def.randomTaskRatio(), 0, 1);
        int alpMax = t.integer("alpMaxSize", def.alpMaxSize(), AlpHistory.MIN_HISTORY + 1, 10_000_000);
        return new AlpGmm.Params(fitRate, bootstrap, ratio, alpMax, em(t, def.em()));
    }

    private static RecentAlpGmm.Params recentAlpGmm(ConfigNode t) {
        RecentAlpGmm.Params def = RecentAlpGmm.Params.DEFAULTS;
        int fitRate = t.integer("fitRate", def.fitRate(), 2, 1_000_000);
        int bootstrap = t.integer("bootstrap", fitRate, fitRate, Integer.MAX_VALUE);
        double ratio = t.number("randomTaskRatio", def.randomTaskRatio(), 0, 1);
        int window = t.integer("alpWindow", def.alpWindow(), AlpHistory.MIN_HISTORY + 1, 10_000_000);
        boolean relevance = t.bool("relevance", def.relevance());
        int neighbours = t.integer("alpNeighbours", def.alpNeighbours(), 1, window);
        if (neighbours % 2 == 0) throw new ConfigException("teacher.alpNeighbours", "must be odd (the median of that many differences), got " + neighbours);
        return new RecentAlpGmm.Params(fitRate, bootstrap, ratio, window, relevance, neighbours, em(t, def.em()));
    }

    private static CovarGmm.Params covarGmm(ConfigNode t) {
        CovarGmm.Params def = CovarGmm.Params.DEFAULTS;
        int fitRate = t.integer("fitRate", def.fitRate(), 2, 1_000_000);
        int bootstrap = t.integer("bootstrap", fitRate, fitRate, Integer.MAX_VALUE);
        double ratio = t.number("randomTaskRatio", def.randomTaskRatio(), 0, 1);
        boolean abs = t.bool("absoluteLp", def.absoluteLp());
        return new CovarGmm.Params(fitRate, bootstrap, ratio, abs, em(t, def.em()));
    }

    private static GaussianMixture.Params em(ConfigNode t, GaussianMixture.Params def) {
        int minK = t.integer("minK", def.minK(), 1, 64);
        int maxK = t.integer("maxK", Math.max(def.maxK(), minK), minK, 64);
        GaussianMixture.Criterion c = GaussianMixture.Criterion.parse(t.choice("criterion", def.criterion().key(), List.of("aic", "bic", "aicc")));
        int inits = t.integer("emInits", def.inits(), 1, 100);
        int iters = t.integer("maxIterations", def.maxIterations(), 1, 100_000);
        double tol = t.number("tolerance", def.tolerance(), 1e-15, 1e6);
        double reg = t.number("regCovar", def.regCovar(), 1e-15, 1e6);
        int km = t.integer("kmeansIterations", def.kmeansIterations(), 1, 100_000);
        return new GaussianMixture.Params(minK, maxK, c, inits, iters, tol, reg, km);
    }

    private static Riac.Params riac(ConfigNode t) {
        Riac.Params def = Riac.Params.DEFAULTS;
        int max = t.integer("maxRegionSize", def.maxRegionSize(), 2, 1_000_000);
        int window = t.integer("alpWindow", max, 1, 1_000_000);
        int attempts = t.integer("splitAttempts", def.splitAttempts(), 1, 100_000);
        int min = t.integer("minRegionSize", Math.max(1, max / 20), 1, (max + 1) / 2);
        double ratio = t.number("minDimsRangeRatio", def.minDimsRangeRatio(), 1e-9, 0.499999);
        double discard = t.number("discardRatio", def.discardRatio(), 0, 1);
        double mutate = t.number("mutateShare", def.mutateShare(), 0, 1);
        double random = t.number("randomShare", def.randomShare(), 0, 1);
        double std = t.number("mutationStd", def.mutationStd(), 0, Double.MAX_VALUE);
        int retries = t.integer("maxSplitRetries", def.maxSplitRetries(), 1, 1_000_000);
        return new Riac.Params(max, window, attempts, min, ratio, discard, mutate, random, std, retries);
    }

    private static Adr.Params adr(ConfigNode t, ParameterSpace space) {
        Adr.Params def = Adr.Params.DEFAULTS;
        double p = t.number("boundaryProbability", def.boundaryProbability(), 0, 1);
        int queue = t.integer("queueLength", def.queueLength(), 1, 1_000_000);
        double step = t.number("step", def.step(), 1e-12, 1);
        double lo = t.number("lowThreshold", def.lowThreshold());
        double hi = t.number("highThreshold", def.highThreshold());
        if (!(lo < hi)) throw new ConfigException("teacher.highThreshold", "must be > lowThreshold (" + lo + "), got " + hi);
        double[] initial = vector(t, "initial", space, false);
        return new Adr.Params(p, queue, step, lo, hi, initial);
    }

    private static Spdl.Params spdl(ConfigNode t, ParameterSpace space) {
        Spdl.Params def = Spdl.Params.DEFAULTS;
        int freq = t.integer("updateFrequency", def.updateFrequency(), 1, 100_000_000);
        int offset = t.integer("updateOffset", def.updateOffset(), 0, Integer.MAX_VALUE);
        int alphaOffset = t.integer("alphaOffset", def.alphaOffset(), 0, Integer.MAX_VALUE);
        double zeta = t.number("zeta", def.zeta(), 0, 1e6);
        double maxKl = t.number("maxKl", def.maxKl(), 1e-12, 1e6);
        int buffer = t.integer("bufferSize", def.bufferSize(), 1, 1_000_000);
        int cg = t.integer("cgIterations", def.cgIterations(), 1, 10_000);
        double damping = t.number("cgDamping", def.cgDamping(), 0, 1e6);
        double tol = t.number("cgResidualTol", def.cgResidualTol(), 0, 1e6);
        int ls = t.integer("lineSearchSteps", def.lineSearchSteps(), 1, 1_000);
        double[] im = vector(t, "initialMean", space, false);
        double[] is = vector(t, "initialStd", space, true);
        double[] tm = vector(t, "targetMean", space, false);
        double[] ts = vector(t, "targetStd", space, true);
        return new Spdl.Params(freq, offset, alphaOffset, zeta, maxKl, buffer, cg, damping, tol, ls, im, is, tm, ts);
    }

    /**
     * An optional array of one number per dimension at {@code teacher.key}: a point of the box, or
     * (stds) finite values &gt; 0.
     */
    private static double[] vector(ConfigNode t, String key, ParameterSpace space, boolean stds) {
        List<Object> raw = t.list(key);
        if (raw == null) return null;
        String at = "teacher." + key;
        if (raw.size() != space.dims()) {
            throw new ConfigException(at, "must hold one number per dimension (" + space.dims() + "), got " + raw.size());
        }
        double[] out = new double[raw.size()];
        for (int i = 0; i < out.length; i++) {
            String ai = at + "[" + i + "]";
            if (!(raw.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new ConfigException(ai, "must be a finite number, got " + raw.get(i));
            }
            double v = n.doubleValue();
            if (stds) {
                if (!(v > 0)) throw new ConfigException(ai, "must be > 0 (a standard deviation of " + space.name(i) + "), got " + v);
            } else if (v < space.low(i) || v > space.high(i)) {
                throw new ConfigException(ai, "= " + v + " lies outside " + space.name(i) + "'s range [" + space.low(i) + ", " + space.high(i) + "]");
            }
            out[i] = v;
        }
        return out;
    }

    private static void putVector(Map<String, Object> m, String key, double[] v) {
        if (v == null) return;
        List<Object> l = new ArrayList<>(v.length);
        for (double x : v) l.add(x);
        m.put(key, l);
    }

    /**
     * Every parameter of the teacher, defaults included: snapshots then carry the settings they
     * ran with, whatever later versions choose as defaults.
     */
    static Map<String, Object> resolved(ContinuousTeacher.Params p) {
        if (p instanceof MutatingTeacher.Params mp) {
            Map<String, Object> m = resolved(mp.teacher());
            m.put("mutation", mp.mutation().resolved());
            return m;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", p.type());
        if (p instanceof AlpGmm.Params a) {
            m.put("fitRate", a.fitRate());
            m.put("bootstrap", a.bootstrap());
            m.put("randomTaskRatio", a.randomTaskRatio());
            m.put("alpMaxSize", a.alpMaxSize());
            em(a.em(), m);
        } else if (p instanceof RecentAlpGmm.Params a) {
            m.put("fitRate", a.fitRate());
            m.put("bootstrap", a.bootstrap());
            m.put("randomTaskRatio", a.randomTaskRatio());
            m.put("alpWindow", a.alpWindow());
            m.put("relevance", a.relevance());
            m.put("alpNeighbours", a.alpNeighbours());
            em(a.em(), m);
        } else if (p instanceof CovarGmm.Params c) {
            m.put("fitRate", c.fitRate());
            m.put("bootstrap", c.bootstrap());
            m.put("randomTaskRatio", c.randomTaskRatio());
            m.put("absoluteLp", c.absoluteLp());
            em(c.em(), m);
        } else if (p instanceof Riac.Params r) {
            m.put("maxRegionSize", r.maxRegionSize());
            m.put("alpWindow", r.alpWindow());
            m.put("splitAttempts", r.splitAttempts());
            m.put("minRegionSize", r.minRegionSize());
            m.put("minDimsRangeRatio", r.minDimsRangeRatio());
            m.put("discardRatio", r.discardRatio());
            m.put("mutateShare", r.mutateShare());
            m.put("randomShare", r.randomShare());
            m.put("mutationStd", r.mutationStd());
            m.put("maxSplitRetries", r.maxSplitRetries());
        } else if (p instanceof Adr.Params a) {
            m.put("boundaryProbability", a.boundaryProbability());
            m.put("queueLength", a.queueLength());
            m.put("step", a.step());
            m.put("lowThreshold", a.lowThreshold());
            m.put("highThreshold", a.highThreshold());
            putVector(m, "initial", a.initial());
        } else if (p instanceof Spdl.Params sp) {
            m.put("updateFrequency", sp.updateFrequency());
            m.put("updateOffset", sp.updateOffset());
            m.put("alphaOffset", sp.alphaOffset());
            m.put("zeta", sp.zeta());
            m.put("maxKl", sp.maxKl());
            m.put("bufferSize", sp.bufferSize());
            m.put("cgIterations", sp.cgIterations());
            m.put("cgDamping", sp.cgDamping());
            m.put("cgResidualTol", sp.cgResidualTol());
            m.put("lineSearchSteps", sp.lineSearchSteps());
            putVector(m, "initialMean", sp.initialMean());
            putVector(m, "initialStd", sp.initialStd());
            putVector(m, "targetMean", sp.targetMean());
            putVector(m, "targetStd", sp.targetStd());
        }
        return m;
    }

    private static void em(GaussianMixture.Params e, Map<String, Object> m) {
        m.put("minK", e.minK());
        m.put("maxK", e.maxK());
        m.put("criterion", e.criterion().key());
        m.put("emInits", e.inits());
        m.put("maxIterations", e.maxIterations());
        m.put("tolerance", e.tolerance());
        m.put("regCovar", e.regCovar());
        m.put("kmeansIterations", e.kmeansIterations());
    }

    /** 64-bit FNV-1a of the canonical JSON: identifies the configuration in snapshots. */
    public long hash() {
        return ConfigJson.hash(canonicalJson);
    }

    /** For Java users: {@code builder().dim("x", 0, 1).teacher("riac").set("teacher.maxRegionSize", 100).seed(7).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds the same map a JSON text would give. */
    public static final class Builder {
        private final Map<String, Object> root = new LinkedHashMap<>();
        private final List<Object> dims = new ArrayList<>();

        public Builder dim(String name, double low, double high) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("low", low);
            m.put("high", high);
            dims.add(m);
            return this;
        }

        public Builder teacher(String type) {
            return set("teacher.type", type);
        }

        public Builder seed(long seed) {
            return set("seed", seed);
        }

        /** Sets a value at a dotted path, creating objects on the way ({@code "teacher.fitRate"}). */
        public Builder set(String path, Object value) {
            ConfigJson.set(root, path, value);
            return this;
        }

        public ContinuousConfig build() {
            Map<String, Object> m = new LinkedHashMap<>(root);
            if (!dims.isEmpty()) m.put("space", Map.of("dims", new ArrayList<>(dims)));
            return fromMap(m);
        }
    }
}
