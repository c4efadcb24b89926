package io.bpfscope.libbpf;

import static io.bpfscope.sys.Native.C_INT;
import static io.bpfscope.sys.Native.C_POINTER;

import io.bpfscope.sys.Native;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes libbpf's log to the Java logger "io.bpfscope.libbpf" (WARN to
 * WARNING, INFO to INFO, DEBUG to DEBUG), and lets a caller capture what one
 * call logs so a failure can carry it, verifier log included.
 */
public final class LibbpfLog {

    private static final System.Logger LOG = System.getLogger("io.bpfscope.libbpf");
    private static final Level[] LEVELS = {Level.WARNING, Level.INFO, Level.DEBUG};
    private static final MethodHandle VASPRINTF = Native.downcall(Native.LIBC, "vasprintf",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER));
    private static final MethodHandle FREE = Native.downcall(Native.LIBC, "free", FunctionDescriptor.ofVoid(C_POINTER));
    private static final ThreadLocal<Capture> CAPTURE = new ThreadLocal<>();
    private static boolean installed;

    private LibbpfLog() {
    }

    /** libbpf_set_print is not thread-safe: install once, before the first libbpf call that logs. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        MethodHandle print;
        try {
            print = MethodHandles.lookup().findStatic(LibbpfLog.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        MemorySegment callback = Native.LINKER.upcallStub(print,
                FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER), Arena.global());
        MemorySegment libbpfDefault = Native.call(() -> (MemorySegment) Libbpf.SET_PRINT.invokeExact(callback));
        installed = true;
    }

    /** Collects what libbpf logs on this thread until closed; lines not taken by a failure are logged on close. */
    public static Capture capture() {
        Capture capture = new Capture(CAPTURE.get());
        CAPTURE.set(capture);
        return capture;
    }

    /**
     * The upcall. An exception escaping an upcall kills the JVM, so nothing may escape. The
     * va_list is consumed once by vasprintf, which sizes the buffer itself.
     */
    private static int print(int level, MemorySegment format, MemorySegment args) {
        try {
            Level javaLevel = LEVELS[Math.clamp(level, 0, LEVELS.length - 1)];
            Capture capture = CAPTURE.get();
            // A capture keeps warnings for the exception even when the logger would drop them.
            boolean wanted = LOG.isLoggable(javaLevel) || capture != null && javaLevel != Level.DEBUG;
            if (!wanted) {
                return 0;
            }
            String text = format(format, args);
            if (text == null) {
                return 0;
            }
            if (capture != null) {
                capture.add(javaLevel, text);
            } else {
                LOG.log(javaLevel, text);
            }
        } catch (Throwable ignored) {
            // Logging must never take the process down.
        }
        return 0;
    }

    private static String format(MemorySegment format, MemorySegment args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(C_POINTER);
            int length = Native.callInt(() -> (int) VASPRINTF.invokeExact(out, format, args));
            if (length < 0) {
                return null;
            }
            MemorySegment text = out.get(C_POINTER, 0);
            try {
                return text.reinterpret(length + 1L).getString(0).stripTrailing();
            } finally {
                Native.run(() -> { FREE.invokeExact(text); });
            }
        }
    }

    /** What one thread's libbpf calls logged while the capture was open. */
    public static final class Capture implements AutoCloseable {
        private record Line(Level level, String text) {
        }

        private final Capture outer;
        private final List<Line> lines = new ArrayList<>();
        private boolean taken;

        private Capture(Capture outer) {
            this.outer = outer;
        }

        private void add(Level level, String text) {
            lines.add(new Line(level, text));
        }

        /** The captured lines, for an exception: they are then not logged again. */
        public List<String> take() {
            taken = true;
            return lines.stream().map(Line::text).toList();
        }

        @Override
        public void close() {
            CAPTURE.set(outer);
            if (!taken) {
                lines.forEach(line -> LOG.log(line.level(), line.text()));
            }
        }
    }
}
