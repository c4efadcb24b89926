package io.bpfscope.health;

import io.bpfscope.reader.EventPipeline;
import io.bpfscope.reader.SourceReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What is wrong with the readers, by name, for the readiness and liveness
 * checks: a reader missing or ended, a buffer holding records nobody has
 * drained for {@link HealthConfig#readerStall()}, the wakeup thread gone;
 * and, for readiness alone, readers behind: their programs dropped events
 * for want of room within that time.
 */
@ApplicationScoped
public class ReaderProblems {

    private final EventPipeline pipeline;
    private final HealthConfig config;

    public ReaderProblems(EventPipeline pipeline, HealthConfig config) {
        this.pipeline = pipeline;
        this.config = config;
    }

    /** Problems by reader (or "wakeups"); empty when every reader runs and drains. */
    public Map<String, String> find() {
        Map<String, String> problems = new LinkedHashMap<>();
        Map<String, SourceReader> readers = new LinkedHashMap<>();
        pipeline.readers().forEach(reader -> readers.put(reader.name(), reader));
        long now = System.nanoTime();
        for (String readerName : EventPipeline.READERS) {
            SourceReader reader = readers.get(readerName);
            String name = readerName + " reader";
            if (reader == null) {
                problems.put(name, "not running");
            } else if (!reader.isAlive()) {
                problems.put(name, "ended");
            } else {
                long stalledSeconds = TimeUnit.NANOSECONDS.toSeconds(now - reader.lastDrainNanos());
                long pending = reader.source().pending();
                if (pending > 0 && now - reader.lastDrainNanos() > config.readerStall().toNanos()) {
                    problems.put(name, pending + " bytes in " + reader.source().name() + " not drained for "
                            + stalledSeconds + " s");
                }
            }
        }
        if (!readers.isEmpty() && !pipeline.wakeupsAlive()) {
            problems.put("wakeups", "the thread that wakes the readers ended");
        }
        return problems;
    }

    /**
     * Readers whose programs dropped events within {@link HealthConfig#readerStall()}:
     * behind the kernel, though working. Counts stay exact and every client
     * was told; what it takes to catch up is said.
     */
    public Map<String, String> behind() {
        Map<String, String> behind = new LinkedHashMap<>();
        long now = System.nanoTime();
        for (SourceReader reader : pipeline.readers()) {
            long sinceNanos = now - reader.lastNoRoomNanos();
            if (reader.noRoom() > 0 && sinceNanos < config.readerStall().toNanos()) {
                behind.put(reader.name() + " reader", String.format(Locale.ROOT,
                        "behind: events found no room in %s %.1f s ago (%d since start; counts stay exact and"
                                + " /events clients were told); give the daemon more CPU or a larger buffer",
                        reader.source().name(), sinceNanos / 1e9, reader.noRoom()));
            }
        }
        return behind;
    }
}
