package io.bpfscope.eventid;

import java.util.Optional;

/**
 * The ids of one instance's /events messages. An id is
 * {@code (base + seq) << TAG_BITS | tag}: the hub's sequence number counted
 * on from where the previous instance on this node stopped ({@code base}),
 * so ids grow across restarts, with the low bits a tag drawn once per node
 * (kept in the state directory), so an id another node gave is told apart.
 * {@code seq} 0 names the position before this instance's first event.
 */
public record IdSpace(int tag, long base) {

    public static final int TAG_BITS = 12;
    static final int TAGS = 1 << TAG_BITS;
    /** Numbers the ids can count to: 2^51, some 71 years of a million events a second. */
    static final long NUMBERS = 1L << (Long.SIZE - 1 - TAG_BITS);

    public IdSpace {
        if (tag < 0 || tag >= TAGS || base < 0 || base >= NUMBERS) {
            throw new IllegalArgumentException("no id space with tag " + tag + " and base " + base);
        }
    }

    public long id(long seq) {
        return (base + seq) << TAG_BITS | tag;
    }

    /**
     * Where a client that last saw {@code lastId} resumes, with {@code nextSeq}
     * the hub's next sequence number, and the window it is told it missed
     * first: since a restart (an id of an earlier instance here), or an
     * unknown one (an id of another node, or one not given yet).
     */
    public Resume resume(long lastId, long nextSeq) {
        long number = lastId >>> TAG_BITS;
        if ((lastId & (TAGS - 1)) == tag && number < base) {
            return new Resume(1, Optional.of(new MissedWindow("restart", lastId + TAGS, id(0))));
        }
        if ((lastId & (TAGS - 1)) != tag || number - base >= nextSeq) {
            return new Resume(nextSeq, Optional.of(new MissedWindow("unknown", lastId, id(nextSeq - 1))));
        }
        return new Resume(number - base + 1, Optional.empty());
    }

    /** The hub sequence number to read from, and the window missed before it, if one was. */
    public record Resume(long fromSeq, Optional<MissedWindow> missed) {
    }

    /** A window of ids a client missed, whose size no instance knows. */
    public record MissedWindow(String reason, long fromId, long toId) {
    }
}
