package io.bpfscope.api;

import io.bpfscope.attribution.Attribution;
import io.bpfscope.event.EventJson;
import io.bpfscope.event.WallClock;
import io.bpfscope.kernel.KernelFeature;
import io.bpfscope.probe.BundledProbes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link EventJson} of the daemon, shared by /events and the export, so both write the same objects. */
@ApplicationScoped
class EventJsonProducer {

    @Produces
    @Singleton
    EventJson eventJson(BundledProbes probes, Attribution attribution) {
        // Events exist only once the programs are loaded, and so are the paths.
        return new EventJson(new WallClock(() -> probes.probes()
                .map(loaded -> loaded.paths().newer(KernelFeature.CLOCK)).orElse(true)), attribution.node());
    }
}
