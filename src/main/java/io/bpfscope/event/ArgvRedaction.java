package io.bpfscope.event;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules of {@code bpfscope.exec.argv=redacted}. After a name that looks
 * secret ({@link SecretName}), the value is replaced by {@value #MASK}:
 * <ul>
 * <li>{@code NAME=value}, {@code --NAME=value}, {@code -DNAME=value}, also
 *     inside an argument ({@code --from-literal=password=x},
 *     {@code -o user=a,password=b}, {@code ?token=x});
 * <li>{@code --NAME value}: the next argument, unless it starts with a dash
 *     (then it is the next option, and the flag had no value);
 * <li>{@code NAME: value}, an HTTP header ({@code -H 'Authorization: Bearer x'});
 * <li>{@code scheme://user:password@host}: the password alone.
 * </ul>
 * A masked value runs to the end of its argument, so that a value holding
 * spaces or quotes, or a command line passed as one argument
 * ({@code sh -c 'mysql --password hunter2 db'}), is never shown in part.
 * Short options ({@code -p hunter2}, {@code -phunter2}, {@code curl -u a:b})
 * are left alone: what a letter means differs from program to program.
 */
final class ArgvRedaction {

    static final String MASK = "***";
    /** {@link #secretFrom}: no secret in the argument. */
    private static final int NONE = -1;
    /** {@link #secretFrom}: the argument ends with a secret flag, whose value is the next argument. */
    private static final int NEXT = -2;

    private ArgvRedaction() {
    }

    /** argv with its secrets masked; the same list when it holds none. */
    static List<String> redact(List<String> argv) {
        List<String> shown = new ArrayList<>(argv.size());
        boolean changed = false;
        boolean valueNext = false;
        for (String arg : argv) {
            String text;
            if (valueNext && !arg.startsWith("-")) {
                text = arg.isEmpty() ? arg : MASK;
                valueNext = false;
            } else {
                text = withoutUrlPasswords(arg);
                int from = secretFrom(text);
                valueNext = from == NEXT;
                if (from >= 0) {
                    text = text.substring(0, from) + MASK;
                }
            }
            changed |= text != arg;
            shown.add(text);
        }
        return changed ? shown : argv;
    }

    /** Where the first secret value in arg starts, or {@link #NEXT}, or {@link #NONE}. */
    private static int secretFrom(String arg) {
        int length = arg.length();
        int wordStart = 0;
        for (int i = 0; i <= length; i++) {
            char c = i < length ? arg.charAt(i) : ' ';
            if (c == '=' && i + 1 < length && isSecretAssignment(arg, i)) {
                return i + 1;
            }
            if (c == ':' && i + 1 < length && Character.isWhitespace(arg.charAt(i + 1))
                    && SecretName.isSecret(withoutDashes(arg.substring(nameStart(arg, i), i)))) {
                int value = skipWhitespace(arg, i + 1);
                if (value < length) {
                    return value;
                }
            }
            if (Character.isWhitespace(c)) {
                if (isSecretFlag(arg, wordStart, i)) {
                    int value = skipWhitespace(arg, i);
                    return value < length ? value : NEXT;
                }
                wordStart = i + 1;
            }
        }
        return NONE;
    }

    /** The name before the '=' at eq; with one dash, {@code -DNAME} also counts as NAME (Java properties, C macros). */
    private static boolean isSecretAssignment(String arg, int eq) {
        String run = arg.substring(nameStart(arg, eq), eq);
        String name = withoutDashes(run);
        if (SecretName.isSecret(name)) {
            return true;
        }
        return run.length() - name.length() == 1 && name.length() > 1 && SecretName.isSecret(name.substring(1));
    }

    /** {@code -NAME} or {@code --NAME} as a whole word, NAME secret. */
    private static boolean isSecretFlag(String arg, int from, int to) {
        if (to - from < 2 || arg.charAt(from) != '-' || nameStart(arg, to) != from) {
            return false;
        }
        String name = withoutDashes(arg.substring(from, to));
        return !name.isEmpty() && SecretName.isSecret(name);
    }

    /** Start of the run of name characters (letters, digits, _ . -) that ends before end. */
    private static int nameStart(String arg, int end) {
        int start = end;
        while (start > 0 && isNameChar(arg.charAt(start - 1))) {
            start--;
        }
        return start;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
    }

    private static String withoutDashes(String name) {
        int dashes = 0;
        while (dashes < name.length() && name.charAt(dashes) == '-') {
            dashes++;
        }
        return name.substring(dashes);
    }

    private static int skipWhitespace(String arg, int from) {
        int i = from;
        while (i < arg.length() && Character.isWhitespace(arg.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code scheme://user:password@host} becomes {@code scheme://user:***@host}, for every URL in arg. */
    private static String withoutUrlPasswords(String arg) {
        int scheme = arg.indexOf("://");
        if (scheme < 0) {
            return arg;
        }
        StringBuilder shown = new StringBuilder(arg.length());
        int copied = 0;
        while (scheme >= 0) {
            int authority = scheme + 3;
            int end = authority;
            while (end < arg.length() && "/?#".indexOf(arg.charAt(end)) < 0 && !Character.isWhitespace(arg.charAt(end))) {
                end++;
            }
            // The last @: a password with an unescaped @ in it is still masked whole.
            int at = arg.lastIndexOf('@', end - 1);
            int colon = arg.indexOf(':', authority);
            if (at >= authority && colon >= 0 && colon + 1 < at) {
                shown.append(arg, copied, colon + 1).append(MASK);
                copied = at;
            }
            scheme = arg.indexOf("://", end);
        }
        return copied == 0 ? arg : shown.append(arg, copied, arg.length()).toString();
    }
}
