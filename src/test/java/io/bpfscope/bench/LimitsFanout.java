package io.bpfscope.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fan-out of a limits run: clients/sse_count with {@code readers}
 * clients reading {@code /events?type=write&pid=PID} as fast as they can and
 * {@code stalled} that stop reading. It is given a marker no event carries,
 * so that it prints exactly the lost messages, whole: their stage, type and
 * count are judged here, where sse_count would only add up every count.
 */
final class LimitsFanout implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CLIENT = Pattern.compile("^client=(\\d+) role=(\\w+) .* write=(\\d+) ");
    private static final Pattern STAMP = Pattern.compile("^stamp client=(\\d+) rx_ns=\\d+ id=\\d+ (\\{.*})$");

    private final Tool tool;

    private LimitsFanout(Tool tool) {
        this.tool = tool;
    }

    /** Connects the clients; returns once every stream has begun. */
    static LimitsFanout connect(Run run, int port, long pid, int readers, int stalled, long expected)
            throws InterruptedException {
        Tool tool = Tool.start(run.dir(), "limits_clients_" + pid, run.bound(), List.of(
                run.build().resolve("sse_count").toString(), "-p", Integer.toString(port),
                "-u", "/events?type=write&pid=" + pid, "-n", Integer.toString(readers), "-s", Integer.toString(stalled),
                "-e", Long.toString(expected), "-i", "2000", "-T", Long.toString(run.bound().toSeconds()),
                "-m", run.marker() + "-no-event-carries-this"));
        try {
            tool.awaitLine(Pattern.compile("^ready$"), run.ready());
            return new LimitsFanout(tool);
        } catch (RuntimeException | InterruptedException e) {
            tool.close();
            throw e;
        }
    }

    /** Tells the clients the stream is over, waits until they have read what is left, and returns each one's tally. */
    List<LimitsClient> finish() throws InterruptedException {
        Signals.send(tool.toolProcess().orElseThrow(() -> new HarnessFailure("sse_count is gone")).pid(), "USR1");
        int status = tool.await(Duration.ofSeconds(120));
        if (status != 0) {
            throw new HarnessFailure("sse_count: " + Tool.exitText(status) + ": " + tool.errorTail(5));
        }
        return tally(tool.output());
    }

    static List<LimitsClient> tally(String output) {
        Map<Integer, List<LimitsLost>> lost = new HashMap<>();
        List<LimitsClient> clients = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Matcher stamp = STAMP.matcher(line);
            if (stamp.matches()) {
                lost.computeIfAbsent(Integer.parseInt(stamp.group(1)), c -> new ArrayList<>()).add(lostMessage(stamp.group(2)));
            }
        }
        for (String line : output.lines().toList()) {
            Matcher client = CLIENT.matcher(line);
            if (client.find()) {
                int id = Integer.parseInt(client.group(1));
                clients.add(new LimitsClient(id, client.group(2).equals("stalled"), Long.parseLong(client.group(3)),
                        lost.getOrDefault(id, List.of()), line.contains(" closed=1")));
            }
        }
        if (clients.isEmpty()) {
            throw new HarnessFailure("sse_count printed no client lines");
        }
        return clients;
    }

    private static LimitsLost lostMessage(String json) {
        try {
            return LimitsLost.of(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("a lost message that is not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        tool.close();
    }
}
