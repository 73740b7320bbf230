/*
 * udp-blast: a fixed-rate stream of numbered, timestamped UDP packets, for the
 * delay bench (the node-script stream of udp-stream.ts cannot send or receive
 * more than a few thousand packets a second on this machine).
 *
 *   udp-blast recv PORT             prints one summary line when the stream ends
 *   udp-blast send HOST PORT RATE COUNT SIZE
 *
 * The sender says "helo" every 20 ms until the receiver answers, then sends
 * COUNT packets of SIZE bytes (at least 16: "data", seq, CLOCK_MONOTONIC ns),
 * packet i at t0 + i / RATE, then "end!". The receiver stops 500 ms after
 * "end!" and prints: sent-unknown, unique, duplicates, reordered and the
 * one-way delay percentiles p50 p90 p99 max in microseconds (sender and
 * receiver must share the clock: netns nodes on one host do).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int do_recv(int port) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int size = 32 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("udp-blast: bind");
    return 1;
  }
  size_t cap = 1 << 16, n = 0;
  uint64_t *delays = malloc(cap * sizeof *delays);
  size_t seen_cap = 1 << 16;
  unsigned char *seen = calloc(seen_cap, 1);
  uint64_t unique = 0, dups = 0, reordered = 0;
  int64_t highest = -1;
  uint64_t end_at = 0;
  unsigned char buf[65536];
  for (;;) {
    int timeout = -1;
    if (end_at) {
      uint64_t now = mono_ns();
      if (now >= end_at) break;
      timeout = (int)((end_at - now) / 1000000) + 1;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, timeout) <= 0) continue;
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    ssize_t len = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
    if (len < 4) continue;
    uint64_t now = mono_ns();
    if (memcmp(buf, "helo", 4) == 0) {
      sendto(fd, "ok", 2, 0, (struct sockaddr *)&from, fl);
      continue;
    }
    if (memcmp(buf, "end!", 4) == 0) {
      if (!end_at) end_at = now + 500000000ull;
      continue;
    }
    if (len < 16 || memcmp(buf, "data", 4) != 0) continue;
    uint32_t seq;
    uint64_t sent;
    memcpy(&seq, buf + 4, 4);
    memcpy(&sent, buf + 8, 8);
    while (seq >= seen_cap) {
      seen = realloc(seen, seen_cap * 2);
      memset(seen + seen_cap, 0, seen_cap);
      seen_cap *= 2;
    }
    if (seen[seq]) {
      dups++;
      continue;
    }
    seen[seq] = 1;
    unique++;
    if ((int64_t)seq < highest) reordered++;
    else highest = seq;
    if (n == cap) delays = realloc(delays, (cap *= 2) * sizeof *delays);
    delays[n++] = now > sent ? now - sent : 0;
  }
  qsort(delays, n, sizeof *delays, cmp_u64);
#define PCT(p) (n ? delays[(size_t)((double)(n - 1) * (p))] / 1000 : 0)
  printf("unique=%llu duplicates=%llu reordered=%llu p50_us=%llu p90_us=%llu p99_us=%llu max_us=%llu\n",
         (unsigned long long)unique, (unsigned long long)dups, (unsigned long long)reordered,
         (unsigned long long)PCT(0.5), (unsigned long long)PCT(0.9), (unsigned long long)PCT(0.99),
         (unsigned long long)PCT(1.0));
  return 0;
}

static int do_send(const char *host, int port, double rate, long count, int size) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, host, &to.sin_addr) != 1) {
    fprintf(stderr, "udp-blast: bad address %s\n", host);
    return 2;
  }
  if (connect(fd, (struct sockaddr *)&to, sizeof to) < 0) {
    perror("udp-blast: connect");
    return 1;
  }
  for (;;) { /* hello until the receiver answers */
    send(fd, "helo", 4, 0);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 20) > 0) {
      char ok[8];
      if (recv(fd, ok, sizeof ok, 0) >= 2) break;
    }
  }
  unsigned char buf[65536];
  if (size < 16) size = 16;
  memset(buf, 0x5a, (size_t)size);
  memcpy(buf, "data", 4);
  uint64_t t0 = mono_ns();
  for (long i = 0; i < count;) {
    uint64_t now = mono_ns();
    uint64_t due = t0 + (uint64_t)((double)i * 1e9 / rate);
    if (due > now) {
      struct timespec ts = {.tv_sec = (time_t)(due / 1000000000ull), .tv_nsec = (long)(due % 1000000000ull)};
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
      continue;
    }
    uint32_t seq = (uint32_t)i;
    uint64_t stamp = mono_ns();
    memcpy(buf + 4, &seq, 4);
    memcpy(buf + 8, &stamp, 8);
    send(fd, buf, (size_t)size, 0);
    i++;
  }
  usleep(50000);
  for (int k = 0; k < 3; k++) send(fd, "end!", 4, 0);
  printf("sent=%ld seconds=%.3f\n", count, (double)(mono_ns() - t0) / 1e9);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 3 && strcmp(argv[1], "recv") == 0) return do_recv(atoi(argv[2]));
  if (argc == 7 && strcmp(argv[1], "send") == 0)
    return do_send(argv[2], atoi(argv[3]), atof(argv[4]), atol(argv[5]), atoi(argv[6]));
  fprintf(stderr, "usage: udp-blast recv PORT | udp-blast send HOST PORT RATE COUNT SIZE\n");
  return 2;
}
