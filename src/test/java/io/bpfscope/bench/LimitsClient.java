package io.bpfscope.bench;

import java.util.List;

/**
 * What one /events client of a limits run got: the write events it
 * received and the lost messages it was sent, and whether the server closed
 * its stream (the daemon closes a connection that moved no byte for its
 * idle timeout, 30 s: a stalled client's, if the load lasts). A client is accounted for
 * when what it received plus what it was told it lost is every write,
 * exactly while it was told only of losses of writes; a gap of its own
 * counts the hub's messages of every type, so then it covers them; a loss of
 * unknown size (a daemon restart) tells it something went missing without
 * saying how much, so it accounts for any shortfall.
 */
public record LimitsClient(int client, boolean stalled, long received, List<LimitsLost> lost, boolean closed) {

    public LimitsClient {
        lost = List.copyOf(lost);
    }

    /** The writes its lost messages said it missed (or may have: those of no one type count too). */
    public long told() {
        return lost.stream().filter(LimitsLost::mayBeWrites).filter(l -> l.count() != null).mapToLong(LimitsLost::count)
                .sum();
    }

    /** Lost messages that may stand for writes but say no count. */
    public long toldUnknown() {
        return lost.stream().filter(LimitsLost::mayBeWrites).filter(l -> l.count() == null).count();
    }

    public boolean accountsFor(long writes) {
        if (lost.stream().allMatch(l -> "write".equals(l.eventType()) && l.count() != null)) {
            return received + told() == writes;
        }
        return received + told() >= writes || toldUnknown() > 0;
    }
}
