package io.bpfscope.reader;

import io.bpfscope.config.PositiveDuration;
import io.bpfscope.config.PositiveSize;
import io.bpfscope.config.PowerOfTwo;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code bpfscope.events.*}: how records travel from the buffers to clients. */
@ConfigMapping(prefix = "bpfscope.events")
public interface EventsConfig {

    /** Events kept for replay and as every client's queue: a power of two. */
    @WithDefault("65536")
    @WithConverter(PowerOfTwo.class)
    int replaySize();

    /**
     * Heap the replay ring may hold at most (16M, 512K...): past it, the oldest events go
     * before the ring is full. An exec holds about 700 bytes (more with a long command line), a write 350.
     */
    @WithDefault("16M")
    @WithConverter(PositiveSize.class)
    long replayMemory();

    /** Comment line sent to idle /events clients so proxies keep the stream open. */
    @WithDefault("15s")
    @WithConverter(PositiveDuration.class)
    Duration heartbeat();
}
