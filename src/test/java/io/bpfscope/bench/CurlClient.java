package io.bpfscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One /events client as a user would run it, curl: light C, so what it
 * costs the machine is not Java's. Either counting ({@code curl -sN URL |
 * grep -c '^event: TYPE$'}) or capturing the stream to a file. Once its
 * stream has gone quiet, curl alone is stopped, so what reads its output sees
 * the end.
 */
final class CurlClient implements AutoCloseable {

    private final Tool tool;

    private CurlClient(Tool tool) {
        this.tool = tool;
    }

    /** A client counting the events of {@code type}, which {@link #finish} returns. */
    static CurlClient counting(Run run, DaemonUnderTest daemon, String path, String type) throws InterruptedException {
        return start(run, daemon, List.of("sh", "-c", "curl -sN \"$0\" | grep -c \"^event: $1\\$\"",
                daemon.uri(path).toString(), type));
    }

    /** A client writing the stream to {@code file}. */
    static CurlClient capturing(Run run, DaemonUnderTest daemon, String path, Path file) throws InterruptedException {
        return start(run, daemon, List.of("sh", "-c", "curl -sN \"$0\" > \"$1\"", daemon.uri(path).toString(),
                file.toString()));
    }

    /** Connects and returns once the daemon counts it among its clients (10 s at most). */
    private static CurlClient start(Run run, DaemonUnderTest daemon, List<String> command) throws InterruptedException {
        Tool tool = Tool.start(run.dir(), "sse_client", run.bound(), command);
        try {
            daemon.awaitClients(1);
            return new CurlClient(tool);
        } catch (RuntimeException | InterruptedException e) {
            tool.close();
            throw e;
        }
    }

    /** Bytes of the stream curl has passed on so far, its comments too. */
    long bytesPassed() {
        return curl().map(process -> bytesPassed(process.pid())).orElseThrow(() -> new HarnessFailure("no curl to read"));
    }

    private Optional<ProcessHandle> curl() {
        return tool.handle().descendants().filter(p -> p.info().command().orElse("").endsWith("/curl")).findFirst();
    }

    /** Waits until curl has passed nothing on for 1 s (60 s at most), stops it, and returns what grep counted (0 capturing). */
    long finish() throws InterruptedException {
        Optional<ProcessHandle> curl = curl();
        if (curl.isPresent()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long last = -1;
            int still = 0;
            while (still < 10 && System.nanoTime() < deadline) {
                long read = bytesPassed(curl.get().pid());
                still = read == last ? still + 1 : 0;
                last = read;
                Thread.sleep(100);
            }
            curl.get().destroy();
        }
        tool.await(Duration.ofSeconds(10));
        String count = tool.output().strip();
        return count.isEmpty() ? 0 : Long.parseLong(count);
    }

    /** What curl wrote out: its socket reads (recv) are not in /proc's read count, its writes to the pipe are. */
    private static long bytesPassed(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "io")).stream()
                    .filter(line -> line.startsWith("wchar:")).mapToLong(line -> Long.parseLong(line.substring(6).strip()))
                    .findFirst().orElse(-1);
        } catch (IOException gone) {
            return -1;
        }
    }

    @Override
    public void close() {
        tool.close();
    }
}
