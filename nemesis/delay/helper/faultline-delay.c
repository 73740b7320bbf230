/*
 * faultline-delay: a userspace packet scheduler for kernels without netem.
 *
 * iptables' NFQUEUE target hands the node's outgoing packets to this program
 * (one process per node, inside the node's network namespace). Each packet is
 * held until its due time, arrival + delay + jitter, and then released with an
 * NF_ACCEPT verdict. Packets are released in due-time order, so jitter reorders
 * them as a real network would. Options:
 *
 *   --queue N          the NFQUEUE number to bind (required)
 *   --delay-us D       mean delay in microseconds (default 0)
 *   --jitter-us J      uniform: delay in [D-J, D+J]; normal: standard deviation J (default 0)
 *   --distribution X   uniform (default) or normal; a delay below 0 is clamped to 0
 *   --reorder P        probability that a packet is released at once, overtaking held ones (as netem's reorder)
 *   --duplicate P      probability that a packet is sent twice: the original when due and a copy right after it,
 *                      through a raw socket whose packets carry --mark (the iptables rules skip marked packets)
 *   --rate BPS         release at most BPS bytes per second: each packet holds the link for its length / rate
 *                      (a pacer, like netem's rate; no burst allowance)
 *   --limit N          at most N packets held; more are dropped and counted (default 100000)
 *   --mark M           the mark of duplicated packets (default 0x5a17de1a)
 *   --seed S           seed of the random choices (default 1)
 *
 * Talks the nfnetlink_queue protocol directly over a netlink socket (the
 * kernel's uapi headers only), so the binary links statically and runs on any
 * x86-64 Linux node: Debian ships libnetfilter_queue.a, but not the static
 * libmnl / libnfnetlink it needs.
 *
 * `faultline-delay rtt ...` measures round-trip times instead (rtt.c), so the
 * nemesis can verify a delay with the one binary it copies to every node.
 *
 * Output (stdout, one line each): "ready queue=N sched=fifo|nice-10|normal" once the queue is bound;
 * "stats ..." on SIGUSR1 and on exit. SIGTERM or SIGINT releases every held
 * packet at once and exits 0. Exit 2: bad arguments; exit 1: a system call failed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <linux/netlink.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RECV_BUF_SIZE (1 << 18)
#define SEND_BUF_SIZE (1 << 16)
#define SOCKET_RCVBUF (16 << 20)
#define COPY_HEADERS 128 /* bytes copied per packet when no duplicate needs the whole of it */

struct options {
  int queue;
  uint64_t delay_ns;
  uint64_t jitter_ns;
  int normal;
  double reorder;
  double duplicate;
  uint64_t rate_bytes_per_s;
  size_t limit;
  uint32_t mark;
  uint64_t seed;
};

struct held {
  uint64_t due_ns;
  uint64_t seq; /* arrival order: ties in due time keep it */
  uint32_t id;
  uint32_t len;
  unsigned char *copy; /* the whole packet, only for one to duplicate */
};

struct stats {
  uint64_t received, released, duplicated, dup_failed, reordered, dropped, overruns, max_held;
  uint64_t late_max_ns; /* the largest lateness of a release against its due time (or its pacing slot) */
};

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stats_requested;

static struct options opt = {.queue = -1, .limit = 100000, .mark = 0x5a17de1a, .seed = 1};
static struct stats st;
static struct held *heap;
static size_t held_count;
static uint64_t next_seq;
static uint64_t link_free_ns; /* with --rate: when the next packet may leave */
static int nl_fd = -1;
static int raw_fd = -1;
static unsigned char send_buf[SEND_BUF_SIZE];
static size_t send_len;
static uint32_t nl_seq;

static void die(const char *what) {
  fprintf(stderr, "faultline-delay: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void usage(const char *msg) {
  fprintf(stderr, "faultline-delay: %s\n", msg);
  exit(2);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* splitmix64: small, seedable, good enough for delays and coin flips. */
static uint64_t rng_state;
static uint64_t rng_next(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static double rng_unit(void) { return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0); } /* [0, 1) */

static uint64_t sample_delay_ns(void) {
  double d = (double)opt.delay_ns;
  if (opt.jitter_ns > 0) {
    if (opt.normal) {
      double u1 = 1.0 - rng_unit(), u2 = rng_unit(); /* Box-Muller; u1 in (0, 1] */
      d += (double)opt.jitter_ns * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
    } else {
      d += (double)opt.jitter_ns * (2.0 * rng_unit() - 1.0);
    }
  }
  return d <= 0 ? 0 : (uint64_t)d;
}

/* ---- the held packets: a binary min-heap on (due, seq) ---- */

static int earlier(const struct held *a, const struct held *b) {
  return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static void heap_push(struct held h) {
  size_t i = held_count++;
  heap[i] = h;
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!earlier(&heap[i], &heap[parent])) break;
    struct held t = heap[i];
    heap[i] = heap[parent];
    heap[parent] = t;
    i = parent;
  }
  if (held_count > st.max_held) st.max_held = held_count;
}

static struct held heap_pop(void) {
  struct held top = heap[0];
  heap[0] = heap[--held_count];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < held_count && earlier(&heap[l], &heap[m])) m = l;
    if (r < held_count && earlier(&heap[r], &heap[m])) m = r;
    if (m == i) break;
    struct held t = heap[i];
    heap[i] = heap[m];
    heap[m] = t;
    i = m;
  }
  return top;
}

/* ---- netlink messages ---- */

static struct nlmsghdr *msg_start(unsigned char *buf, uint16_t type, uint16_t flags) {
  struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
  nlh->nlmsg_len = NLMSG_LENGTH(sizeof(struct nfgenmsg));
  nlh->nlmsg_type = (uint16_t)((NFNL_SUBSYS_QUEUE << 8) | type);
  nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
  nlh->nlmsg_seq = ++nl_seq;
  nlh->nlmsg_pid = 0;
  struct nfgenmsg *nfg = NLMSG_DATA(nlh);
  nfg->nfgen_family = AF_UNSPEC;
  nfg->version = NFNETLINK_V0;
  nfg->res_id = htons((uint16_t)opt.queue);
  return nlh;
}

static void msg_attr(struct nlmsghdr *nlh, uint16_t type, const void *data, uint16_t len) {
  struct nlattr *a = (struct nlattr *)((unsigned char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
  a->nla_type = type;
  a->nla_len = (uint16_t)(NLA_HDRLEN + len);
  memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
  nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

/* Sends one request and waits for its acknowledgement; returns 0 or the kernel's errno. */
static int request(struct nlmsghdr *nlh) {
  if (send(nl_fd, nlh, nlh->nlmsg_len, 0) < 0) die("send to netlink");
  static unsigned char buf[8192];
  for (;;) {
    ssize_t n = recv(nl_fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("recv from netlink");
    }
    int left = (int)n; /* signed, as in receive_all */
    for (struct nlmsghdr *r = (struct nlmsghdr *)buf; NLMSG_OK(r, left); r = NLMSG_NEXT(r, left)) {
      if (r->nlmsg_type == NLMSG_ERROR && r->nlmsg_seq == nlh->nlmsg_seq)
        return -((struct nlmsgerr *)NLMSG_DATA(r))->error;
    }
  }
}

static void bind_queue(void) {
  nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (nl_fd < 0) die("netlink socket");
  int size = SOCKET_RCVBUF;
  if (setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  struct sockaddr_nl addr = {.nl_family = AF_NETLINK};
  if (bind(nl_fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind netlink socket");

  unsigned char buf[256];
  struct nlmsghdr *nlh = msg_start(buf, NFQNL_MSG_CONFIG, NLM_F_ACK);
  struct nfqnl_msg_config_cmd cmd = {.command = NFQNL_CFG_CMD_BIND, .pf = htons(AF_INET)};
  msg_attr(nlh, NFQA_CFG_CMD, &cmd, sizeof cmd);
  int err = request(nlh);
  if (err != 0) {
    fprintf(stderr, "faultline-delay: cannot bind queue %d: %s%s\n", opt.queue, strerror(err),
            err == EBUSY ? " (another process holds it)" : "");
    exit(1);
  }

  nlh = msg_start(buf, NFQNL_MSG_CONFIG, NLM_F_ACK);
  struct nfqnl_msg_config_params params = {
      .copy_range = htonl(opt.duplicate > 0 ? 0xffff : COPY_HEADERS),
      .copy_mode = NFQNL_COPY_PACKET,
  };
  msg_attr(nlh, NFQA_CFG_PARAMS, &params, sizeof params);
  uint32_t maxlen = htonl((uint32_t)opt.limit);
  msg_attr(nlh, NFQA_CFG_QUEUE_MAXLEN, &maxlen, sizeof maxlen);
  err = request(nlh);
  if (err != 0) {
    errno = err;
    die("configure queue");
  }
}

static void flush_verdicts(void) {
  if (send_len == 0) return;
  if (send(nl_fd, send_buf, send_len, 0) < 0 && errno != EINTR) die("send verdicts");
  send_len = 0;
}

static void add_verdict(uint32_t id, uint32_t verdict) {
  size_t need = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct nfgenmsg))) + NLA_ALIGN(NLA_HDRLEN + 8);
  if (send_len + need > sizeof send_buf) flush_verdicts();
  struct nlmsghdr *nlh = msg_start(send_buf + send_len, NFQNL_MSG_VERDICT, 0);
  struct nfqnl_msg_verdict_hdr v = {.verdict = htonl(verdict), .id = htonl(id)};
  msg_attr(nlh, NFQA_VERDICT_HDR, &v, sizeof v);
  send_len += NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Sends the copy of an IPv4 packet through the raw socket (marked, so our rules let it pass). */
static void send_duplicate(const unsigned char *pkt, uint32_t len) {
  if (len < 20 || (pkt[0] >> 4) != 4) {
    st.dup_failed++;
    return;
  }
  struct sockaddr_in to = {.sin_family = AF_INET};
  memcpy(&to.sin_addr, pkt + 16, 4);
  if (sendto(raw_fd, pkt, len, 0, (struct sockaddr *)&to, sizeof to) < 0)
    st.dup_failed++;
  else
    st.duplicated++;
}

/* ---- the scheduler ---- */

static void on_packet(struct nlmsghdr *nlh, uint64_t now) {
  struct nfqnl_msg_packet_hdr *ph = NULL;
  unsigned char *payload = NULL;
  uint32_t payload_len = 0, cap_len = 0;
  size_t off = NLMSG_ALIGN(NLMSG_LENGTH(sizeof(struct nfgenmsg)));
  while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
    struct nlattr *a = (struct nlattr *)((unsigned char *)nlh + off);
    if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len) break;
    void *data = (unsigned char *)a + NLA_HDRLEN;
    uint16_t len = (uint16_t)(a->nla_len - NLA_HDRLEN);
    switch (a->nla_type & NLA_TYPE_MASK) {
      case NFQA_PACKET_HDR:
        if (len >= sizeof *ph) ph = data;
        break;
      case NFQA_PAYLOAD:
        payload = data;
        payload_len = len;
        break;
      case NFQA_CAP_LEN:
        if (len >= 4) cap_len = ntohl(*(uint32_t *)data);
        break;
    }
    off += NLA_ALIGN(a->nla_len);
  }
  if (ph == NULL) return;
  uint32_t id = ntohl(ph->packet_id);
  st.received++;
  if (held_count >= opt.limit) {
    add_verdict(id, NF_DROP);
    st.dropped++;
    return;
  }
  /* The packet's length: NFQA_CAP_LEN when the copy was truncated, else the IPv4 total length or the copy's. */
  uint32_t len = cap_len ? cap_len : payload_len;
  if (payload != NULL && payload_len >= 4 && (payload[0] >> 4) == 4) len = ((uint32_t)payload[2] << 8) | payload[3];

  struct held h = {.seq = next_seq++, .id = id, .len = len};
  uint64_t delay = sample_delay_ns();
  if (opt.reorder > 0 && rng_unit() < opt.reorder) {
    delay = 0;
    st.reordered++;
  }
  h.due_ns = now + delay;
  if (opt.duplicate > 0 && rng_unit() < opt.duplicate && payload != NULL && payload_len == len) {
    h.copy = malloc(len);
    if (h.copy != NULL) memcpy(h.copy, payload, len);
  }
  heap_push(h);
}

static void receive_all(void) {
  static unsigned char buf[RECV_BUF_SIZE];
  for (;;) {
    ssize_t n = recv(nl_fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      if (errno == ENOBUFS) { /* the socket overran: the kernel dropped those packets (its user_dropped) */
        st.overruns++;
        continue;
      }
      die("recv packets");
    }
    uint64_t now = now_ns();
    /* `left` is signed: NLMSG_NEXT may take it below 0 past an unpadded last message, which must end the loop. */
    int left = (int)n;
    for (struct nlmsghdr *nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, left); nlh = NLMSG_NEXT(nlh, left)) {
      if (nlh->nlmsg_type == ((NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET)) on_packet(nlh, now);
    }
  }
}

/* Releases every packet that is due (and, with --rate, whose pacing slot has come); `all` releases everything. */
static void release_due(int all) {
  uint64_t now = now_ns();
  struct held dups[64];
  size_t ndups = 0;
  while (held_count > 0) {
    uint64_t slot = heap[0].due_ns;
    if (opt.rate_bytes_per_s > 0 && link_free_ns > slot) slot = link_free_ns;
    if (!all && slot > now) break;
    struct held h = heap_pop();
    if (opt.rate_bytes_per_s > 0) link_free_ns = slot + (uint64_t)h.len * 1000000000ull / opt.rate_bytes_per_s;
    if (!all && now - slot > st.late_max_ns) st.late_max_ns = now - slot;
    add_verdict(h.id, NF_ACCEPT);
    st.released++;
    if (h.copy != NULL) {
      dups[ndups++] = h;
      if (ndups == sizeof dups / sizeof dups[0]) {
        flush_verdicts(); /* the original goes first, its copy right after */
        for (size_t i = 0; i < ndups; i++) {
          send_duplicate(dups[i].copy, dups[i].len);
          free(dups[i].copy);
        }
        ndups = 0;
      }
    }
  }
  flush_verdicts();
  for (size_t i = 0; i < ndups; i++) {
    send_duplicate(dups[i].copy, dups[i].len);
    free(dups[i].copy);
  }
}

static void print_stats(void) {
  printf("stats received=%llu released=%llu held=%zu max_held=%llu reordered=%llu duplicated=%llu dup_failed=%llu "
         "dropped=%llu overruns=%llu late_max_us=%llu\n",
         (unsigned long long)st.received, (unsigned long long)st.released, held_count,
         (unsigned long long)st.max_held, (unsigned long long)st.reordered, (unsigned long long)st.duplicated,
         (unsigned long long)st.dup_failed, (unsigned long long)st.dropped, (unsigned long long)st.overruns,
         (unsigned long long)(st.late_max_ns / 1000));
}

/*
 * Due times are only as good as the wake-ups: on a busy node a normal process waits behind others for
 * milliseconds. So the helper asks for SCHED_FIFO (it sleeps between due times, and the kernel's RT throttling
 * keeps a runaway from starving the node), else a nice of -10; it runs as it is when neither is allowed
 * (e.g. a container without CAP_SYS_NICE). Returns what it got.
 */
static const char *raise_priority(void) {
  struct sched_param sp = {.sched_priority = 10};
  if (sched_setscheduler(0, SCHED_FIFO, &sp) == 0) return "fifo";
  if (setpriority(PRIO_PROCESS, 0, -10) == 0) return "nice-10";
  return "normal";
}

static void on_signal(int sig) {
  if (sig == SIGUSR1)
    stats_requested = 1;
  else
    stop_requested = 1;
}

/* ---- arguments ---- */

static double parse_number(const char *name, const char *s, double lo, double hi) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno != 0 || end == s || *end != '\0' || !(v >= lo && v <= hi)) {
    fprintf(stderr, "faultline-delay: --%s must be a number in [%g, %g], got \"%s\"\n", name, lo, hi, s);
    exit(2);
  }
  return v;
}

static void parse_args(int argc, char **argv) {
  static const struct option longopts[] = {
      {"queue", required_argument, 0, 'q'},        {"delay-us", required_argument, 0, 'd'},
      {"jitter-us", required_argument, 0, 'j'},    {"distribution", required_argument, 0, 'D'},
      {"reorder", required_argument, 0, 'r'},      {"duplicate", required_argument, 0, 'u'},
      {"rate", required_argument, 0, 'R'},         {"limit", required_argument, 0, 'l'},
      {"mark", required_argument, 0, 'm'},         {"seed", required_argument, 0, 's'},
      {0, 0, 0, 0},
  };
  int c;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
      case 'q': opt.queue = (int)parse_number("queue", optarg, 0, 65535); break;
      case 'd': opt.delay_ns = (uint64_t)(parse_number("delay-us", optarg, 0, 600e6) * 1000); break;
      case 'j': opt.jitter_ns = (uint64_t)(parse_number("jitter-us", optarg, 0, 600e6) * 1000); break;
      case 'D':
        if (strcmp(optarg, "uniform") == 0) opt.normal = 0;
        else if (strcmp(optarg, "normal") == 0) opt.normal = 1;
        else usage("--distribution must be uniform or normal");
        break;
      case 'r': opt.reorder = parse_number("reorder", optarg, 0, 1); break;
      case 'u': opt.duplicate = parse_number("duplicate", optarg, 0, 1); break;
      case 'R': opt.rate_bytes_per_s = (uint64_t)parse_number("rate", optarg, 0, 1e12); break;
      case 'l': opt.limit = (size_t)parse_number("limit", optarg, 1, 10e6); break;
      case 'm': {
        char *end;
        unsigned long m = strtoul(optarg, &end, 0);
        if (end == optarg || *end != '\0' || m == 0 || m > 0xffffffffUL) usage("--mark must be a non-zero 32-bit number");
        opt.mark = (uint32_t)m;
        break;
      }
      case 's': opt.seed = (uint64_t)parse_number("seed", optarg, 0, 9e15); break;
      default: usage("unknown option (see the comment at the top of faultline-delay.c)");
    }
  }
  if (optind != argc) usage("unexpected argument");
  if (opt.queue < 0) usage("--queue is required");
}

int rtt_main(int argc, char **argv); /* rtt.c */

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "rtt") == 0) return rtt_main(argc - 1, argv + 1);
  parse_args(argc, argv);
  setvbuf(stdout, NULL, _IOLBF, 0);
  rng_state = opt.seed;
  prctl(PR_SET_TIMERSLACK, 1000UL); /* wake within a microsecond of a due time, not the default 50 us */

  heap = calloc(opt.limit, sizeof *heap);
  if (heap == NULL) die("allocate the packet heap");

  sigset_t blocked, during_wait;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGUSR1);
  sigprocmask(SIG_BLOCK, &blocked, &during_wait); /* signals arrive only inside ppoll: no lost wake-up */
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  if (opt.duplicate > 0) {
    raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (raw_fd < 0) die("raw socket for duplicates");
    if (setsockopt(raw_fd, SOL_SOCKET, SO_MARK, &opt.mark, sizeof opt.mark) < 0) die("mark the raw socket");
  }
  bind_queue();
  printf("ready queue=%d sched=%s\n", opt.queue, raise_priority());

  struct pollfd pfd = {.fd = nl_fd, .events = POLLIN};
  while (!stop_requested) {
    release_due(0);
    struct timespec timeout, *tp = NULL;
    if (held_count > 0) {
      uint64_t next = heap[0].due_ns;
      if (opt.rate_bytes_per_s > 0 && link_free_ns > next) next = link_free_ns;
      uint64_t now = now_ns();
      uint64_t wait = next > now ? next - now : 0;
      timeout.tv_sec = (time_t)(wait / 1000000000ull);
      timeout.tv_nsec = (long)(wait % 1000000000ull);
      tp = &timeout;
    }
    int r = ppoll(&pfd, 1, tp, &during_wait);
    if (r < 0 && errno != EINTR) die("ppoll");
    if (r > 0) receive_all();
    if (stats_requested) {
      stats_requested = 0;
      print_stats();
    }
  }
  /* Stopping: nothing stays held. Packets still in flight to us after the rules are gone are flushed by the
     kernel when the socket closes. */
  receive_all();
  release_due(1);
  print_stats();
  return 0;
}
