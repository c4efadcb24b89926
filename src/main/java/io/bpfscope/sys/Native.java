package io.bpfscope.sys;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * How bpfscope calls C: handles bound here, and calls made through one of
 * the {@code call} methods, each a lambda around {@code invokeExact} (which
 * keeps the handle's exact type, so the JIT links it directly). invokeExact
 * declares {@link Throwable}; a downcall itself throws only errors of the
 * linker, which these methods pass on unchecked.
 */
public final class Native {

    public static final Linker LINKER = Linker.nativeLinker();
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS;
    /** The C library the JVM runs on. */
    public static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Native() {
    }

    /** A downcall returning int. */
    @FunctionalInterface
    public interface IntCall {
        int call() throws Throwable;
    }

    /** A downcall returning long. */
    @FunctionalInterface
    public interface LongCall {
        long call() throws Throwable;
    }

    /** A downcall returning a pointer (or any other object). */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Throwable;
    }

    /**
     * A downcall returning nothing. Write its body as a block,
     * {@code () -> { HANDLE.invokeExact(x); }}: as an expression lambda
     * invokeExact is typed to return Object, and fails at run time.
     */
    @FunctionalInterface
    public interface VoidCall {
        void call() throws Throwable;
    }

    /** A downcall bound with {@link #downcallWithErrno}, given where to capture errno. */
    @FunctionalInterface
    public interface ErrnoCall<T> {
        T call(MemorySegment errno) throws Throwable;
    }

    /** What a downcall returned, and errno as it left it. */
    public record Result<T>(T value, int errno) {
    }

    public static MethodHandle downcall(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(lookup, name), descriptor);
    }

    /** A downcall whose first parameter is where errno is captured: call it with {@link #callWithErrno}. */
    public static MethodHandle downcallWithErrno(SymbolLookup lookup, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(lookup, name), descriptor, all);
    }

    public static int callInt(IntCall call) {
        try {
            return call.call();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long callLong(LongCall call) {
        try {
            return call.call();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static <T> T call(Call<T> call) {
        try {
            return call.call();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void run(VoidCall call) {
        try {
            call.call();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls with a fresh errno capture; returns the result and errno, which means something only on failure. */
    public static <T> Result<T> callWithErrno(ErrnoCall<T> call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment captured = arena.allocate(CAPTURE_LAYOUT);
            T value = call.call(captured);
            return new Result<>(value, (int) ERRNO.get(captured, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** For calls that return -1 and set errno on failure: the result, or a {@link SystemCallException}. */
    public static int checked(String operation, ErrnoCall<Integer> call) {
        Result<Integer> result = callWithErrno(call);
        if (result.value() < 0) {
            throw new SystemCallException(operation, result.errno());
        }
        return result.value();
    }

    /** A C string owned by the library (a name, a message), read without taking ownership; null for NULL. */
    public static String string(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? null : pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    private static MemorySegment symbol(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
