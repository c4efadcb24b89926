package io.bpfscope.probe;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The daemon's programs: checked, loaded and attached when Quarkus starts,
 * detached and unloaded when it stops (SIGTERM, Ctrl-C). A start-up failure
 * is logged as one line that says what to fix, and the process exits 1.
 */
@ApplicationScoped
public class BundledProbes {

    /** Observer priorities: load first at start-up, unload last at shutdown. */
    public static final int START = 100;
    public static final int STOP = 200;

    private static final Logger LOG = Logger.getLogger(BundledProbes.class);

    private final ProbeConfig config;
    private final WriteProgramState filter;
    private volatile LoadedProbes loaded;

    public BundledProbes(ProbeConfig config, WriteProgramState filter) {
        this.config = config;
        this.filter = filter;
    }

    void onStart(@Observes @Priority(START) StartupEvent event) {
        try {
            // The saved filter is in force before the programs run: a restart never widens tracing.
            loaded = LoadedProbes.start(config, filter::bind);
            LOG.infof("kernel paths: %s", loaded.paths());
            LOG.infof("attached %s and %s", loaded.write().programNames(), loaded.exec().programNames());
            if (loaded.stats().isPresent()) {
                LOG.info("BPF run-time statistics on while bpfscope runs (bpfscope.bpf-stats)");
            }
        } catch (StartupFailure failure) {
            failure.haltProcess(LOG);
        }
    }

    void onStop(@Observes @Priority(STOP) ShutdownEvent event) {
        LoadedProbes probes = loaded;
        loaded = null;
        if (probes != null) {
            filter.unbind();
            probes.close();
            LOG.info("detached and unloaded bpfscope's programs");
        }
    }

    /** Empty until start-up succeeded, and again after shutdown. */
    public Optional<LoadedProbes> probes() {
        return Optional.ofNullable(loaded);
    }
}
