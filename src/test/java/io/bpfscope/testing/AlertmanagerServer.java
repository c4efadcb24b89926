package io.bpfscope.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Alertmanager (Debian's package prometheus-alertmanager) on a free loopback port, alone
 * (no cluster), with the given configuration and its own storage.
 */
public final class AlertmanagerServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    private final ServerProcess server;

    private AlertmanagerServer(ServerProcess server) {
        this.server = server;
    }

    public static AlertmanagerServer start(Path config) throws InterruptedException {
        return new AlertmanagerServer(ServerProcess.start("alertmanager", BINARY, (address, storage) -> List.of(
                "--config.file=" + config,
                "--storage.path=" + storage,
                "--web.listen-address=" + address,
                "--cluster.listen-address=")));
    }

    /** host:port, as Prometheus's alerting configuration names it. */
    public String address() {
        return server.uri().getAuthority();
    }

    public String output() {
        return server.output();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
