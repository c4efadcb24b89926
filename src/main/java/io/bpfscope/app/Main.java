package io.bpfscope.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import sun.misc.Signal;

/**
 * The daemon's entry point. SIGTERM and SIGINT stop the application through
 * Quarkus (programs detached, maps freed) and the process exits 0: left to
 * the JVM, a signal ends it with 143, which init systems count as a failure.
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Override
    public int run(String... args) {
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> Quarkus.asyncExit(0));
        }
        Quarkus.waitForExit();
        return 0;
    }
}
