package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * execve(2) and symlink(2) with byte strings Java cannot pass (it encodes
 * every argument and path from a String), through perl, which Debian always
 * has (perl-base is essential): the bytes go over stdin, NUL-separated, or
 * in hex.
 */
public final class RawExec {

    /** Reads "filename NUL arg0 NUL arg1 ..." from stdin and execs it, in place: the PID stays the process's. */
    private static final String EXEC = "local $/; my @a = split /\\0/, <STDIN>, -1; my $f = shift @a;"
            + " exec { $f } @a; die \"exec: $!\\n\"";

    private RawExec() {
    }

    /** A process that execs {@code filename} with {@code argv}; returns once it has exited successfully. */
    public static Process run(byte[] filename, List<byte[]> argv) {
        try {
            Process perl = new ProcessBuilder("perl", "-e", EXEC)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            ByteArrayOutputStream input = new ByteArrayOutputStream();
            input.write(filename);
            for (byte[] arg : argv) {
                input.write(0);
                input.write(arg);
            }
            try (OutputStream stdin = perl.getOutputStream()) {
                input.writeTo(stdin);
            }
            assertThat(perl.waitFor(30, TimeUnit.SECONDS)).as("exec of %d arguments finished", argv.size()).isTrue();
            assertThat(perl.exitValue()).as("exit status of the exec'd program").isZero();
            return perl;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Makes {@code link} (a path of any bytes) a symbolic link to {@code target}. */
    public static void symlink(byte[] link, Path target) {
        try {
            Process perl = new ProcessBuilder("perl", "-e", "symlink($ARGV[0], pack('H*', $ARGV[1])) or die \"symlink: $!\\n\"",
                    target.toString(), HexFormat.of().formatHex(link))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertThat(perl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(perl.exitValue()).as("exit status of symlink").isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
