package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * A server of the Prometheus family (Prometheus, Alertmanager) run from its Debian package on a
 * free loopback port, with a scratch directory of its own for storage and its output in a file;
 * started once it answers /-/ready.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path scratch;
    private final Path output;
    private final URI uri;

    private ServerProcess(String name, Process process, Path scratch, Path output, URI uri) {
        this.name = name;
        this.process = process;
        this.scratch = scratch;
        this.output = output;
        this.uri = uri;
    }

    /** Runs {@code binary} with the arguments made from its listen address and scratch directory. */
    static ServerProcess start(String name, Path binary, BiFunction<String, Path, List<String>> arguments)
            throws InterruptedException {
        assertThat(binary).as("%s (its Debian package; scripts/install-deps installs it)", name).isExecutable();
        try {
            Path scratch = Files.createTempDirectory("bpfscope-" + name);
            Path output = Files.createTempFile("bpfscope-" + name, ".log");
            String address = "127.0.0.1:" + Daemon.freePort();
            List<String> command = new ArrayList<>(List.of(binary.toString()));
            command.addAll(arguments.apply(address, scratch));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            ServerProcess server = new ServerProcess(name, process, scratch, output, URI.create("http://" + address));
            server.awaitReady(Duration.ofSeconds(30));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return uri;
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("%s alive; its output:%n%s", name, output()).isTrue();
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(uri.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not ready after " + timeout + "; output:\n" + output());
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> paths = Files.walk(scratch)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.deleteIfExists(output);
    }
}
