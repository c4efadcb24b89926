package io.bpfscope.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether the name of a flag, variable, property or header says that its
 * value is a secret. Names are read as words, split at anything that is not
 * a letter and at camelCase steps ({@code DB_PASSWORD}, {@code api-key},
 * {@code apiKey}, {@code APIKey}, {@code keyStorePassword}), so that
 * {@code --keyboard} or {@code --monkey} hold no "key". Matching whole words
 * rather than substrings is what keeps those, and {@code --tokenizer} or
 * {@code --max-tokens}, unmasked.
 */
final class SecretName {

    /** Words that name a secret only as whole words: "monkey", "bypass" and "OLDPWD" do not. */
    private static final Set<String> WORDS = Set.of("key", "pass", "pwd", "cookie", "credential", "credentials",
            "authorization");
    /** Words that name a secret at the end of a longer word too: PGPASSWORD, authtoken, clientsecret. */
    private static final List<String> ENDINGS = List.of("password", "passwd", "passphrase", "token", "secret", "apikey");
    /**
     * A last word that says where the secret is rather than what it is:
     * {@code --password-file /run/secrets/db}, {@code --key-file},
     * {@code docker login --password-stdin}. Their values are kept.
     */
    private static final Set<String> REFERENCES = Set.of("file", "path", "dir", "fd", "stdin");

    private SecretName() {
    }

    static boolean isSecret(String name) {
        List<String> words = words(name);
        if (words.isEmpty() || REFERENCES.contains(words.getLast())) {
            return false;
        }
        for (String word : words) {
            if (WORDS.contains(word) || ENDINGS.stream().anyMatch(word::endsWith)) {
                return true;
            }
        }
        return false;
    }

    /** The name's words, lower-cased. */
    static List<String> words(String name) {
        List<String> words = new ArrayList<>(4);
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            boolean letter = i < name.length() && Character.isLetter(name.charAt(i));
            if (start >= 0 && (!letter || startsWord(name, i))) {
                words.add(name.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
            if (letter && start < 0) {
                start = i;
            }
        }
        return words;
    }

    /** A camelCase step: "apiKey" at K, and "APIKey" at K (the last capital of a run followed by a small letter). */
    private static boolean startsWord(String name, int i) {
        char c = name.charAt(i);
        char before = name.charAt(i - 1);
        if (!Character.isUpperCase(c) || !Character.isLetter(before)) {
            return false;
        }
        return Character.isLowerCase(before)
                || i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
    }
}
