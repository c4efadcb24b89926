package io.bpfscope.attribution;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** A container runtime, asked on its own socket who a container is, and followed for what happens to containers. */
public interface RuntimeClient extends AutoCloseable {

    /** A container event: what happened to which container, in the runtime's words. */
    record Event(String action, String id) {
    }

    /** The API spoken: "docker" or "cri". */
    String api();

    Path socket();

    /** The runtime and its socket, as the log and the health check name it. */
    String describe();

    /** Whether a container whose cgroup name shows {@code runtime} (empty: shows none) may be this runtime's. */
    boolean mayRun(Optional<ContainerRuntime> runtime);

    /** What the runtime knows of container {@code id}: empty when it knows no such container. */
    Optional<Workload> inspect(String id) throws IOException;

    /**
     * Follows the runtime's container events: {@code opened} once the
     * runtime answers, then each event, until the stream ends or fails
     * (an exception) or {@link #close} is called.
     *
     * @throws UnsupportedOperationException where the runtime streams no container events
     */
    void follow(Runnable opened, Consumer<Event> event) throws IOException;

    /** Ends {@link #follow}, and any lookup going on. */
    @Override
    void close();
}
