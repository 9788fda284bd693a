package io.proxima.sim.learner;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContinuousLearnerTest {
    static ContinuousLearnerSpec spec(String extra) {
        return LearnerFiles.parse("""
                {"type": "continuous",
                 "parameters": [{"name": "x", "min": 0, "max": 1}, {"name": "y", "min": 0, "max": 1}],
                 "cells": 10, "start": {"lower": [0, 0], "upper": [0.1, 0.1]},
                 "unlearnable": [{"lower": [0.8, 0.8], "upper": [1, 1]}],
                 "learningRate": 0.5, "testPoints": 10 %s}""".formatted(extra)).continuous();
    }

    static void trainUntilMastered(ContinuousLearner l, double[] x) {
        for (int i = 0; i < 10; i++) l.train(x);
    }

    @Test
    void theFrontierGrowsFromWhatIsMastered() {
        ContinuousLearner l = new ContinuousLearner(spec(""), 1);
        double[] origin = {0.05, 0.05};
        double[] next = {0.15, 0.05};
        double[] far = {0.55, 0.55};
        assertThat(l.learnable(l.cell(origin))).isTrue();
        assertThat(l.learnable(l.cell(next))).isFalse();
        assertThat(l.train(next)).isZero();
        trainUntilMastered(l, origin);
        assertThat(l.mastered(l.cell(origin))).isTrue();
        assertThat(l.learnable(l.cell(next))).isTrue();
        assertThat(l.learnable(l.cell(far))).isFalse();
        // competence c ← c + 0.5(1 − c): 0.5 after one episode
        assertThat(l.train(next)).isEqualTo(0.5);
        assertThat(l.competence(l.cell(next))).isEqualTo(0.5);
    }

    @Test
    void unlearnableRegionsNeverImprove() {
        ContinuousLearner l = new ContinuousLearner(spec(", \"reach\": 100"), 1);
        trainUntilMastered(l, new double[] {0.05, 0.05});
        double[] x = {0.9, 0.9};
        for (int i = 0; i < 100; i++) {
            assertThat(l.train(x)).isZero();
            assertThat(l.episode(x)).isZero();
        }
        assertThat(l.competence(l.cell(x))).isZero();
    }

    @Test
    void masteryIsTheShareOfTheTestGridMastered() {
        ContinuousLearner l = new ContinuousLearner(spec(""), 1);
        assertThat(l.testScore()).isZero();
        trainUntilMastered(l, new double[] {0.05, 0.05});
        // 10 test points per axis on a 10-cell grid: one point per cell, 1 of 100 mastered.
        assertThat(l.testScore()).isEqualTo(0.01);
    }

    @Test
    void forgettingFadesUnpractisedCells() {
        ContinuousLearner l = new ContinuousLearner(spec(", \"forgetting\": 0.5"), 1);
        double[] o = {0.05, 0.05};
        l.train(o);
        l.endStep();
        assertThat(l.competence(l.cell(o))).isEqualTo(0.5);
        l.endStep();
        assertThat(l.competence(l.cell(o))).isEqualTo(0.25);
    }
}
