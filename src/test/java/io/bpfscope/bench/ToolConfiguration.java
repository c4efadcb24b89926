package io.bpfscope.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A configuration that is one tool: started with a command, ready on a line
 * it prints and once the kernel lists it on its tracepoints, stopped with a
 * signal it must exit 0 on; its note read from what it printed.
 */
public record ToolConfiguration(
        String name,
        Map<String, String> needs,
        String description,
        BiFunction<Run, Long, List<String>> command,
        Optional<Pattern> readyLine,
        List<String> tracepoints,
        String stopSignal,
        BiFunction<Run, Tool, Configuration.Outcome> outcome) implements Configuration {

    /** A tool whose note says nothing beyond its figures. */
    static BiFunction<Run, Tool, Outcome> silent() {
        return (run, tool) -> Outcome.of("");
    }

    /** A tool that needs no target: {@code command} from the run alone. */
    static BiFunction<Run, Long, List<String>> command(Function<Run, List<String>> command) {
        return (run, target) -> command.apply(run);
    }

    @Override
    public Attached start(Run run, long target) throws InterruptedException {
        Tool tool = Tool.start(run.dir(), name, run.bound(), command.apply(run, target));
        try {
            if (readyLine.isPresent()) {
                tool.awaitLine(readyLine.get(), run.ready());
            }
            for (String tracepoint : tracepoints) {
                BpfView.awaitAttached(tool, tracepoint, run.ready());
            }
        } catch (RuntimeException | InterruptedException e) {
            tool.close();
            throw e;
        }
        return Configuration.attached(List.of(tool.handle()), () -> {
            try {
                tool.stopCleanly(stopSignal, Duration.ofSeconds(20));
                return outcome.apply(run, tool);
            } finally {
                tool.close();
            }
        });
    }
}
