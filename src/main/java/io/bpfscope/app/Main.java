package io.bpfscope.app;

import io.bpfscope.api.Routes;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * The daemon's entry point. SIGTERM and SIGINT stop the application: /events
 * clients are told and their streams ended, then Quarkus stops (programs
 * detached, maps freed) and the process exits 0: left to
 * the JVM, a signal ends it with 143, which init systems count as a failure.
 * The handlers go in before Quarkus starts; a signal that arrives while it
 * starts (when asking Quarkus to exit does nothing yet) is remembered and
 * honoured as soon as it has started.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    private static volatile boolean stopRequested;

    private final Routes routes;

    public Main(Routes routes) {
        this.routes = routes;
    }

    public static void main(String... args) {
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> {
                stopRequested = true;
                Quarkus.asyncExit(0);
            });
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) throws InterruptedException {
        if (!stopRequested) {
            Quarkus.waitForExit();
        }
        // Before Quarkus stops and its HTTP server drops the connections.
        routes.finishStreams();
        return 0;
    }
}
