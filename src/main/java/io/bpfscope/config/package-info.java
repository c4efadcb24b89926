/**
 * Converters that check configuration values as they are read, so a bad
 * value stops the daemon before anything starts, with the key named.
 *
 * <p>Depends on no other bpfscope package.
 */
package io.bpfscope.config;
