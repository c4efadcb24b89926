package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's GC log written with {@code -Xlog:gc=info,gc+heap=debug:file=F:timemillis,tags}:
 * every pause, and the heap in use after it. The log prints every space of
 * the heap before and after a collection, then the pause line; the last
 * "used" of each space before the pause line is the one after it.
 */
final class GcLog {

    /** A "used" line of one space: {@code [1764851234567ms][gc,heap     ] GC(12)  garbage-first heap   total reserved 262144K, committed 262144K, used 41234K [...]}. */
    private static final Pattern SPACE = Pattern.compile("^\\[(\\d+)ms\\]\\[gc,heap\\s*\\] GC\\((\\d+)\\)\\s+(\\S.*?)\\s+"
            + "total (?:reserved )?(\\d+)K, (?:committed (\\d+)K, )?used (\\d+)K");
    /** {@code [1764851234570ms][gc          ] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 150M->40M(256M) 3.456ms}. */
    private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+)ms\\]\\[gc\\s*\\] GC\\((\\d+)\\) (Pause .*?) "
            + "\\d+M->\\d+M\\(\\d+M\\) ([\\d.]+)ms");

    /**
     * One pause: when it ended (wall clock, ms), its kind ("Pause Young
     * (Normal) (G1 Evacuation Pause)", "Pause Full (System.gc())"...), how
     * long it took, and the KiB in use after it, 0 when the log gives no heap
     * for it (G1's remark and cleanup).
     */
    record Pause(long wallMs, String kind, double ms, long usedAfterKib) {

        boolean full() {
            return kind.startsWith("Pause Full");
        }

        boolean hasHeap() {
            return usedAfterKib > 0;
        }
    }

    private GcLog() {
    }

    static List<Pause> pauses(String log) {
        Map<String, Map<String, Long>> spacesByGc = new HashMap<>();
        List<Pause> pauses = new ArrayList<>();
        for (String line : log.lines().toList()) {
            Matcher space = SPACE.matcher(line);
            if (space.find()) {
                spacesByGc.computeIfAbsent(space.group(2), gc -> new HashMap<>()).put(space.group(3),
                        Long.parseLong(space.group(6)));
                continue;
            }
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                long used = spacesByGc.getOrDefault(pause.group(2), Map.of()).values().stream().mapToLong(Long::longValue)
                        .sum();
                spacesByGc.remove(pause.group(2));
                pauses.add(new Pause(Long.parseLong(pause.group(1)), pause.group(3), Double.parseDouble(pause.group(4)),
                        used));
            }
        }
        return pauses;
    }
}
