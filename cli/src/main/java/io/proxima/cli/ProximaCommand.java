package io.proxima.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code proxima} command. Each subcommand is one class; errors end with exit code ≠ 0 and
 * one readable line on stderr ({@code proxima: <what is wrong>}).
 */
@Command(name = "proxima", mixinStandardHelpOptions = true, version = "proxima 0.1.0",
        description = "Proxima, a dynamic curriculum engine: picks what a learner should train on next.",
        subcommands = {ServeCommand.class, DemoCommand.class, SimulateCommand.class, RecipesCommand.class})
public final class ProximaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command line with Proxima's error handling; tests call it with their own writers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new ProximaCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("proxima: " + ex.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            c.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            c.getErr().println("proxima: " + msg.lines().findFirst().orElse(msg));
            c.getErr().flush();
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(commandLine(out, err).execute(args));
    }
}
