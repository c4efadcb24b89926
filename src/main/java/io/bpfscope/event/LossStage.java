package io.bpfscope.event;

import java.util.Locale;

/**
 * Where events were lost, as the {@code stage} of lost messages and of
 * {@code bpfscope_events_lost_total} names it.
 */
public enum LossStage {
    /** No room in a kernel buffer, or no room to follow an exec: the record was never written. */
    KERNEL,
    /** Read from a buffer but not decodable (a layout mismatch). */
    READER,
    /** Let go by the replay ring before one /events client read them: that client alone missed them. */
    CLIENT,
    /** The same for the export, or refused by its destination. */
    EXPORT,
    /** A window no instance of the daemon can account for: a restart, or a position it does not know. */
    DAEMON;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
