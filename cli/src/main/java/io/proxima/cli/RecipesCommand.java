package io.proxima.cli;

import io.proxima.core.recipe.Recipes;
import io.proxima.core.recipe.Slot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** {@code proxima recipes}: the recipe names and piece types a configuration may use. */
@Command(name = "recipes", mixinStandardHelpOptions = true, description = "List the recipes and pipeline pieces a configuration may name.")
final class RecipesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        Recipes r = Recipes.standard();
        out.println("Recipes:");
        for (Recipes.Recipe recipe : r.recipes()) out.printf("  %-10s %s%n", recipe.name(), recipe.description());
        out.printf("  %-10s %s%n", "meta", "runs several recipes (\"members\") and lets a bandit pick which one proposes each batch");
        out.println();
        out.println("Pieces (override a recipe's piece with e.g. {\"itemPolicy\": {\"type\": \"odf\"}}):");
        for (Slot s : Slot.values()) out.printf("  %-12s %s%n", s.key, String.join(", ", r.typeNames(s)));
        out.println();
        out.println("Parameters and defaults: docs/teachers.md");
    }
}
