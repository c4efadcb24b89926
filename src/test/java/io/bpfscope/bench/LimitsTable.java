package io.bpfscope.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** The limits report's tables, one row per quota, and its two answers: the smallest quotas that held. */
final class LimitsTable {

    private LimitsTable() {
    }

    static String render(List<LimitsQuota> quotas) {
        StringBuilder text = new StringBuilder("### combined load\n\n| cpus | writes | rate reached /s | counted | read as"
                + " events | lost kernel | lost reader | lost client | per reading client | told to clients | clients"
                + " accounted | OOM | peak memory MiB | live | ready |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- | --- |\n");
        for (LimitsQuota quota : quotas) {
            text.append("| ").append(quota.cpus()).append(" | ").append(quota.load() == null ? "-" + " | -".repeat(14)
                    : loadRow(quota.load())).append(" |\n");
        }
        text.append("\n### keep-up probe\n\n| cpus | writes | rate reached /s | received | lost messages | lost kernel |"
                + " kept up |\n| ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (LimitsQuota quota : quotas) {
            text.append("| ").append(quota.cpus()).append(" | ").append(quota.keepUp() == null ? "- | - | - | - | - | -"
                    : keepUpRow(quota.keepUp())).append(" |\n");
        }
        text.append("\n### per quota\n\n");
        for (LimitsQuota quota : quotas) {
            text.append("- ").append(quota.cpus()).append(" CPUs: ").append(notes(quota)).append("\n");
        }
        return text.toString();
    }

    private static String loadRow(LimitsOutcome o) {
        LimitsAccount a = o.account();
        long[] range = o.receivedRange();
        return String.join(" | ", Samples.number(a.writes()), Samples.number(Math.round(o.rateReached())),
                mark(Samples.number(a.counted()), a.countingExact()), mark(Samples.number(a.streamed()), a.deliveryAccounted()),
                Samples.number(a.lostKernel()), Samples.number(a.lostReader()), Samples.number(a.lostClient()),
                Samples.number(range[0]) + ".." + Samples.number(range[1]), Samples.number(o.told()),
                (o.unaccounted().isEmpty() ? "all" : "**" + o.unaccounted().size() + " short**") + closed(o),
                o.survived() ? "no" : "**" + o.state() + "**", String.format(Locale.ROOT, "%.0f", o.memory().peakMib()),
                LimitsProbes.text(o.probes().live()), LimitsProbes.text(o.probes().ready()));
    }

    private static String keepUpRow(LimitsOutcome o) {
        LimitsAccount a = o.account();
        return String.join(" | ", Samples.number(a.writes()), Samples.number(Math.round(o.rateReached())),
                Samples.number(o.receivedRange()[0]), Long.toString(o.clients().stream().mapToLong(c -> c.lost().size()).sum()),
                Samples.number(a.lostKernel()), o.keptUp() ? "yes" : "**no**");
    }

    /** How many streams the server closed, when it closed any. */
    private static String closed(LimitsOutcome o) {
        long closed = o.clients().stream().filter(LimitsClient::closed).count();
        return closed == 0 ? "" : " (" + closed + " closed by the server)";
    }

    /** Bold when a check failed. */
    private static String mark(String figure, boolean held) {
        return held ? figure : "**" + figure + "**";
    }

    private static String notes(LimitsQuota quota) {
        StringBuilder note = new StringBuilder();
        if (quota.load() != null) {
            LimitsProbes probes = quota.load().probes();
            note.append(probes.liveReasons().isEmpty() ? "live always 200" : "**live**: "
                    + LimitsProbes.reasons(probes.liveReasons()));
            note.append(probes.readyReasons().isEmpty() ? "; ready always 200" : "; ready: "
                    + LimitsProbes.reasons(probes.readyReasons()));
            if (probes.silentReady() > 0) {
                note.append("; **").append(quota.load().probes().silentReady()).append(" refusals named no reason**");
            }
        }
        if (quota.end() != null) {
            note.append("; at the end ").append(quota.end().status()).append(", exit code ").append(quota.end().exitCode())
                    .append(quota.end().oomKilled() ? ", **OOM-killed**" : "");
        }
        if (quota.failure() != null) {
            note.append("; **run failed**: ").append(quota.failure().lines().findFirst().orElse(""));
        }
        return note.toString();
    }

    /** The two answers: the smallest quota at which counting stayed exact, and at which the stream kept up. */
    static String answers(List<LimitsQuota> quotas, long keepUpRate) {
        return "\n## answers\n\n"
                + "- smallest quota at which counting stayed exact: " + smallest(quotas, LimitsQuota::countingExact) + "\n"
                + "- smallest quota at which one client received every event of " + Samples.number(keepUpRate)
                + " writes/s, no loss: " + smallest(quotas, LimitsQuota::keptUp) + "\n";
    }

    /** The smallest quota that held, and any larger one that did not (a noisy machine, or no monotony). */
    static String smallest(List<LimitsQuota> quotas, Predicate<LimitsQuota> held) {
        Comparator<LimitsQuota> byCpus = Comparator.comparingDouble(q -> Double.parseDouble(q.cpus()));
        List<LimitsQuota> holding = quotas.stream().filter(held).sorted(byCpus).toList();
        if (holding.isEmpty()) {
            return "**none of those tried**";
        }
        LimitsQuota least = holding.getFirst();
        List<String> larger = quotas.stream().filter(held.negate()).filter(q -> byCpus.compare(q, least) > 0)
                .map(LimitsQuota::cpus).toList();
        return "**" + least.cpus() + " CPUs**" + (larger.isEmpty() ? "" : " (yet not at " + String.join(", ", larger)
                + ")");
    }
}
