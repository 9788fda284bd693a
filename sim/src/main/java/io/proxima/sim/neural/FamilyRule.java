package io.proxima.sim.neural;

import io.proxima.core.recipe.ConfigException;
import io.proxima.core.recipe.ConfigNode;
import io.proxima.core.sample.Rng;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a family's answers are, for both neural learners (prompts trained by GRPO, items trained by
 * cross-entropy): {@code ⌊(Σ c_j·a_j) / divisor⌋ mod K} over {@code arity} operands, or a fixed
 * random label per prompt ({@code coefficients == null}).
 *
 * @param coefficients the c_j, or null for random labels
 * @param divisor 1: a modular sum (hard for a network); larger: a binned, monotone sum (easier)
 * @param arity operands per prompt
 */
public record FamilyRule(int[] coefficients, int divisor, int arity) {
    /** Operands per prompt at most. */
    static final int MAX_ARITY = 6;
    /** A family may draw at most this share of its operand space (pool + held-out must stay distinct). */
    static final double MAX_SPACE_SHARE = 0.9;

    public boolean randomLabels() {
        return coefficients == null;
    }

    /** The answer of a prompt with these operands (rule families only). */
    public int answer(int[] ops, int classes) {
        long s = 0;
        for (int a = 0; a < coefficients.length; a++) s += (long) coefficients[a] * ops[a];
        return (int) Math.floorMod(Math.floorDiv(s, divisor), (long) classes);
    }

    /** The rule as a formula, e.g. {@code ⌊(a + b)/10⌋ mod 10}. */
    public String text(int answers) {
        if (coefficients == null) return "random label";
        StringBuilder b = new StringBuilder(divisor == 1 ? "(" : "⌊(");
        boolean first = true;
        for (int j = 0; j < coefficients.length; j++) {
            if (coefficients[j] == 0) continue;
            if (!first) b.append(" + ");
            first = false;
            if (coefficients[j] != 1) b.append(coefficients[j]);
            b.append(j < 8 ? String.valueOf((char) ('a' + j)) : "x" + j);
        }
        return b.append(divisor == 1 ? ") mod " : ")/" + divisor + "⌋ mod ").append(answers).toString();
    }

    /** Receives one drawn prompt: its index in the family's draw (pool first, then held-out), operands and answer. */
    interface Sink {
        void accept(int k, int[] ops, int answer);
    }

    /**
     * Draws {@code count} distinct operand tuples in [0, operands)^arity, each with its answer (a
     * random-label family draws the label right after the operands), in one fixed order of draws
     * from {@code rng}: every teacher of a seed faces the same dataset.
     */
    void drawDistinct(Rng rng, int operands, int classes, int count, Sink sink) {
        int[] ops = new int[arity];
        Set<Long> seen = new HashSet<>();
        for (int k = 0; k < count; k++) {
            long key;
            do {
                key = 0;
                for (int a = 0; a < arity; a++) {
                    ops[a] = rng.nextInt(operands);
                    key = key * operands + ops[a];
                }
            } while (!seen.add(key));
            sink.accept(k, ops, randomLabels() ? rng.nextInt(classes) : answer(ops, classes));
        }
    }

    /**
     * Reads {@code rule} (an array of integer coefficients, or {@code "random"} with {@code arity}),
     * {@code divisor} and {@code arity} of a family, and checks that {@code size + heldOut} distinct
     * {@code what} fit in the operand space.
     */
    static FamilyRule read(ConfigNode f, int operands, int size, int heldOut, String what) {
        int[] coefficients = null;
        int divisor = 1;
        int arity;
        Object rule = f.values().get("rule");
        if (rule instanceof String s) {
            if (!s.equals("random")) throw new ConfigException(f.path() + ".rule", "must be \"random\" or an array of integer coefficients, got \"" + s + "\"");
            f.text("rule", null);
            arity = f.integer("arity", 2, 1, MAX_ARITY);
        } else {
            List<Object> list = f.list("rule");
            if (list == null || list.isEmpty() || list.size() > MAX_ARITY) {
                throw new ConfigException(f.path() + ".rule", "is required: \"random\" or an array of 1 to " + MAX_ARITY + " integer coefficients");
            }
            coefficients = new int[list.size()];
            boolean any = false;
            for (int j = 0; j < list.size(); j++) {
                if (!(list.get(j) instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue()) || Math.abs(num.doubleValue()) > 1000) {
                    throw new ConfigException(f.path() + ".rule[" + j + "]", "must be an integer in [-1000, 1000], got " + list.get(j));
                }
                coefficients[j] = num.intValue();
                any |= coefficients[j] != 0;
            }
            arity = coefficients.length;
            divisor = f.integer("divisor", 1, 1, 1_000_000);
            if (!any) throw new ConfigException(f.path() + ".rule", "every coefficient is 0: the answer would be constant");
            if (f.has("arity") && f.integer("arity", arity, 1, MAX_ARITY) != arity) {
                throw new ConfigException(f.path() + ".arity", "must equal the rule's length " + arity + " (or be left out)");
            }
        }
        double space = Math.pow(operands, arity);
        if (size + heldOut > MAX_SPACE_SHARE * space) {
            throw new ConfigException(f.path() + ".size", String.format(Locale.ROOT,
                    "size + heldOut = %d exceeds %.0f%% of the %,.0f distinct %s of %d operands of %d tokens",
                    size + heldOut, 100 * MAX_SPACE_SHARE, space, what, arity, operands));
        }
        return new FamilyRule(coefficients, divisor, arity);
    }
}
