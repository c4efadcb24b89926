package io.bpfscope.eventid;

import io.bpfscope.event.EventHub;
import io.bpfscope.filter.FilterConfig;
import io.bpfscope.reader.EventPipeline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * This instance's {@link IdSpace}, taken from the mark the previous
 * instance left in the state directory, and the mark kept ahead of the ids
 * given: moved every {@link #MARK_INTERVAL} to {@link #MARGIN} past the
 * last one (more than the hub numbers in that time at any rate it reaches),
 * and at a clean stop to just past it. Where the directory cannot be read
 * or written, ids still work but start again at every start: a client that
 * comes back across a restart is then told of an unknown window.
 */
@ApplicationScoped
public class EventIds {

    static final long MARGIN = 1L << 30;
    static final Duration MARK_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(EventIds.class);

    private final EventHub hub;
    private final IdMark mark;
    private final IdSpace space;
    private volatile boolean marking = true;
    private boolean saveFailed;
    private long marked = -1;
    private Thread marker;

    public EventIds(EventHub hub, FilterConfig config) {
        this.hub = hub;
        this.mark = new IdMark(config.stateDir());
        this.space = load();
        save(space.base() + MARGIN);
    }

    private IdSpace load() {
        try {
            return mark.load().orElseGet(() -> new IdSpace(new SecureRandom().nextInt(IdSpace.TAGS), 0));
        } catch (IOException e) {
            LOG.warnf("%s cannot be read (%s): event ids start again at 0 under a new tag; delete the file or"
                    + " make it readable so they continue across restarts", mark.file(), e.getMessage());
            return new IdSpace(new SecureRandom().nextInt(IdSpace.TAGS), 0);
        }
    }

    void onStart(@Observes StartupEvent event) {
        marker = Thread.ofVirtual().name("event-id-mark").start(() -> {
            while (marking) {
                LockSupport.parkNanos(MARK_INTERVAL.toNanos());
                save(space.base() + hub.nextSeq() + MARGIN);
            }
        });
    }

    /** After the readers' last drain, so the mark passes every id given. */
    void onStop(@Observes @Priority(EventPipeline.STOP + 1) ShutdownEvent event) {
        marking = false;
        if (marker != null) {
            LockSupport.unpark(marker);
        }
        save(space.base() + hub.nextSeq());
    }

    private synchronized void save(long next) {
        if (next == marked) {
            return;
        }
        try {
            mark.save(space.tag(), next);
            marked = next;
            saveFailed = false;
        } catch (IOException e) {
            if (!saveFailed) {
                LOG.warnf("cannot write %s (%s): event ids will not continue across a restart until it can be"
                        + " written", mark.file(), e.getMessage());
                saveFailed = true;
            }
        }
    }

    public IdSpace space() {
        return space;
    }
}
