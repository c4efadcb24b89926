package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The packaged daemon (target/quarkus-app/quarkus-run.jar, built by
 * `mvn package` before failsafe runs) as a real process, its output in a file.
 */
public final class Daemon implements AutoCloseable {

    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    private final Process process;
    private final Path output;
    private final int port;
    private final String scheme;
    private final HttpClient http;

    private Daemon(Process process, Path output, int port, String scheme, HttpClient http) {
        this.process = process;
        this.output = output;
        this.port = port;
        this.scheme = scheme;
        this.http = http;
    }

    /** Starts the daemon on a free loopback port; {@code prefix} goes before the java command (e.g. setpriv). */
    public static Daemon start(List<String> prefix, String... jvmArguments) {
        return start(prefix, Path.of(System.getProperty("java.io.tmpdir"), "bpfscope-it-state"), jvmArguments);
    }

    /** The same with the filter saved in {@code stateDir}. */
    public static Daemon start(List<String> prefix, Path stateDir, String... jvmArguments) {
        return start(packaged(), prefix, stateDir, jvmArguments);
    }

    /** The jar the build packaged, run by this JVM's java. */
    private static Launch packaged() {
        String jar = System.getProperty("bpfscope.jar");
        assertThat(jar).as("system property bpfscope.jar (set by the failsafe configuration)").isNotNull();
        return new Launch(ProcessHandle.current().info().command().orElseThrow(), Path.of(jar), List.of());
    }

    /**
     * How to run a build of the daemon: the java command, the jar, and the
     * JVM options that go first (the shipped ones, say, and its AOT cache).
     */
    public record Launch(String java, Path jar, List<String> jvmOptions) {

        public Launch {
            jvmOptions = List.copyOf(jvmOptions);
        }
    }

    /**
     * Starts {@code launch} on a free loopback port with its filter saved in
     * {@code stateDir}; {@code prefix} goes before the java command (setpriv,
     * say), {@code jvmArguments} after the launch's own options.
     */
    public static Daemon start(Launch launch, List<String> prefix, Path stateDir, String... jvmArguments) {
        return start(launch, prefix, stateDir, "http", PLAIN, anyPort(), List.of(jvmArguments));
    }

    /**
     * The same served over HTTPS only, with {@code server}'s certificate and
     * key; this object's requests trust {@code trust}.
     */
    public static Daemon startHttps(Launch launch, Path stateDir, Certificates.Issued server, SSLContext trust,
            String... jvmArguments) {
        List<String> arguments = new ArrayList<>(List.of("-Dbpfscope.tls.cert-file=" + server.cert(),
                "-Dbpfscope.tls.key-file=" + server.key()));
        arguments.addAll(List.of(jvmArguments));
        return start(launch, List.of(), stateDir, "https", HttpClient.newBuilder().sslContext(trust).build(), anyPort(),
                arguments);
    }

    private static Daemon start(Launch launch, List<String> prefix, Path stateDir, String scheme, HttpClient http,
            int port, List<String> jvmArguments) {
        assertThat(launch.jar()).as("packaged daemon").isRegularFile();
        try {
            Path output = Files.createTempFile("bpfscope-daemon", ".log");
            output.toFile().setReadable(true, false);
            List<String> command = new ArrayList<>(prefix);
            command.add(launch.java());
            command.addAll(launch.jvmOptions());
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dquarkus.http.host=127.0.0.1");
            command.add("-Dbpfscope.filter.state-dir=" + stateDir);
            command.addAll(jvmArguments);
            command.addAll(List.of("-jar", launch.jar().toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            return new Daemon(process, output, port, scheme, http);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Daemon start(String... jvmArguments) {
        return start(List.of(), jvmArguments);
    }

    /** Starts the daemon with its filter saved in {@code stateDir} and waits until it listens (30 s at most). */
    public static Daemon listening(Path stateDir, String... jvmArguments) throws InterruptedException {
        return listening(anyPort(), stateDir, jvmArguments);
    }

    /** The same on {@code port}: where a daemon that was stopped listened, say. */
    public static Daemon listening(int port, Path stateDir, String... jvmArguments) throws InterruptedException {
        Daemon daemon = start(packaged(), List.of(), stateDir, "http", PLAIN, port, List.of(jvmArguments));
        daemon.awaitListening(Duration.ofSeconds(30));
        return daemon;
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    /** {@code path} (with its query) on the daemon's port, in the scheme it serves. */
    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /** GET {@code path} with a client that trusts the daemon's certificate when it serves HTTPS. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build());
    }

    /** Puts {@code pid} in the PID filter (POST /filters/pids), which must take it. */
    public void trace(long pid) {
        HttpResponse<String> added = send(HttpRequest.newBuilder(uri("/filters/pids"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pid\":" + pid + "}")).build());
        assertThat(added.statusCode()).as("POST /filters/pids: %s", added.body()).isEqualTo(200);
    }

    /** Empties the PID filter (DELETE /filters/pids), which must succeed. */
    public void untraceAll() {
        HttpResponse<String> cleared = send(HttpRequest.newBuilder(uri("/filters/pids")).DELETE().build());
        assertThat(cleared.statusCode()).as("DELETE /filters/pids: %s", cleared.body()).isBetween(200, 299);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the HTTP port accepts connections; fails with the daemon's output if it does not. */
    public void awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("daemon alive; its output:%n%s", output()).isTrue();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("daemon not listening on " + port + " after " + timeout + "; output:\n" + output());
    }

    /** Waits for the process to end by itself and returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as("daemon exited within %s; output:%n%s", timeout, output()).isTrue();
        return process.exitValue();
    }

    /** SIGTERM, as Kubernetes and systemd stop it; returns the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(output);
    }

    private static int anyPort() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port nobody listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
