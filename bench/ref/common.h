/* SPDX-License-Identifier: Apache-2.0 */
/* What the harness's small libbpf programs share: a stop flag set by
 * SIGINT/SIGTERM, and libbpf's log without its debug chatter. */
#ifndef BENCH_REF_COMMON_H
#define BENCH_REF_COMMON_H

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Keep libbpf's warnings and errors (the verifier log among them), drop its
 * debug chatter. */
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

#endif
