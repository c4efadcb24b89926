// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Never loaded: it only puts the structs of bpfscope.h into BTF, so a test
 * can compare the Java layouts with what clang laid out. (The programs
 * themselves name no global of these types, so their BTF lacks them.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfscope.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct write_event write_event_layout;
struct exec_event exec_event_layout;
struct exit_event exit_event_layout;
struct probe_config probe_config_layout;
struct count_key count_key_layout;
struct write_count write_count_layout;
struct write_size_tail write_size_tail_layout;
struct write_latency write_latency_layout;
struct write_latency_tail write_latency_tail_layout;
struct write_error_key write_error_key_layout;
struct exec_count exec_count_layout;
struct duration_histogram duration_histogram_layout;
