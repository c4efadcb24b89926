package io.bpfscope.event;

/** What the hub carries, in order, to every subscriber: an event, or word of events lost before the hub. */
public sealed interface Message permits Event, Loss {

    /** The type of the event this is or is about: what a client's type filter decides on. */
    EventType type();

    /**
     * About how many bytes of heap it holds while the hub keeps it, its wire
     * form (encoded once for all clients) included: what bounds the replay
     * ring by memory rather than by count alone.
     */
    int retainedBytes();
}
