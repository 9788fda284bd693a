package io.proxima.store;

import io.proxima.core.continuous.ContinuousConfig;
import io.proxima.core.continuous.ContinuousCurriculum;
import io.proxima.core.continuous.ParamOutcome;
import io.proxima.core.continuous.ParamTask;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded deep-RL trainer for continuous curricula: next/report rounds whose episode return is a
 * smooth function of the parameters plus noise; every third outcome is reported by its vector
 * instead of its id, and every fifth runs two episodes.
 */
final class ParamWorkload {
    /** A 2-d box and a small fit rate, so ALP-GMM fits its mixture within a few rounds. */
    static ContinuousConfig config(String teacher, long seed) {
        String extra = switch (teacher) {
            case "alp-gmm", "covar-gmm" -> ", \"fitRate\": 20";
            case "riac" -> ", \"maxRegionSize\": 20";
            case "adr" -> ", \"queueLength\": 3, \"initial\": [0.5, 1]";   // small buffers: the box moves within a few reports
            case "spdl" -> ", \"updateFrequency\": 20, \"updateOffset\": 20";
            default -> "";
        };
        return ContinuousConfig.fromJson("{\"space\": {\"dims\": [{\"name\": \"stump_height\", \"low\": 0, \"high\": 3},"
                + " {\"name\": \"stump_spacing\", \"low\": 0, \"high\": 6}]}, \"teacher\": {\"type\": \"" + teacher + "\"" + extra + "},"
                + " \"seed\": " + seed + ", \"pendingWindow\": 64}");
    }

    /** Returns for the proposals: learnable where the stumps are low, noise elsewhere. */
    static List<ParamOutcome> outcomes(List<ParamTask> tasks, SplittableRandom rnd) {
        List<ParamOutcome> out = new ArrayList<>();
        for (ParamTask t : tasks) {
            double[] p = t.params();
            double base = Math.max(0, 1 - p[0] / 1.5) * (0.5 + 0.5 * Math.sin(p[1]));
            double[] returns = new double[t.id() % 5 == 0 ? 2 : 1];
            for (int k = 0; k < returns.length; k++) returns[k] = base + 0.05 * rnd.nextDouble();
            out.add(t.id() % 3 == 0 ? ParamOutcome.at(p, returns) : ParamOutcome.of(t.id(), returns));
        }
        return out;
    }

    static byte[] bytes(List<ParamTask> tasks) {
        return tasks.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int episodes) {
        return ("episodes=" + episodes).getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code rounds} next+report rounds on both the store and a reference curriculum; checks the proposals agree. */
    static void run(Curricula store, String id, ContinuousCurriculum reference, int rounds, int batch, SplittableRandom rnd, String batchPrefix) {
        for (int i = 0; i < rounds; i++) {
            List<ParamTask> tasks = reference.next(batch);
            byte[] got = store.nextParams(id, batch, null, ParamWorkload::bytes).body();
            if (!java.util.Arrays.equals(got, bytes(tasks))) throw new AssertionError("proposals differ at round " + i);
            List<ParamOutcome> o = outcomes(tasks, rnd);
            reference.report(o);
            store.reportParams(id, batchPrefix + i, o, ParamWorkload::bytes);
        }
    }

    private ParamWorkload() {}
}
