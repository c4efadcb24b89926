package io.bpfscope.event;

import io.bpfscope.attribution.Container;
import io.bpfscope.attribution.Workload;
import java.util.Optional;

/**
 * The {@code data:} of an /events message, and a line of the export: one
 * JSON object per event, written by hand because it runs for every event
 * streamed. Strings come from the kernel (already valid UTF-16, bad bytes
 * replaced) and are escaped here, so the result is always valid JSON on one
 * line.
 */
public final class EventJson {

    private final WallClock clock;
    private final String node;

    public EventJson(WallClock clock, String node) {
        this.clock = clock;
        this.node = node;
    }

    /** An event, or word of a loss before the hub. */
    public String encode(Message message) {
        return switch (message) {
            case Event event -> encode(event);
            case Loss loss -> encode(loss);
        };
    }

    public String encode(Event event) {
        StringBuilder json = new StringBuilder(event instanceof ExecEvent exec ? 256 + exec.filename().length() : 160);
        json.append("{\"type\":\"").append(event.type().wireName()).append('"');
        json.append(",\"time\":\"").append(clock.rfc3339(event.bootNs())).append('"');
        json.append(",\"node\":");
        string(json, node);
        json.append(",\"pid\":").append(event.pid());
        json.append(",\"tid\":").append(event.tid());
        json.append(",\"comm\":");
        string(json, event.comm());
        json.append(",\"cgroupId\":\"").append(Long.toUnsignedString(event.cgroupId())).append('"');
        switch (event) {
            case WriteEvent write -> {
                json.append(",\"fd\":").append(write.fd());
                json.append(",\"count\":").append(write.count());
            }
            case ExecEvent exec -> {
                json.append(",\"ppid\":").append(exec.ppid());
                json.append(",\"uid\":").append(Integer.toUnsignedLong(exec.uid()));
                json.append(",\"gid\":").append(Integer.toUnsignedLong(exec.gid()));
                json.append(",\"filename\":");
                string(json, exec.filename());
                json.append(",\"filenameTruncated\":").append(exec.filenameTruncated());
                json.append(",\"argv\":[");
                for (int i = 0; i < exec.argv().size(); i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    string(json, exec.argv().get(i));
                }
                json.append("],\"argvTruncated\":").append(exec.argvTruncated());
                json.append(",\"ret\":").append(exec.ret());
            }
            case ExitEvent exit -> {
                json.append(",\"ppid\":").append(exit.ppid());
                json.append(",\"uid\":").append(Integer.toUnsignedLong(exit.uid()));
                json.append(",\"result\":\"").append(exit.result().label()).append('"');
                json.append(",\"exitCode\":");
                exit.exitCode().ifPresentOrElse(json::append, () -> json.append("null"));
                json.append(",\"signal\":");
                if (exit.signal() == 0) {
                    json.append("null");
                } else {
                    json.append('"').append(SignalName.of(exit.signal())).append('"');
                }
                json.append(",\"coreDumped\":").append(exit.coreDumped());
                json.append(",\"durationNs\":").append(exit.durationNs());
            }
        }
        workload(json, event.workload());
        return json.append('}').toString();
    }

    /**
     * Word of a loss before the hub. Its count covers every event of its type
     * lost there ({@code "scope":"type"}): the records were never read, so no
     * filter but the type could be applied to them.
     */
    public String encode(Loss loss) {
        StringBuilder json = lostHead(loss.seenNanos(), loss.cause().stage(), loss.cause().reason());
        json.append(",\"eventType\":\"").append(loss.type().wireName()).append('"');
        json.append(",\"scope\":\"type\",\"count\":").append(loss.count());
        return json.append('}').toString();
    }

    /**
     * Word of {@code count} messages of every type ({@code "scope":"stream"})
     * a reader of the hub missed, or of an unknown number (a negative
     * {@code count}, sent as null).
     */
    public String gap(LossStage stage, String reason, long count) {
        return gapHead(stage, reason, count).append('}').toString();
    }

    /** The same for a window of the stream named by its first and last ids. */
    public String window(LossStage stage, String reason, long count, long fromId, long toId) {
        StringBuilder json = gapHead(stage, reason, count);
        json.append(",\"fromId\":").append(Long.toUnsignedString(fromId));
        json.append(",\"toId\":").append(Long.toUnsignedString(toId));
        return json.append('}').toString();
    }

    private StringBuilder gapHead(LossStage stage, String reason, long count) {
        StringBuilder json = lostHead(WallClock.nowEpochNanos(), stage, reason);
        return json.append(",\"scope\":\"stream\",\"count\":").append(count < 0 ? "null" : Long.toString(count));
    }

    private StringBuilder lostHead(long epochNanos, LossStage stage, String reason) {
        StringBuilder json = new StringBuilder(192);
        json.append("{\"type\":\"lost\",\"time\":\"").append(WallClock.rfc3339Epoch(epochNanos)).append('"');
        json.append(",\"node\":");
        string(json, node);
        json.append(",\"stage\":\"").append(stage.wireName()).append("\",\"reason\":\"").append(reason).append('"');
        return json;
    }

    /** "container" and "pod", each null where there is none. */
    private static void workload(StringBuilder json, Optional<Workload> workload) {
        json.append(",\"container\":");
        if (workload.isEmpty()) {
            json.append("null,\"pod\":null");
            return;
        }
        Container container = workload.get().container();
        object(json, "id", container.id(), "name", container.name(), "image", container.image(),
                "runtime", container.runtime().wireName());
        json.append(",\"pod\":");
        workload.get().pod().ifPresentOrElse(
                pod -> object(json, "name", pod.name(), "namespace", pod.namespace(), "uid", pod.uid()),
                () -> json.append("null"));
    }

    /** An object of string members, given as name, value, name, value... */
    private static void object(StringBuilder json, String... members) {
        json.append('{');
        for (int i = 0; i < members.length; i += 2) {
            json.append(i == 0 ? "\"" : ",\"").append(members[i]).append("\":");
            string(json, members[i + 1]);
        }
        json.append('}');
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    public static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
