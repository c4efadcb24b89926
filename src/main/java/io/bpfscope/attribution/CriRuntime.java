package io.bpfscope.attribution;

import io.bpfscope.attribution.cri.CriChannel;
import io.bpfscope.attribution.cri.CriException;
import io.bpfscope.attribution.cri.ProtoReader;
import io.bpfscope.attribution.cri.ProtoWriter;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A runtime kubelet drives through the CRI (containerd, CRI-O) on its
 * socket: a container's name, image and kubelet's labels from
 * ContainerStatus, and container events from GetContainerEvents, which
 * containerd streams from 1.7 and CRI-O from 1.26.
 */
public final class CriRuntime implements RuntimeClient {

    private static final String[] EVENT_TYPES = {"created", "started", "stopped", "deleted"};

    private final CriChannel channel;
    private final Duration timeout;
    /** The runtime's name and version, once it answered Version. */
    private volatile Optional<Name> name = Optional.empty();

    private record Name(ContainerRuntime runtime, String version) {
    }

    public CriRuntime(Path socket, Duration timeout) {
        this.channel = new CriChannel(socket);
        this.timeout = timeout;
    }

    @Override
    public String api() {
        return "cri";
    }

    @Override
    public Path socket() {
        return channel.socket();
    }

    @Override
    public String describe() {
        return name.map(known -> known.runtime.wireName() + " " + known.version).orElse("a CRI runtime")
                + " at " + channel.socket();
    }

    @Override
    public boolean mayRun(Optional<ContainerRuntime> runtime) {
        return runtime.isEmpty() || name.isEmpty() || name.get().runtime == runtime.get();
    }

    @Override
    public Optional<Workload> inspect(String id) throws IOException {
        ContainerRuntime runtime = name().runtime;
        ProtoReader answer;
        try {
            answer = channel.call("ContainerStatus", new ProtoWriter().string(1, id), timeout);
        } catch (CriException e) {
            if (e.code() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        ProtoReader status = answer.firstMessage(1).orElseThrow(
                () -> new IOException(describe() + " answered ContainerStatus of " + id + " without a status"));
        return Optional.of(workload(status, id, runtime));
    }

    @Override
    public void follow(Runnable opened, Consumer<Event> event) throws IOException {
        // Asked afresh: a stream call on a channel whose runtime is gone only
        // fails after it started, so the runtime's answer is what says it is back.
        ask();
        opened.run();
        try {
            channel.stream("GetContainerEvents", new ProtoWriter(), message -> event.accept(event(message)));
        } catch (CriException e) {
            if (e.code() == Status.Code.UNIMPLEMENTED) {
                throw new UnsupportedOperationException(describe() + " streams no container events"
                        + " (GetContainerEvents: containerd 1.7, CRI-O 1.26 and later do)", e);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    /** The runtime's name, asked once it answers. */
    private Name name() throws IOException {
        Optional<Name> known = name;
        return known.isPresent() ? known.get() : ask();
    }

    /** Asks the runtime its name and version (a restart may have changed it). */
    private Name ask() throws IOException {
        ProtoReader answer = channel.call("Version", new ProtoWriter().string(1, "v1"), timeout);
        String runtime = "";
        String version = "";
        while (answer.next()) {
            switch (answer.field()) {
                case 2 -> runtime = answer.string();
                case 3 -> version = answer.string();
                default -> answer.skip();
            }
        }
        Name answered = new Name(runtime(runtime), version);
        name = Optional.of(answered);
        return answered;
    }

    private ContainerRuntime runtime(String name) throws IOException {
        for (ContainerRuntime runtime : ContainerRuntime.values()) {
            if (runtime.wireName().equals(name)) {
                return runtime;
            }
        }
        throw new IOException("the CRI runtime at " + channel.socket() + " is \"" + name
                + "\", not containerd, CRI-O or Docker");
    }

    /** A ContainerStatus message. */
    private static Workload workload(ProtoReader status, String id, ContainerRuntime runtime) {
        String fullId = id;
        String name = "";
        String image = "";
        String imageRef = "";
        Map<String, String> labels = new HashMap<>();
        while (status.next()) {
            switch (status.field()) {
                case 1 -> fullId = status.string();
                case 2 -> name = status.message().firstString(1).orElse("");
                case 8 -> image = status.message().firstString(1).orElse("");
                case 9 -> imageRef = status.string();
                case 12 -> status.entry(labels);
                default -> status.skip();
            }
        }
        return new Workload(new Container(fullId, KubeletLabels.containerName(labels).orElse(name),
                image.isEmpty() ? imageRef : image, runtime), KubeletLabels.pod(labels));
    }

    /** A ContainerEventResponse. */
    private static Event event(ProtoReader message) {
        String id = "";
        int type = 0;
        while (message.next()) {
            switch (message.field()) {
                case 1 -> id = message.string();
                case 2 -> type = (int) message.varint();
                default -> message.skip();
            }
        }
        return new Event(type >= 0 && type < EVENT_TYPES.length ? EVENT_TYPES[type] : "type " + type, id);
    }
}
