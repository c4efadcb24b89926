package io.bpfscope.testing;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Native memory the JVM hands out for FFM arenas (NMT's "Other" category, so
 * the test JVM runs with -XX:NativeMemoryTracking=summary) and open file
 * descriptors, to compare before and after.
 */
public record NativeMemory(long ffmAllocatedKb, int openFileDescriptors) {

    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    public static NativeMemory snapshot() {
        System.gc();
        return new NativeMemory(otherCommittedKb(), Objects.requireNonNull(new File("/proc/self/fd").list()).length);
    }

    private static long otherCommittedKb() {
        try {
            String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher matcher = OTHER.matcher(summary);
            if (!matcher.find()) {
                throw new AssertionError("no 'Other' category in NMT summary; is -XX:NativeMemoryTracking=summary set?\n"
                        + summary);
            }
            return Long.parseLong(matcher.group(2));
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }
}
