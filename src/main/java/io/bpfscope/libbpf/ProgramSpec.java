package io.bpfscope.libbpf;

/** A program of a BPF object: its name and the section, SEC() in C, that says where it attaches. */
public record ProgramSpec(String name, String section) {
}
