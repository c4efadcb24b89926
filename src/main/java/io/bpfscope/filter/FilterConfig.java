package io.bpfscope.filter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code bpfscope.filter.*} */
@ConfigMapping(prefix = "bpfscope.filter")
public interface FilterConfig {

    /** PIDs the filter holds at most; a request that would exceed it is refused. */
    @WithDefault("4096")
    int maxPids();
}
