/*
 * faultline-delay rtt: round-trip times from this node by TCP connect.
 *
 *   faultline-delay rtt --to ADDR[,ADDR...] [--port P] [--count N] [--interval-ms I] [--timeout-ms T] [--give-up G]
 *
 * Each sample is one non-blocking connect to ADDR:P (default port 9): the time
 * until the peer's kernel answers, with a SYN-ACK (port open) or a RST (port
 * closed): one SYN out, one answer back, so a delay on both directions of a
 * link counts twice. Needs no server on the peer. Prints one line per sample,
 * "ADDR rtt_us" or "ADDR timeout" (no answer within T ms, default 3000), and
 * sleeps I ms (default 10) between rounds. An address that timed out G times
 * (default 2) is not probed again (a partitioned peer must not make the probe last minutes).
 * Exit 2: bad arguments.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PEERS 64

static uint64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000ull + (uint64_t)ts.tv_nsec / 1000;
}

static int bad(const char *msg) {
  fprintf(stderr, "faultline-delay rtt: %s\n", msg);
  return 2;
}

/* One connect: the microseconds until the peer answered, or -1 on a timeout. */
static long long one_sample(const struct sockaddr_in *to, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    perror("faultline-delay rtt: socket");
    exit(1);
  }
  uint64_t t0 = mono_us();
  long long result = -1;
  int r = connect(fd, (const struct sockaddr *)to, sizeof *to);
  if (r == 0 || errno == ECONNREFUSED) {
    result = (long long)(mono_us() - t0);
  } else if (errno == EINPROGRESS) {
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    if (poll(&p, 1, timeout_ms) > 0) result = (long long)(mono_us() - t0);
  }
  close(fd);
  return result;
}

int rtt_main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"to", required_argument, 0, 't'},          {"port", required_argument, 0, 'p'},
      {"count", required_argument, 0, 'c'},       {"interval-ms", required_argument, 0, 'i'},
      {"timeout-ms", required_argument, 0, 'T'},  {"give-up", required_argument, 0, 'g'},
      {0, 0, 0, 0},
  };
  struct sockaddr_in peers[MAX_PEERS];
  const char *names[MAX_PEERS];
  int npeers = 0, port = 9, count = 10, interval_ms = 10, timeout_ms = 3000, give_up = 2, c;
  optind = 1;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    char *end;
    long v = 0;
    if (c != 't' && c != '?') {
      v = strtol(optarg, &end, 10);
      if (end == optarg || *end != '\0' || v < 0 || v > 3600000) return bad("numbers must be whole and >= 0");
    }
    switch (c) {
      case 't':
        for (char *s = strtok(optarg, ","); s != NULL; s = strtok(NULL, ",")) {
          if (npeers == MAX_PEERS) return bad("too many addresses");
          memset(&peers[npeers], 0, sizeof peers[npeers]);
          peers[npeers].sin_family = AF_INET;
          if (inet_pton(AF_INET, s, &peers[npeers].sin_addr) != 1) return bad("--to takes IPv4 addresses");
          names[npeers++] = s;
        }
        break;
      case 'p': if (v < 1 || v > 65535) return bad("--port must be in [1, 65535]"); port = (int)v; break;
      case 'c': if (v < 1) return bad("--count must be at least 1"); count = (int)v; break;
      case 'i': interval_ms = (int)v; break;
      case 'T': if (v < 1) return bad("--timeout-ms must be at least 1"); timeout_ms = (int)v; break;
      case 'g': if (v < 1) return bad("--give-up must be at least 1"); give_up = (int)v; break;
      default: return bad("unknown option");
    }
  }
  if (npeers == 0) return bad("--to is required");
  for (int i = 0; i < npeers; i++) peers[i].sin_port = htons((uint16_t)port);
  setvbuf(stdout, NULL, _IOLBF, 0);
  int timeouts[MAX_PEERS] = {0};
  for (int n = 0; n < count; n++) {
    for (int i = 0; i < npeers; i++) {
      if (timeouts[i] >= give_up) continue;
      long long us = one_sample(&peers[i], timeout_ms);
      if (us < 0) {
        timeouts[i]++;
        printf("%s timeout\n", names[i]);
      } else {
        printf("%s %lld\n", names[i], us);
      }
    }
    if (interval_ms > 0 && n + 1 < count) {
      struct timespec ts = {.tv_sec = interval_ms / 1000, .tv_nsec = (long)(interval_ms % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  return 0;
}
