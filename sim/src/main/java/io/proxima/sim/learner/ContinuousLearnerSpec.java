package io.proxima.sim.learner;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The description of a {@link ContinuousLearner}.
 *
 * <pre>{@code
 * {
 *   "type": "continuous", "name": "box-2d",
 *   "parameters": [{"name": "gap", "min": 0, "max": 1}, {"name": "height", "min": 0, "max": 1}],
 *   "cells": 10,                      // cells per parameter (the competence grid)
 *   "start":  {"lower": [0, 0], "upper": [0.2, 0.2]},      // learnable from the start
 *   "unlearnable": [{"lower": [0.6, 0.6], "upper": [1, 1]}],  // never learnable
 *   "learningRate": 0.1, "reach": 1, "mastery": 0.8, "forgetting": 0.0,
 *   "rewardNoise": 0.05, "testPoints": 20
 * }
 * }</pre>
 */
public record ContinuousLearnerSpec(String name, String description, List<Parameter> parameters, int cells,
                                    Box start, List<Box> unlearnable, double learningRate, int reach,
                                    double mastery, double forgetting, double rewardNoise, int testPoints)
        implements BoxLearnerSpec {
    public static final int DEFAULT_CELLS = 10;
    /** Competence gain per episode in a learnable cell: c += rate·(1 − c). */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    /** A cell is learnable when a mastered cell lies within this many cells (Chebyshev distance). */
    public static final int DEFAULT_REACH = 1;
    /** Competence at which a cell counts as mastered. */
    public static final double DEFAULT_MASTERY = 0.8;
    public static final double DEFAULT_REWARD_NOISE = 0.05;
    /** Test points per parameter (a fixed grid). */
    public static final int DEFAULT_TEST_POINTS = 20;
    static final int MAX_CELLS = 1 << 22;

    /** An axis-aligned box in parameter units. */
    public record Box(double[] lower, double[] upper) {
        public boolean contains(double[] x) {
            for (int k = 0; k < x.length; k++) if (x[k] < lower[k] || x[k] > upper[k]) return false;
            return true;
        }
    }

    @Override
    public String shape() {
        return String.format(java.util.Locale.ROOT, "%d parameters, %d cells per parameter", dims(), cells);
    }

    @Override
    public ContinuousLearner learner(long seed) {
        return new ContinuousLearner(this, seed);
    }

    static ContinuousLearnerSpec read(ConfigNode root) {
        StrictJson.Split ps = StrictJson.objects(root, "parameters", true);
        StrictJson.Split us = StrictJson.objects(ps.rest(), "unlearnable", false);
        ConfigNode r = us.rest();
        r.text("type", "continuous");
        String name = r.text("name", "learner");
        String description = r.text("description", "");
        List<Parameter> params = new ArrayList<>();
        for (ConfigNode p : ps.elements()) {
            String n = p.text("name", null);
            if (n == null || n.isEmpty()) throw new ConfigException(p.path() + ".name", "is required");
            double min = p.number("min", 0.0);
            double max = p.number("max", 1.0);
            if (!(max > min)) throw new ConfigException(p.path() + ".max", "must be > min (" + min + "), got " + max);
            p.finish();
            params.add(new Parameter(n, min, max));
        }
        if (params.isEmpty() || params.size() > 4) throw new ConfigException("parameters", "must hold 1 to 4 parameters, got " + params.size());
        int cells = r.integer("cells", DEFAULT_CELLS, 1, 1000);
        if (Math.pow(cells, params.size()) > MAX_CELLS) throw new ConfigException("cells", cells + "^" + params.size() + " cells is too many");
        Box start = box(r.child("start"), params, true);
        List<Box> unl = new ArrayList<>();
        for (ConfigNode u : us.elements()) unl.add(box(u, params, false));
        double lr = r.number("learningRate", DEFAULT_LEARNING_RATE, 0, 1);
        int reach = r.integer("reach", DEFAULT_REACH, 0, 1000);
        double mastery = r.number("mastery", DEFAULT_MASTERY, 0, 1);
        double forgetting = r.number("forgetting", 0.0, 0, 1);
        double noise = r.number("rewardNoise", DEFAULT_REWARD_NOISE, 0, 10);
        int test = r.integer("testPoints", DEFAULT_TEST_POINTS, 1, 1000);
        r.finish();
        return new ContinuousLearnerSpec(name, description, List.copyOf(params), cells, start, List.copyOf(unl), lr, reach,
                mastery, forgetting, noise, test);
    }

    private static Box box(ConfigNode n, List<Parameter> params, boolean defaultLowCorner) {
        double[] lo = vector(n, "lower", params, defaultLowCorner ? 0.0 : Double.NaN, true);
        double[] hi = vector(n, "upper", params, defaultLowCorner ? 0.1 : Double.NaN, false);
        for (String k : n.values().keySet()) {
            if (!k.equals("lower") && !k.equals("upper")) throw new ConfigException(n.path() + "." + k, "unknown key; known keys: [lower, upper]");
        }
        for (int k = 0; k < lo.length; k++) {
            if (hi[k] < lo[k]) throw new ConfigException(n.path() + ".upper[" + k + "]", "must be >= lower (" + lo[k] + "), got " + hi[k]);
        }
        return new Box(lo, hi);
    }

    /** Reads a vector; when absent, {@code share} of each range from its min (NaN: required). */
    private static double[] vector(ConfigNode n, String key, List<Parameter> params, double share, boolean lower) {
        Object v = n.values().get(key);
        String at = n.path() + "." + key;
        double[] out = new double[params.size()];
        if (v == null) {
            if (Double.isNaN(share)) throw new ConfigException(at, "is required (an array of " + params.size() + " numbers)");
            for (int k = 0; k < out.length; k++) {
                Parameter p = params.get(k);
                out[k] = lower ? p.min() : p.min() + share * (p.max() - p.min());
            }
        } else {
            if (!(v instanceof List<?> list) || list.size() != params.size()) {
                throw new ConfigException(at, "must be an array of " + params.size() + " numbers");
            }
            for (int k = 0; k < out.length; k++) {
                if (!(list.get(k) instanceof Number num) || !Double.isFinite(num.doubleValue())) {
                    throw new ConfigException(at + "[" + k + "]", "must be a finite number, got " + list.get(k));
                }
                out[k] = num.doubleValue();
            }
        }
        return out;
    }
}
