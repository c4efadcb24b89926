package io.bpfscope.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * P1-P3: write_loop's write(2) calls to /dev/null, one run per
 * configuration per round, rounds rotated. A run during which another
 * session's syscall tracer was attached is run again, up to {@code tries}
 * times; the last try is kept and marked.
 */
public final class WriteScenario {

    private final Run run;
    private final List<Configuration> configurations;
    private final int rounds;
    private final int tries;
    private final Duration quiesce;

    public WriteScenario(Run run, List<Configuration> configurations, int rounds, int tries, Duration quiesce) {
        this.run = run;
        this.configurations = List.copyOf(configurations);
        this.rounds = rounds;
        this.tries = tries;
        this.quiesce = quiesce;
    }

    public List<Measurement> measure() throws InterruptedException {
        // Not recorded: page cache, CPU frequency and first-touch costs settle.
        try (WriteLoop warmUp = WriteLoop.prepare(run.build(), run.dir(), run.operations() / 10 + 1, "bench-warmup",
                run.bound())) {
            warmUp.go();
            warmUp.await(run.bound());
        }
        List<Measurement> kept = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Configuration configuration : Rotation.of(configurations, round)) {
                for (int attempt = 1; attempt <= tries; attempt++) {
                    Measurement measurement = once(configuration, round, attempt);
                    if (measurement != null) {
                        kept.add(measurement);
                        Log.say("round %d/%d  %-16s %.1f ns/write  %s", round, rounds, configuration.name(),
                                measurement.value(), measurement.note());
                        break;
                    }
                }
            }
        }
        return kept;
    }

    /** One run; null when a foreign tracer spoiled it and tries are left. */
    private Measurement once(Configuration configuration, int round, int attempt) throws InterruptedException {
        try (WriteLoop writer = WriteLoop.prepare(run.build(), run.dir(), run.operations(),
                WriteConfigurations.WRITER, run.bound().plus(run.ready()).plus(quiesce))) {
            Configuration.Attached attached = configuration.start(run, writer.pid());
            Configuration.Outcome outcome;
            Map<String, Double> figures;
            MachineCpu before;
            MachineCpu after;
            List<String> foreign;
            try {
                List<ProcessHandle> ours = new ArrayList<>(attached.processes());
                ours.add(writer.tool().handle());
                foreign = new ArrayList<>(Quiet.await(ours, quiesce));
                before = MachineCpu.now();
                writer.go();
                figures = writer.await(run.bound());
                after = MachineCpu.now();
                BpfView.foreignSyscallTracers(ours).stream().filter(t -> !foreign.contains(t)).forEach(foreign::add);
            } finally {
                outcome = attached.stop();
            }
            if (!foreign.isEmpty() && attempt < tries) {
                Log.say("discarding %s run (try %d of %d): foreign syscall tracers were attached: %s",
                        configuration.name(), attempt, tries, String.join("; ", foreign));
                return null;
            }
            Map<String, Double> all = new HashMap<>(outcome.measures());
            all.put("cpu_ns", figures.get("cpu_ns_per_write"));
            double ns = figures.get("ns_per_write");
            String cpu = before.usageUntil(after) + String.format(Locale.ROOT, "; writer on CPU %.0f%%, %.0f preemptions",
                    100 * figures.get("cpu_ns_per_write") / ns, figures.get("invol_cs"));
            return new Measurement(configuration.name(), round, ns, outcome.note(), cpu, String.join("; ", foreign), all);
        }
    }
}
