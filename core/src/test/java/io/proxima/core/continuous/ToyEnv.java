package io.proxima.core.continuous;

/**
 * The teachDeepRL toy environment (spec §4) [CODE teachDeepRL toy_env/toy_env.py]: the unit
 * square cut into 10 × 10 cubes of integer competence c ∈ [0, 100]. The origin cube always
 * learns; any other cube learns (c + 1 per episode) only once its left, lower or lower-left
 * neighbour has c ≥ 75. Return = c / 100 after the episode. Score = % of cubes with c &gt; 75.
 * Coordinates past the first two are ignored ("useless dimensions"). Cube lookup by
 * {@code floor(10·v)} clamped to 9 [INF].
 */
final class ToyEnv {
    static final int CUBES = 10;
    static final int MAX = 100;
    static final int UNLOCK = 75;
    final int[] competence = new int[CUBES * CUBES];

    double episode(double[] p) {
        for (int a = 0; a < 2; a++) {
            if (!(p[a] >= 0 && p[a] <= 1)) throw new IllegalArgumentException("param out of [0, 1]: " + p[a]);
        }
        int qx = Math.min(CUBES - 1, (int) Math.floor(CUBES * p[0]));
        int qy = Math.min(CUBES - 1, (int) Math.floor(CUBES * p[1]));
        int q = qx * CUBES + qy;
        if (q == 0) {
            competence[q] = Math.min(competence[q] + 1, MAX);
        } else {
            for (int dx = 0; dx <= 1; dx++) {
                for (int dy = 0; dy <= 1; dy++) {
                    int n = Math.max(0, qx - dx) * CUBES + Math.max(0, qy - dy);
                    if (n == q) continue;
                    if (competence[n] >= UNLOCK) {
                        competence[q] = Math.min(competence[q] + 1, MAX);
                        dx = dy = 2; // one increment at most
                    }
                }
            }
        }
        return competence[q] / (double) MAX;
    }

    /** Percentage of mastered cubes (strictly more than 75). */
    double score() {
        int s = 0;
        for (int c : competence) if (c > UNLOCK) s++;
        return 100.0 * s / competence.length;
    }
}
