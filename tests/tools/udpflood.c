// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: send COUNT UDP datagrams of PAYLOAD bytes to DST_IP:PORT as fast
 * as possible with sendmmsg(), then print what was sent and how long it
 * took. Used by tests/bench-guest.sh to push traffic through devices that
 * pktgen refuses (TEQL masters are ARPHRD_VOID).
 *
 * Usage: udpflood DST_IP PORT PAYLOAD COUNT
 * Output (one line): sent=N elapsed_ns=T errors=E
 * Built on the host by scripts/bench.sh (gcc -O2); never committed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static char payload[65536];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in dst;
	unsigned long long sent = 0, errors = 0, count, t0, t1;
	size_t len;
	int fd, i, sndbuf = 4 << 20;

	if (argc != 5) {
		fprintf(stderr, "usage: %s DST_IP PORT PAYLOAD COUNT\n", argv[0]);
		return 2;
	}
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", argv[1]);
		return 2;
	}
	len = strtoul(argv[3], NULL, 0);
	count = strtoull(argv[4], NULL, 0);
	if (len > sizeof(payload) || count == 0) {
		fprintf(stderr, "bad payload or count\n");
		return 2;
	}
	memset(payload, 0xa5, len);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (connect(fd, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		perror("connect");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = payload;
		iov[i].iov_len = len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now_ns();
	while (sent < count) {
		unsigned int n = count - sent < BATCH ? count - sent : BATCH;
		int r = sendmmsg(fd, msgs, n, 0);

		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
				perror("sendmmsg");
				return 1;
			}
			/* A full queue: count it and try again. */
			errors++;
			if (errors > count) {
				fprintf(stderr, "too many errors\n");
				return 1;
			}
			continue;
		}
		sent += r;
	}
	t1 = now_ns();
	printf("sent=%llu elapsed_ns=%llu errors=%llu\n", sent, t1 - t0, errors);
	close(fd);
	return 0;
}
