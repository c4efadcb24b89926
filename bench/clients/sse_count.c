// SPDX-License-Identifier: Apache-2.0
/*
 * sse_count: many Server-Sent Events clients in one process, counting what
 * each receives. The fan-out client of the bpfscope benchmark harness.
 *
 * Opens READERS + STALLED connections to http://127.0.0.1:PORT/PATH (loopback
 * only), each a plain HTTP/1.1 GET, and follows each stream: HTTP headers,
 * chunked transfer coding, SSE lines. Per connection it counts `event:`
 * lines by type, `lost` messages and the events they say were lost (the
 * `count` of their data). It does no other work per event, so one thread
 * keeps up with many fast streams.
 *
 * Once every connection has received its response headers and the stream's
 * first bytes (the server has subscribed it), it prints "ready" on stdout.
 * From then on the READERS read everything as fast as they can; the STALLED
 * connections are read no more (not even polled), so the server sees a
 * client that stopped reading and their socket buffers fill up.
 *
 * On SIGUSR1 (the harness: "the stream is over") it keeps reading the
 * readers until each has EXPECTED events (-e) or has been silent for IDLE
 * ms, then reads the stalled connections again until each has been silent
 * for IDLE ms, so their `lost` messages arrive, and prints one line per
 * connection and a summary:
 *
 *   client=3 role=reader bytes=... events=500001 write=500001 exec=0 lost_msgs=0 lost_events=0
 *   client=64 role=stalled ... first_lost={"type":"lost","count":...}
 *   summary readers=64 reader_min=500001 reader_max=500001 stalled=1 stalled_events=... stalled_lost_events=... stalled_lost_msgs=... cpu_ms=...
 *
 * cpu_ms is this process's own CPU time (user + system), to tell a slow
 * client from a slow server.
 *
 * SIGTERM/SIGINT or the -T deadline print the same at once (exit 1 for the
 * deadline). Exit 2 on a usage error, 3 when a connection fails or the
 * server answers something else than 200.
 *
 * With -m MARKER, every data line that contains MARKER, and every `lost`
 * message's, is also printed as it arrives, with the message's id and the
 * wall-clock time (CLOCK_REALTIME, ns) of the recv that completed it, so
 * the harness can take each event's delivery latency from its own "time"
 * and tell a missed event that the client was told about from one it was
 * not:
 *
 *   stamp client=3 rx_ns=1795301859123456789 id=4711 {"type":"exec",...}
 *   stamp client=3 rx_ns=1795301859123456789 id=5000 {"type":"lost","count":12,"fromId":4989,"toId":5000}
 *
 * With -t CAFILE every connection speaks HTTPS: a TLS handshake (OpenSSL)
 * that must verify the server's certificate for 127.0.0.1 against the CAs
 * in CAFILE, before the request, then the stream read through TLS.
 *
 * usage: sse_count -p PORT -u PATH [-n READERS] [-s STALLED] [-e EXPECTED]
 *                  [-i IDLE_MS] [-T SECONDS] [-m MARKER] [-t CAFILE]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_KEPT 1024 /* longer lines are only classified by their start */
#define RX_BUF (1 << 20)

enum body_state { HEADERS, CHUNK_SIZE, CHUNK_SIZE_LF, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, IDENTITY, DONE };

struct conn {
	int id;
	int fd;
	SSL *ssl;        /* with -t */
	int stalled;
	int ready;       /* headers done and some body seen */
	int closed;      /* EOF or error */
	int in_epoll;
	enum body_state state;
	unsigned long long chunk_left;
	char hdr[4096];
	size_t hdr_len;
	char line[LINE_MAX_KEPT];
	size_t line_len;
	int line_cut;
	int after_lost_event; /* the previous event: line said lost */
	unsigned long long last_id; /* of the message being read, for -m stamps */
	unsigned long long bytes, events, write, exec, other, lost_msgs, lost_events;
	char first_lost[256];
	uint64_t last_rx_ns;
	uint64_t last_rx_real_ns; /* CLOCK_REALTIME, for -m stamps */
};

static volatile sig_atomic_t finish_requested, stop_requested;
static const char *marker; /* -m: data lines containing it are stamped */

static void on_usr1(int sig) { (void)sig; finish_requested = 1; }
static void on_stop(int sig) { (void)sig; stop_requested = 1; }

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static void usage(void)
{
	fprintf(stderr, "usage: sse_count -p PORT -u PATH [-n READERS] [-s STALLED] [-e EXPECTED] [-i IDLE_MS] [-T SECONDS] [-m MARKER] [-t CAFILE]\n");
	exit(2);
}

static unsigned long long number(const char *opt, const char *s, int allow_zero)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || (!allow_zero && v == 0)) {
		fprintf(stderr, "sse_count: %s wants a %s integer, got '%s'\n", opt, allow_zero ? "non-negative" : "positive", s);
		exit(2);
	}
	return v;
}

/* One complete SSE line (without its newline). */
static void on_line(struct conn *c, const char *l, size_t n)
{
	if (marker && n >= 4 && memcmp(l, "id: ", 4) == 0)
		c->last_id = strtoull(l + 4, NULL, 10);
	if (marker && n >= 6 && memcmp(l, "data: ", 6) == 0 && (c->after_lost_event || memmem(l, n, marker, strlen(marker))))
		printf("stamp client=%d rx_ns=%llu id=%llu %.*s\n", c->id, (unsigned long long)c->last_rx_real_ns,
		       c->last_id, (int)(n - 6), l + 6);
	if (n >= 7 && memcmp(l, "event: ", 7) == 0) {
		const char *t = l + 7;
		size_t tn = n - 7;
		c->after_lost_event = 0;
		if (tn == 5 && memcmp(t, "write", 5) == 0) {
			c->events++;
			c->write++;
		} else if (tn == 4 && memcmp(t, "exec", 4) == 0) {
			c->events++;
			c->exec++;
		} else if (tn == 4 && memcmp(t, "lost", 4) == 0) {
			c->lost_msgs++;
			c->after_lost_event = 1;
		} else {
			c->events++;
			c->other++;
		}
	} else if (c->after_lost_event && n >= 6 && memcmp(l, "data: ", 6) == 0) {
		/* {"type":"lost","count":N,...}: the line is short, so kept whole. */
		const char *p = memmem(l, n, "\"count\":", 8);
		if (p)
			c->lost_events += strtoull(p + 8, NULL, 10);
		if (c->first_lost[0] == '\0') {
			size_t k = n - 6 < sizeof(c->first_lost) - 1 ? n - 6 : sizeof(c->first_lost) - 1;
			memcpy(c->first_lost, l + 6, k);
			c->first_lost[k] = '\0';
		}
		c->after_lost_event = 0;
	}
}

/* Body bytes, after the transfer coding is taken off. */
static void on_body(struct conn *c, const char *p, size_t n)
{
	if (n)
		c->ready = 1;
	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		if (!c->line_cut) {
			size_t room = sizeof(c->line) - c->line_len;
			if (take > room) {
				/* Keep the start (enough to classify it), drop the rest. */
				memcpy(c->line + c->line_len, p, room);
				c->line_len += room;
				c->line_cut = 1;
			} else {
				memcpy(c->line + c->line_len, p, take);
				c->line_len += take;
			}
		}
		if (!nl)
			return;
		on_line(c, c->line, c->line_len);
		c->line_len = 0;
		c->line_cut = 0;
		p = nl + 1;
		n -= take + 1;
	}
}

static void fail(const char *what, int i)
{
	fprintf(stderr, "sse_count: connection %d: %s\n", i, what);
	exit(3);
}

/* Raw bytes from the socket. */
static void on_bytes(struct conn *c, int i, const char *p, size_t n)
{
	while (n) {
		switch (c->state) {
		case HEADERS: {
			/* Byte by byte into hdr until the blank line: headers are small. */
			if (c->hdr_len >= sizeof(c->hdr) - 1)
				fail("response headers too long", i);
			c->hdr[c->hdr_len++] = *p++;
			n--;
			c->hdr[c->hdr_len] = '\0';
			if (c->hdr_len >= 4 && memcmp(c->hdr + c->hdr_len - 4, "\r\n\r\n", 4) == 0) {
				if (strncmp(c->hdr, "HTTP/1.1 200", 12) != 0 && strncmp(c->hdr, "HTTP/1.0 200", 12) != 0) {
					char *eol = strstr(c->hdr, "\r\n");
					if (eol)
						*eol = '\0';
					fprintf(stderr, "sse_count: connection %d: server answered '%s'\n", i, c->hdr);
					exit(3);
				}
				c->state = strcasestr(c->hdr, "\r\ntransfer-encoding: chunked") ? CHUNK_SIZE : IDENTITY;
			}
			break;
		}
		case CHUNK_SIZE: {
			char ch = *p++;
			n--;
			if (ch == '\r') {
				c->state = CHUNK_SIZE_LF;
			} else if (ch == ';') {
				/* chunk extensions: none expected, skipped up to CR */
			} else {
				int v = (ch >= '0' && ch <= '9') ? ch - '0'
				      : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
				      : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10 : -1;
				if (v < 0)
					fail("bad chunk size", i);
				c->chunk_left = c->chunk_left * 16 + (unsigned)v;
			}
			break;
		}
		case CHUNK_SIZE_LF:
			if (*p != '\n')
				fail("bad chunk size line", i);
			p++;
			n--;
			if (c->chunk_left == 0) {
				c->state = DONE;
				c->closed = 1;
				return;
			}
			c->state = CHUNK_DATA;
			break;
		case CHUNK_DATA: {
			size_t take = n < c->chunk_left ? n : (size_t)c->chunk_left;
			on_body(c, p, take);
			p += take;
			n -= take;
			c->chunk_left -= take;
			if (c->chunk_left == 0)
				c->state = CHUNK_DATA_CR;
			break;
		}
		case CHUNK_DATA_CR:
			if (*p != '\r')
				fail("chunk not followed by CRLF", i);
			p++;
			n--;
			c->state = CHUNK_DATA_LF;
			break;
		case CHUNK_DATA_LF:
			if (*p != '\n')
				fail("chunk not followed by CRLF", i);
			p++;
			n--;
			c->state = CHUNK_SIZE;
			break;
		case IDENTITY:
			on_body(c, p, n);
			return;
		case DONE:
			return;
		}
	}
}

static int epfd;

static void watch(struct conn *c, int i, int on)
{
	if (on == c->in_epoll || c->closed)
		return;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
	if (epoll_ctl(epfd, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, c->fd, &ev) != 0) {
		perror("sse_count: epoll_ctl");
		exit(3);
	}
	c->in_epoll = on;
}

/*
 * One read without blocking: > 0 bytes, 0 at the end of the stream, -1
 * with errno EAGAIN when nothing is there. TLS hands over one record at a
 * time and may hold decrypted bytes the socket no longer shows, so a TLS
 * connection is read until it says it wants more.
 */
static ssize_t receive(struct conn *c, char *buf)
{
	if (!c->ssl)
		return recv(c->fd, buf, RX_BUF, MSG_DONTWAIT);
	int r = SSL_read(c->ssl, buf, RX_BUF);
	if (r > 0)
		return r;
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		errno = EIO;
		return -1;
	}
}

/* Reads what one connection has, without blocking. */
static void pump(struct conn *c, int i, char *buf)
{
	for (;;) {
		ssize_t r = receive(c, buf);
		if (r > 0) {
			c->bytes += (size_t)r;
			c->last_rx_ns = now_ns();
			c->last_rx_real_ns = clock_ns(CLOCK_REALTIME);
			on_bytes(c, i, buf, (size_t)r);
			if (c->closed)
				break;
			if (r < RX_BUF && !c->ssl)
				return;
			continue;
		}
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (r < 0 && errno == EINTR)
			continue;
		c->closed = 1; /* EOF or error: this stream is over */
		break;
	}
	watch(c, i, 0);
}

/* Waits up to ms for events and reads what came. */
static void poll_once(struct conn *conns, char *buf, int ms)
{
	struct epoll_event evs[128];
	int n = epoll_wait(epfd, evs, 128, ms);
	if (n < 0 && errno != EINTR) {
		perror("sse_count: epoll_wait");
		exit(3);
	}
	for (int k = 0; k < n; k++) {
		int i = (int)evs[k].data.u32;
		pump(&conns[i], i, buf);
	}
}

static void report(struct conn *conns, int total)
{
	unsigned long long rmin = ~0ull, rmax = 0, se = 0, sl = 0, sm = 0;
	int readers = 0, stalled = 0;
	for (int i = 0; i < total; i++) {
		struct conn *c = &conns[i];
		printf("client=%d role=%s bytes=%llu events=%llu write=%llu exec=%llu lost_msgs=%llu lost_events=%llu%s%s%s\n",
		       i, c->stalled ? "stalled" : "reader", c->bytes, c->events, c->write, c->exec,
		       c->lost_msgs, c->lost_events, c->closed ? " closed=1" : "",
		       c->first_lost[0] ? " first_lost=" : "", c->first_lost);
		if (c->stalled) {
			stalled++;
			se += c->events;
			sl += c->lost_events;
			sm += c->lost_msgs;
		} else {
			readers++;
			if (c->events < rmin)
				rmin = c->events;
			if (c->events > rmax)
				rmax = c->events;
		}
	}
	if (!readers)
		rmin = 0;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long long cpu_ms = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			   (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
	printf("summary readers=%d reader_min=%llu reader_max=%llu stalled=%d stalled_events=%llu stalled_lost_events=%llu stalled_lost_msgs=%llu cpu_ms=%lld\n",
	       readers, rmin, rmax, stalled, se, sl, sm, cpu_ms);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int port = 0, readers = 1, stalled = 0, idle_ms = 2000, opt;
	unsigned long long expected = 0, deadline_s = 600;
	const char *path = NULL, *cafile = NULL;

	while ((opt = getopt(argc, argv, "p:u:n:s:e:i:T:m:t:h")) != -1) {
		switch (opt) {
		case 'p': port = (int)number("-p", optarg, 0); break;
		case 'u': path = optarg; break;
		case 'n': readers = (int)number("-n", optarg, 1); break;
		case 's': stalled = (int)number("-s", optarg, 1); break;
		case 'e': expected = number("-e", optarg, 1); break;
		case 'i': idle_ms = (int)number("-i", optarg, 0); break;
		case 'T': deadline_s = number("-T", optarg, 0); break;
		case 'm': marker = optarg; break;
		case 't': cafile = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || !port || port > 65535 || !path || path[0] != '/' || readers + stalled < 1 || readers + stalled > 4096)
		usage();

	struct sigaction sa = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int total = readers + stalled;
	struct conn *conns = calloc((size_t)total, sizeof(*conns));
	char *buf = malloc(RX_BUF);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!conns || !buf || epfd < 0) {
		perror("sse_count: setup");
		return 3;
	}
	uint64_t deadline = now_ns() + deadline_s * 1000000000ull;

	char req[2048];
	int reqlen = snprintf(req, sizeof(req),
			      "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\nUser-Agent: sse_count\r\n\r\n",
			      path, port);
	if (reqlen <= 0 || reqlen >= (int)sizeof(req))
		usage();
	SSL_CTX *tls = NULL;
	if (cafile) {
		tls = SSL_CTX_new(TLS_client_method());
		if (!tls || SSL_CTX_load_verify_locations(tls, cafile, NULL) != 1) {
			fprintf(stderr, "sse_count: cannot read the CAs in %s\n", cafile);
			return 3;
		}
		SSL_CTX_set_verify(tls, SSL_VERIFY_PEER, NULL);
	}
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < total; i++) {
		struct conn *c = &conns[i];
		c->id = i;
		c->stalled = i >= readers; /* the last STALLED connections */
		c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->fd < 0)
			fail(strerror(errno), i);
		if (connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			fail(strerror(errno), i);
		int one = 1;
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (tls) {
			/* Handshake and request on the blocking socket; reads never block (receive). */
			c->ssl = SSL_new(tls);
			if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) || !SSL_set1_host(c->ssl, "127.0.0.1"))
				fail("cannot set up TLS", i);
			if (SSL_connect(c->ssl) != 1) {
				char why[256];
				ERR_error_string_n(ERR_get_error(), why, sizeof(why));
				fail(why, i);
			}
			if (SSL_write(c->ssl, req, reqlen) != reqlen)
				fail("could not send the request", i);
			if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) != 0)
				fail(strerror(errno), i);
		} else if (send(c->fd, req, (size_t)reqlen, MSG_NOSIGNAL) != reqlen) {
			fail("could not send the request", i);
		}
		watch(c, i, 1);
	}

	/* Until every stream has begun. */
	for (;;) {
		int ready = 0;
		for (int i = 0; i < total; i++) {
			if (conns[i].closed)
				fail("closed before the stream began", i);
			ready += conns[i].ready;
		}
		if (ready == total)
			break;
		if (stop_requested || now_ns() > deadline) {
			report(conns, total);
			return 1;
		}
		poll_once(conns, buf, 100);
	}
	for (int i = 0; i < total; i++)
		if (conns[i].stalled)
			watch(&conns[i], i, 0);
	printf("ready\n");
	fflush(stdout);

	/* Phase 1: readers read, until the harness says the stream is over. */
	while (!finish_requested && !stop_requested && now_ns() < deadline)
		poll_once(conns, buf, 100);

	/* Phase 2: readers until complete or silent. */
	while (!stop_requested && now_ns() < deadline) {
		uint64_t t = now_ns();
		int busy = 0;
		for (int i = 0; i < total; i++) {
			struct conn *c = &conns[i];
			if (c->stalled || c->closed)
				continue;
			if (expected && c->events >= expected)
				continue;
			if (t - c->last_rx_ns < (uint64_t)idle_ms * 1000000ull)
				busy = 1;
		}
		if (!busy)
			break;
		poll_once(conns, buf, 50);
	}

	/* Phase 3: the stalled connections read again until silent. */
	uint64_t resumed = now_ns();
	for (int i = 0; i < total; i++)
		if (conns[i].stalled) {
			conns[i].last_rx_ns = resumed;
			watch(&conns[i], i, 1);
			pump(&conns[i], i, buf);
		}
	while (!stop_requested && now_ns() < deadline) {
		uint64_t t = now_ns();
		int busy = 0;
		for (int i = 0; i < total; i++) {
			struct conn *c = &conns[i];
			if (c->stalled && !c->closed && t - c->last_rx_ns < (uint64_t)idle_ms * 1000000ull)
				busy = 1;
		}
		if (!busy)
			break;
		poll_once(conns, buf, 50);
	}

	report(conns, total);
	for (int i = 0; i < total; i++)
		close(conns[i].fd);
	return now_ns() < deadline || stop_requested ? 0 : 1;
}
