package io.bpfscope.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Command;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The heap a JVM still uses after a full collection, asked through jcmd (the attach API, not JMX). */
final class LiveHeap {

    /** "garbage-first heap   total reserved 6172672K, committed 393216K, used 4397K [...]" (G1), or a generation's line. */
    private static final Pattern USED = Pattern.compile("total (?:reserved )?\\d+K, (?:committed \\d+K, )?used (\\d+)K");

    private LiveHeap() {
    }

    /** Bytes used after {@code jcmd PID GC.run}: every space's "used" of {@code GC.heap_info} added up. */
    static long afterFullGc(long pid) {
        jcmd(pid, "GC.run");
        Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
        long kib = 0;
        boolean found = false;
        while (used.find()) {
            kib += Long.parseLong(used.group(1));
            found = true;
        }
        assertThat(found).as("a used figure in GC.heap_info").isTrue();
        return kib * 1024;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Command.run(Path.of("/"), List.of(jcmd.toString(), Long.toString(pid), command));
    }
}
