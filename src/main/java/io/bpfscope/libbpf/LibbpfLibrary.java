package io.bpfscope.libbpf;

import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Whether the system libbpf can be used, asked before anything else touches it. */
public final class LibbpfLibrary {

    private LibbpfLibrary() {
    }

    /**
     * Loads libbpf.so.1 and returns its name and version, e.g. "libbpf 1.1";
     * throws {@link IllegalStateException} with the fix when it is missing.
     */
    public static String require() {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(Libbpf.LIBRARY, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(Libbpf.LIBRARY + " not found: install libbpf 1.1 or later"
                    + " (Debian/Ubuntu: apt-get install libbpf1; Fedora/RHEL: dnf install libbpf)", e);
        }
        FunctionDescriptor version = FunctionDescriptor.of(Native.C_INT);
        MethodHandle major = Native.downcall(lookup, "libbpf_major_version", version);
        MethodHandle minor = Native.downcall(lookup, "libbpf_minor_version", version);
        return "libbpf " + Native.callInt(() -> (int) major.invokeExact()) + "."
                + Native.callInt(() -> (int) minor.invokeExact());
    }
}
