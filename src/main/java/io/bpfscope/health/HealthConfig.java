package io.bpfscope.health;

import io.bpfscope.config.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code bpfscope.health.*}: what the health checks call stuck. */
@ConfigMapping(prefix = "bpfscope.health")
public interface HealthConfig {

    /**
     * A reader whose buffer holds records it has not drained for this long
     * is stuck: not ready, and not live. A busy reader drains continuously,
     * so load alone never reaches it. A reader whose programs dropped events
     * within this time is behind: not ready, still live.
     */
    @WithDefault("10s")
    @WithConverter(PositiveDuration.class)
    Duration readerStall();
}
