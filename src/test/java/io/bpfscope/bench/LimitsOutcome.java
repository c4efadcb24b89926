package io.bpfscope.bench;

import java.util.List;
import java.util.Locale;

/**
 * One load of a limits run and what came of it: the writer's rate, the
 * daemon's account of its writes, each client's tally, the probes'
 * answers, the container's memory and its state once the load was over.
 */
public record LimitsOutcome(LimitsLoad load, double rateReached, LimitsAccount account, List<LimitsClient> clients,
        LimitsProbes probes, LimitsMemory memory, LimitsState state) {

    public LimitsOutcome {
        clients = List.copyOf(clients);
    }

    /** The container still runs, and no process of it was OOM-killed. */
    public boolean survived() {
        return state.running() && !state.oomKilled() && memory.oomKills() == 0;
    }

    /** Clients whose received events and told losses do not cover every write. */
    public List<LimitsClient> unaccounted() {
        return clients.stream().filter(c -> !c.accountsFor(account.writes())).toList();
    }

    /**
     * Every reading client received every write, none was told of a loss,
     * and the kernel lost no write: the reader read every one (the kernel
     * stage's loss would not do, while it counts the exec and exit events
     * the kernel dropped too).
     */
    public boolean keptUp() {
        return account.streamed() == account.writes() && clients.stream().filter(c -> !c.stalled())
                .allMatch(c -> c.received() == account.writes() && c.lost().isEmpty());
    }

    /** The fewest and the most events a reading client received. */
    public long[] receivedRange() {
        long[] range = {Long.MAX_VALUE, 0};
        clients.stream().filter(c -> !c.stalled()).mapToLong(LimitsClient::received).forEach(r -> {
            range[0] = Math.min(range[0], r);
            range[1] = Math.max(range[1], r);
        });
        return range;
    }

    /** One line of what came of it, for a log or a failed assertion. */
    public String summary() {
        long[] range = receivedRange();
        return String.format(Locale.ROOT, "%s; %.0f writes/s reached; per reading client %d..%d received,"
                + " %d told lost in all, %d client(s) short, %d closed by the server; %s; memory peak %.0f MiB of %.0f MiB,"
                + " %d OOM kill(s); %s", account, rateReached, range[0], range[1], told(), unaccounted().size(),
                clients.stream().filter(LimitsClient::closed).count(), probes.summary(),
                memory.peakMib(), memory.limitBytes() / 1048576.0, memory.oomKills(), state);
    }

    /** What the clients were told they lost, in all. */
    public long told() {
        return clients.stream().mapToLong(LimitsClient::told).sum();
    }
}
