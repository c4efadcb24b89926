package io.bpfscope.attribution;

import io.bpfscope.config.AtLeastOne;
import io.bpfscope.config.PositiveDuration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code bpfscope.attribution.*} */
@ConfigMapping(prefix = "bpfscope.attribution")
public interface AttributionConfig {

    /** The node's name in events: the downward API's NODE_NAME where the chart sets it, else the host name. */
    Optional<String> nodeName();

    /** The node's cgroup2 hierarchy; found in /proc/self/mountinfo when not given. */
    Optional<Path> cgroupRoot();

    /** Docker's API socket; /var/run/docker.sock when it is there. */
    Optional<Path> dockerSocket();

    /**
     * The CRI sockets of the node's runtimes (containerd, CRI-O); those of
     * {@link Attribution#CRI_SOCKETS} that are there when not given.
     */
    Optional<List<Path>> criSockets();

    /** How long an event waits for a container met for the first time before it goes without. */
    @WithDefault("100ms")
    @WithConverter(PositiveDuration.class)
    Duration metadataWait();

    /** Containers whose answers are kept. */
    @WithDefault("4096")
    @WithConverter(AtLeastOne.class)
    int maxContainers();

    /** How long "no runtime knows this container" stands before it is asked again. */
    @WithDefault("30s")
    @WithConverter(PositiveDuration.class)
    Duration unknownFor();

    /**
     * How long the metric series of a cgroup that is gone (a container
     * removed) stay, with their last values, before they go and their
     * in-kernel slots serve other cgroups.
     */
    @WithDefault("5m")
    @WithConverter(PositiveDuration.class)
    Duration seriesGrace();

    /** How often at most the cgroup tree is walked again for an id it did not have. */
    @WithDefault("1s")
    @WithConverter(PositiveDuration.class)
    Duration rescanInterval();
}
