package io.bpfscope.attribution;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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
    /** Where containerd, CRI-O and k3s's containerd put their CRI sockets. */
    static final List<Path> CRI_SOCKETS = List.of(Path.of("/run/containerd/containerd.sock"),
            Path.of("/run/crio/crio.sock"), Path.of("/run/k3s/containerd/containerd.sock"));
    private static final Duration RUNTIME_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LAST_PAUSE = Duration.ofSeconds(30);

    private record Lookup(CompletableFuture<Optional<Workload>> answer, long deadline) {
    }

    /** "Not in a container anyone knows", trusted while no container changed and until {@code expires}. */
    private record Unnamed(long changes, long expires) {
    }

    /** Cgroups remembered as unnamed, at most this many, forgotten all at once when full. */
    private static final int MAX_UNNAMED = 4096;
    /** Workloads remembered, at most this many: past it, answers are looked up again every time. */
    private static final int MAX_FOUND = 65536;
    /** How long an empty answer is given again without asking the caches. */
    private static final long EMPTY_FOR_NANOS = Duration.ofSeconds(1).toNanos();

    private final String node;
    private final Optional<Workloads> workloads;
    private final Duration wait;
    private final Executor lookups = Executors.newVirtualThreadPerTaskExecutor();
    /** Lookups going on, by cgroup id: the events that meet one wait for it, until its first event's deadline. */
    private final ConcurrentHashMap<Long, Lookup> pending = new ConcurrentHashMap<>();
    private final AtomicLong unresolved = new AtomicLong();
    /**
     * The workload found for each cgroup, kept until the cgroup's counts are
     * retired ({@link #forget}): a cgroup id belongs to one container for
     * good. A traced process writes thousands of times a second, so its
     * events are answered with one hash lookup; and the counts of a container
     * that is gone (cgroup removed, runtime told) by the time a scrape asks,
     * as a container that lived a second is, keep its labels through the
     * grace period.
     */
    private final ConcurrentHashMap<Long, Workload> found = new ConcurrentHashMap<>();
    /** Cgroups found in no known container: host cgroups, and containers the runtime did not (yet) name. */
    private final ConcurrentHashMap<Long, Unnamed> unnamed = new ConcurrentHashMap<>();
    /** Container events seen: a change makes every unnamed answer given before it stale. */
    private final AtomicLong changes = new AtomicLong();
    /** Container events each runtime sent, by runtime. */
    private final Map<RuntimeClient, AtomicLong> runtimeEvents = new ConcurrentHashMap<>();
    /**
     * Why a runtime's event stream is not followed now, by runtime; none while
     * all are. A runtime is away until its stream first opens: until then its
     * containers' changes go unseen, as during an outage.
     */
    private final Map<RuntimeClient, String> away = new ConcurrentHashMap<>();
    private final List<Thread> watchers = new ArrayList<>();
    private volatile boolean stopped;

    public Attribution(AttributionConfig config) {
        this.node = config.nodeName().orElseGet(Attribution::hostName);
        this.wait = config.metadataWait();
        Optional<Path> root = config.cgroupRoot().or(Attribution::cgroup2Mount).filter(tree -> {
            if (!Files.isDirectory(tree)) {
                LOG.warnf("attribution: the cgroup tree %s is not a directory (bpfscope.attribution.cgroup-root):"
                        + " events name no container", tree);
            }
            return Files.isDirectory(tree);
        });
        List<RuntimeClient> runtimes = new ArrayList<>();
        config.dockerSocket().or(() -> Optional.of(DOCKER_SOCKET).filter(Files::exists))
                .ifPresent(socket -> runtimes.add(new DockerEngine(socket, RUNTIME_TIMEOUT)));
        config.criSockets().orElseGet(() -> CRI_SOCKETS.stream().filter(Files::exists).toList())
                .forEach(socket -> runtimes.add(new CriRuntime(socket, RUNTIME_TIMEOUT)));
        runtimes.forEach(runtime -> {
            runtimeEvents.put(runtime, new AtomicLong());
            away.put(runtime, "the container events of " + runtime.describe() + ": not followed yet");
        });
        this.workloads = root.map(tree -> new Workloads(
                new CgroupTree(tree, 1 << 20, config.rescanInterval().toNanos(), System::nanoTime), runtimes,
                config.maxContainers(), config.unknownFor().toNanos(), System::nanoTime));
        LOG.infof("attribution: node %s; cgroups from %s; containers from %s", node,
                root.map(Path::toString).orElse("nowhere (no cgroup2 hierarchy is mounted: events name no container)"),
                runtimes.isEmpty() ? "no runtime (no socket found)"
                        : String.join(", ", runtimes.stream().map(RuntimeClient::describe).toList()));
    }

    public String node() {
        return node;
    }

    /** The workload of process {@code pid}, in cgroup {@code cgroupId}; empty for host processes and what is not known in time. */
    public Optional<Workload> of(long cgroupId, int pid) {
        return of(cgroupId, pid, Optional.empty());
    }

    /**
     * The same, where the event also carries the end of its cgroup's path
     * ("/PARENT/NAME"), which names the container when the cgroup is gone
     * from the tree by the time it is looked up.
     */
    public Optional<Workload> of(long cgroupId, int pid, Optional<String> cgroupTail) {
        if (workloads.isEmpty()) {
            return Optional.empty();
        }
        Optional<Optional<Workload>> known = cached(cgroupId);
        if (known.isPresent()) {
            return known.get();
        }
        Optional<Optional<Workload>> answer = await(cgroupId, lookup(cgroupId, pid, cgroupTail));
        if (answer.isEmpty()) {
            unresolved.incrementAndGet();
        }
        return answer.orElse(Optional.empty());
    }

    /**
     * The workloads of these cgroups (the labels of their counts), each
     * waited for as an event would, all at once; a cgroup found before keeps
     * the workload found then, gone or not. What is not known in time is
     * empty, and not counted as unresolved: no event went without it.
     */
    public Map<Long, Optional<Workload>> ofCgroups(Collection<Long> cgroupIds) {
        Map<Long, Optional<Workload>> answers = new HashMap<>();
        Map<Long, Lookup> asked = new HashMap<>();
        for (long cgroupId : cgroupIds) {
            Optional<Optional<Workload>> known = workloads.isEmpty() ? Optional.of(Optional.empty()) : cached(cgroupId);
            if (known.isPresent()) {
                answers.put(cgroupId, known.get());
            } else {
                // No process to read /proc/PID/cgroup of: the tree's walk finds it, or nothing does.
                asked.put(cgroupId, lookup(cgroupId, 0, Optional.empty()));
            }
        }
        asked.forEach((cgroupId, lookup) -> answers.put(cgroupId, await(cgroupId, lookup).orElse(Optional.empty())));
        return answers;
    }

    /** The counts of these cgroups were retired: what was found for them goes too. */
    public void forget(Collection<Long> cgroupIds) {
        found.keySet().removeAll(cgroupIds);
    }

    /** Whether cgroup {@code cgroupId} is gone from the cgroup2 tree; false where there is no tree to tell. */
    public boolean gone(long cgroupId) {
        return workloads.map(known -> known.gone(cgroupId)).orElse(false);
    }

    /** The answer if the caches have it: most events are of cgroups met before, answered without a lookup thread. */
    private Optional<Optional<Workload>> cached(long cgroupId) {
        Workload named = found.get(cgroupId);
        if (named != null) {
            return Optional.of(Optional.of(named));
        }
        long now = System.nanoTime();
        long seen = changes.get();
        Unnamed last = unnamed.get(cgroupId);
        if (last != null && last.changes == seen && now - last.expires < 0) {
            return Optional.of(Optional.empty());
        }
        Optional<Optional<Workload>> known = workloads.get().known(cgroupId);
        known.ifPresent(answer -> answer.ifPresentOrElse(workload -> found(cgroupId, workload), () -> {
            if (unnamed.size() >= MAX_UNNAMED) {
                unnamed.clear();
            }
            unnamed.put(cgroupId, new Unnamed(seen, now + EMPTY_FOR_NANOS));
        }));
        return known;
    }

    /** The lookup of cgroup {@code cgroupId} going on, started here if none is. */
    private Lookup lookup(long cgroupId, int pid, Optional<String> cgroupTail) {
        Lookup started = new Lookup(new CompletableFuture<>(), System.nanoTime() + wait.toNanos());
        Lookup lookup = pending.putIfAbsent(cgroupId, started);
        if (lookup != null) {
            return lookup;
        }
        lookups.execute(() -> {
            try {
                Optional<Workload> workload = workloads.get().of(cgroupId, pid, cgroupTail);
                workload.ifPresent(known -> found(cgroupId, known));
                started.answer.complete(workload);
            } catch (RuntimeException e) {
                started.answer.completeExceptionally(e);
            } finally {
                pending.remove(cgroupId, started);
            }
        });
        return started;
    }

    private void found(long cgroupId, Workload workload) {
        if (found.size() < MAX_FOUND) {
            found.put(cgroupId, workload);
        }
    }

    /** The lookup's answer, if it comes before its deadline. */
    private static Optional<Optional<Workload>> await(long cgroupId, Lookup lookup) {
        try {
            return Optional.of(lookup.answer.get(Math.max(0, lookup.deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            LOG.debugf(e.getCause(), "cannot attribute cgroup %d", cgroupId);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Why events cannot all be attributed, if they cannot: no cgroup2
     * hierarchy, no runtime to ask, or a runtime that does not answer.
     */
    public Optional<String> degraded() {
        if (workloads.isEmpty()) {
            return Optional.of("no cgroup2 hierarchy is mounted: events name no container");
        }
        if (workloads.get().runtimes().isEmpty()) {
            return Optional.of("no container runtime socket found (bpfscope.attribution.docker-socket,"
                    + " bpfscope.attribution.cri-sockets): events name no container");
        }
        return away.isEmpty() ? Optional.empty()
                : Optional.of(away.values().stream().sorted().collect(Collectors.joining("; ")));
    }

    /** The runtimes asked about containers. */
    public List<RuntimeClient> runtimes() {
        return workloads.map(Workloads::runtimes).orElse(List.of());
    }

    /** The container events {@code runtime} sent. */
    public long eventsFrom(RuntimeClient runtime) {
        return runtimeEvents.get(runtime).get();
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
        runtimes().forEach(runtime -> watchers.add(
                Thread.ofVirtual().name("bpfscope-" + runtime.api() + "-events").start(() -> watch(runtime))));
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        stopped = true;
        for (RuntimeClient runtime : runtimes()) {
            runtime.close();
        }
        for (Thread watcher : watchers) {
            watcher.interrupt();
            watcher.join(Duration.ofSeconds(5));
        }
    }

    /**
     * Follows a runtime's container events, so a container that starts, dies
     * or goes is asked about afresh; reconnects with a growing pause while the
     * runtime is away (restarted, or not yet up), saying so once per outage.
     * A runtime that streams no events is not followed: what it did not know
     * of a container is asked again after bpfscope.attribution.unknown-for.
     */
    private void watch(RuntimeClient runtime) {
        Duration[] pause = {FIRST_PAUSE};
        // Whether the stream opened before (a later opening is a return), and whether this outage was said.
        boolean[] openedBefore = {false};
        boolean[] outageSaid = {false};
        AtomicLong seen = runtimeEvents.get(runtime);
        while (!stopped) {
            try {
                runtime.follow(() -> {
                    if (away.remove(runtime) != null) {
                        if (openedBefore[0]) {
                            LOG.infof("the container events of %s are back", runtime.describe());
                        }
                        workloads.get().forgetUnknown();
                        changes.incrementAndGet();
                    }
                    openedBefore[0] = true;
                    outageSaid[0] = false;
                    pause[0] = FIRST_PAUSE;
                }, change -> {
                    workloads.get().forget(change.id());
                    changes.incrementAndGet();
                    seen.incrementAndGet();
                });
                throw new IOException("the stream ended");
            } catch (UnsupportedOperationException e) {
                LOG.infof("attribution: %s; containers it did not know when asked are asked again after"
                        + " bpfscope.attribution.unknown-for", e.getMessage());
                away.remove(runtime);
                return;
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                String reason = "the container events of " + runtime.describe() + ": " + e.getMessage();
                away.put(runtime, reason);
                if (!outageSaid[0]) {
                    outageSaid[0] = true;
                    LOG.warnf("%s; retrying, container metadata may be stale meanwhile", reason);
                }
            }
            try {
                Thread.sleep(pause[0]);
            } catch (InterruptedException e) {
                return;
            }
            pause[0] = pause[0].multipliedBy(2).compareTo(LAST_PAUSE) > 0 ? LAST_PAUSE : pause[0].multipliedBy(2);
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
