package io.bpfscope.attribution;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The daemon's attribution of events: the node's name, and the workload of
 * a cgroup id. An event waits at most {@code bpfscope.attribution.metadata-wait}
 * for a container met for the first time, and the events that meet the
 * same lookup no longer than the first: a slow runtime costs the event
 * stream one wait per new container. What is not known in time goes
 * without and is counted as unresolved; the answer, once it comes, serves
 * the container's later events.
 */
@ApplicationScoped
public class Attribution {

    private static final Logger LOG = Logger.getLogger(Attribution.class);
    private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LAST_PAUSE = Duration.ofSeconds(30);

    private record Lookup(CompletableFuture<Optional<Workload>> answer, long deadline) {
    }

    private final String node;
    private final Optional<Workloads> workloads;
    private final Duration wait;
    private final Executor lookups = Executors.newVirtualThreadPerTaskExecutor();
    /** Lookups going on, by cgroup id: the events that meet one wait for it, until its first event's deadline. */
    private final ConcurrentHashMap<Long, Lookup> pending = new ConcurrentHashMap<>();
    private final AtomicLong unresolved = new AtomicLong();
    private volatile boolean stopped;
    private volatile SocketChannel events;
    private Thread watcher;

    public Attribution(AttributionConfig config) {
        this.node = config.nodeName().orElseGet(Attribution::hostName);
        this.wait = config.metadataWait();
        Optional<Path> root = config.cgroupRoot().or(Attribution::cgroup2Mount);
        Optional<DockerEngine> docker = config.dockerSocket().or(
                () -> Optional.of(DOCKER_SOCKET).filter(Files::exists))
                .map(socket -> new DockerEngine(socket, Duration.ofSeconds(2)));
        this.workloads = root.map(tree -> new Workloads(
                new CgroupTree(tree, 1 << 20, config.rescanInterval().toNanos(), System::nanoTime), docker,
                config.maxContainers(), config.unknownFor().toNanos(), System::nanoTime));
        LOG.infof("attribution: node %s; cgroups from %s; containers from %s", node,
                root.map(Path::toString).orElse("nowhere (no cgroup2 hierarchy is mounted: events name no container)"),
                docker.map(engine -> "Docker at " + engine.socket()).orElse("no runtime (no socket found)"));
    }

    public String node() {
        return node;
    }

    /** The workload of process {@code pid}, in cgroup {@code cgroupId}; empty for host processes and what is not known in time. */
    public Optional<Workload> of(long cgroupId, int pid) {
        if (workloads.isEmpty()) {
            return Optional.empty();
        }
        // Most execs are of cgroups met before: answered here, without a lookup thread.
        Optional<Optional<Workload>> known = workloads.get().known(cgroupId);
        if (known.isPresent()) {
            return known.get();
        }
        Lookup started = new Lookup(new CompletableFuture<>(), System.nanoTime() + wait.toNanos());
        Lookup lookup = pending.putIfAbsent(cgroupId, started);
        if (lookup == null) {
            lookup = started;
            lookups.execute(() -> {
                try {
                    started.answer.complete(workloads.get().of(cgroupId, pid));
                } catch (RuntimeException e) {
                    started.answer.completeExceptionally(e);
                } finally {
                    pending.remove(cgroupId, started);
                }
            });
        }
        try {
            return lookup.answer.get(Math.max(0, lookup.deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            unresolved.incrementAndGet();
            return Optional.empty();
        } catch (ExecutionException e) {
            unresolved.incrementAndGet();
            LOG.debugf(e.getCause(), "cannot attribute cgroup %d", cgroupId);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Events that went without a workload because none was known in time. */
    public long unresolved() {
        return unresolved.get();
    }

    /** Containers the runtime was asked about, and of those, the ones it could not name. */
    public long lookups() {
        return workloads.map(Workloads::lookups).orElse(0L);
    }

    public long failedLookups() {
        return workloads.map(Workloads::failures).orElse(0L);
    }

    void onStart(@Observes StartupEvent event) {
        workloads.flatMap(Workloads::docker).ifPresent(docker ->
                watcher = Thread.ofVirtual().name("bpfscope-docker-events").start(() -> watch(docker)));
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopped = true;
        SocketChannel channel = events;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closed is all that was wanted.
            }
        }
        if (watcher != null) {
            watcher.interrupt();
            watcher.join(Duration.ofSeconds(5));
        }
    }

    /**
     * Follows Docker's container events, so a container that starts, dies or
     * goes is asked about afresh; reconnects with a growing pause while the
     * engine is away (restarted, or not yet up), saying so once per outage.
     */
    private void watch(DockerEngine docker) {
        Duration pause = FIRST_PAUSE;
        boolean away = false;
        while (!stopped) {
            try {
                boolean wasAway = away;
                docker.events(channel -> events = channel, event -> workloads.get().forget(event.id()));
                if (wasAway) {
                    LOG.infof("Docker's event stream at %s is back", docker.socket());
                }
                away = false;
                pause = FIRST_PAUSE;
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                if (!away) {
                    LOG.warnf("Docker's event stream at %s: %s; retrying, container metadata may be stale meanwhile",
                            docker.socket(), e.getMessage());
                }
                away = true;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(LAST_PAUSE) > 0 ? LAST_PAUSE : pause.multipliedBy(2);
        }
    }

    private static Optional<Path> cgroup2Mount() {
        try {
            return CgroupTree.cgroup2Mount(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
