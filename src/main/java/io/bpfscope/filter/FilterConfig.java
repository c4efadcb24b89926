package io.bpfscope.filter;

import io.bpfscope.config.AtLeastOne;
import io.bpfscope.config.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** {@code bpfscope.filter.*} */
@ConfigMapping(prefix = "bpfscope.filter")
public interface FilterConfig {

    /** PIDs the filter holds at most; a request that would exceed it is refused. */
    @WithDefault("4096")
    @WithConverter(AtLeastOne.class)
    int maxPids();

    /** Where the filter is saved to survive restarts. */
    @WithDefault("/var/lib/bpfscope")
    Path stateDir();

    /** How often traced PIDs are checked for processes that exited. */
    @WithDefault("1s")
    @WithConverter(PositiveDuration.class)
    Duration exitCheckInterval();
}
