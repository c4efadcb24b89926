package io.bpfscope.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scenario's runs: its workload once per configuration per round, rounds
 * rotated. Before each run the harness waits for other sessions' syscall
 * tracers to go; a run during which one was attached is run again, up to
 * {@code tries} times, and the last try is kept and marked. So is one during
 * which the kernel timed our programs' runs (BPF run-time statistics).
 */
final class Scenario {

    /** A fresh workload for each run. */
    interface Workloads {
        Workload prepare() throws InterruptedException;
    }

    private final String unit;
    private final Run run;
    private final int rounds;
    private final int tries;
    private final Duration quiesce;
    private final String figure;

    /**
     * Runs judged by {@code figure}, one the configuration measured (the
     * fewest events a client received, say), or by the workload's own figure
     * (ns per write, say) when it is null.
     */
    Scenario(String unit, Run run, int rounds, int tries, Duration quiesce, String figure) {
        this.unit = unit;
        this.run = run;
        this.rounds = rounds;
        this.tries = tries;
        this.quiesce = quiesce;
        this.figure = figure;
    }

    List<Measurement> measure(List<Configuration> configurations, Workloads workloads) throws InterruptedException {
        List<Measurement> kept = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Configuration configuration : Rotation.of(configurations, round)) {
                List<String> failed = new ArrayList<>();
                for (int attempt = 1; attempt <= tries; attempt++) {
                    Measurement measurement = tried(configuration, workloads, round, attempt, failed);
                    if (measurement != null) {
                        kept.add(measurement);
                        Log.say("round %d/%d  %-16s %s %s  %s", round, rounds, configuration.name(),
                                Samples.number(Math.round(measurement.value() * 10) / 10.0), unit, measurement.note());
                        break;
                    }
                }
            }
        }
        return kept;
    }

    /**
     * One run; null when it failed or a foreign tracer spoiled it and tries
     * are left. A tool that fails once in a long run (a tracer that does not
     * exit on its signal, say) costs that try, not the whole run; a failure
     * on the last try ends it. The kept run's note says what failed before.
     */
    private Measurement tried(Configuration configuration, Workloads workloads, int round, int attempt,
            List<String> failed) throws InterruptedException {
        try {
            Measurement measurement = once(configuration, workloads, round, attempt);
            return measurement == null || failed.isEmpty() ? measurement : measurement.afterFailures(failed);
        } catch (HarnessFailure | AssertionError e) {
            if (attempt == tries) {
                throw e;
            }
            Log.say("discarding %s run (try %d of %d): %s", configuration.name(), attempt, tries, e.getMessage());
            failed.add(e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    /** One run; null when a foreign tracer spoiled it and tries are left. */
    private Measurement once(Configuration configuration, Workloads workloads, int round, int attempt)
            throws InterruptedException {
        try (Workload workload = workloads.prepare()) {
            Configuration.Attached attached = configuration.start(run, workload.target());
            Configuration.Outcome outcome;
            Workload.Result result;
            MachineCpu before;
            MachineCpu after;
            List<String> foreign;
            try {
                List<ProcessHandle> ours = new ArrayList<>(attached.processes());
                ours.addAll(workload.processes());
                foreign = new ArrayList<>(Quiet.await(ours, quiesce));
                before = MachineCpu.now();
                result = workload.run();
                after = MachineCpu.now();
                BpfView.foreignSyscallTracers(ours).stream().filter(t -> !foreign.contains(t)).forEach(foreign::add);
                foreign.addAll(BpfView.statisticsOn(ours));
            } finally {
                outcome = attached.stop();
            }
            if (!foreign.isEmpty() && attempt < tries) {
                Log.say("discarding %s run (try %d of %d): foreign syscall tracers were attached: %s",
                        configuration.name(), attempt, tries, String.join("; ", foreign));
                return null;
            }
            Map<String, Double> figures = new HashMap<>(outcome.measures());
            figures.putAll(result.figures());
            String cpu = before.usageUntil(after) + (result.note().isEmpty() ? "" : "; " + result.note());
            double value = figure == null ? result.value() : figures.getOrDefault(figure, Double.NaN);
            return new Measurement(configuration.name(), round, value, outcome.note(), cpu,
                    String.join("; ", foreign), figures);
        }
    }
}
