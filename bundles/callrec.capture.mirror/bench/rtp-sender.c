/*
 * Paced frame sender for the live capture benchmark (bench/capture-bench live): sends the frames of
 * a pcap file, in a loop, out of one NIC at an exact packet rate for a number of seconds, and
 * reports what the kernel accepted. Written from packet(7), sendmmsg(2), clock_nanosleep(2) and
 * the pcap file format (tcpdump.org, draft-ietf-opsawg-pcap).
 *
 * Why not tcpreplay: it paces packet by packet with one sendto(2) each, and on a 2-core machine
 * shared with the capture it could not hold 200 kpps for 10 s. Here the frames are sent in
 * sendmmsg batches through an AF_PACKET socket that bypasses the qdisc, and paced by batches
 * against CLOCK_MONOTONIC: before each batch the sender sleeps until the batch's due time, then
 * sends every frame due by now (so a late wake-up is caught up, never lost: the count is exact).
 *
 *   rtp-sender <nic> <file.pcap> <packets-per-second> <seconds>
 *
 * Prints one line: "sent <n> packets in <s> s = <r> pps; batches <b>; send errors <e>; worst lag <ms> ms".
 * Exits non-zero with a message on bad arguments, an unreadable file or a socket error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BATCH 1024 /* UIO_MAXIOV: the most messages one sendmmsg takes */

static void die(const char *what) {
    perror(what);
    exit(1);
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000000ull + (uint64_t) t.tv_nsec;
}

static uint32_t u32(const unsigned char *p, int swapped) {
    uint32_t v;
    memcpy(&v, p, 4);
    return swapped ? __builtin_bswap32(v) : v;
}

/* Reads every record of a classic pcap file into memory (frames point into one block). */
static size_t load_pcap(const char *path, unsigned char ***frames, size_t **lengths) {
    FILE *f = fopen(path, "rb");
    if (!f) die(path);
    unsigned char header[24];
    if (fread(header, 1, 24, f) != 24) { fprintf(stderr, "%s: no pcap header\n", path); exit(1); }
    uint32_t magic = u32(header, 0);
    int swapped;
    if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du) swapped = 0;
    else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u) swapped = 1;
    else { fprintf(stderr, "%s: not a classic pcap file (magic %08x)\n", path, magic); exit(1); }
    size_t n = 0, cap = 1024;
    *frames = malloc(cap * sizeof **frames);
    *lengths = malloc(cap * sizeof **lengths);
    unsigned char rec[16];
    while (fread(rec, 1, 16, f) == 16) {
        uint32_t incl = u32(rec + 8, swapped);
        if (incl == 0 || incl > 65535) { fprintf(stderr, "%s: record %zu has length %u\n", path, n, incl); exit(1); }
        if (n == cap) {
            cap *= 2;
            *frames = realloc(*frames, cap * sizeof **frames);
            *lengths = realloc(*lengths, cap * sizeof **lengths);
        }
        unsigned char *data = malloc(incl);
        if (fread(data, 1, incl, f) != incl) { fprintf(stderr, "%s: record %zu truncated\n", path, n); exit(1); }
        (*frames)[n] = data;
        (*lengths)[n] = incl;
        n++;
    }
    fclose(f);
    if (n == 0) { fprintf(stderr, "%s: no frames\n", path); exit(1); }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s <nic> <file.pcap> <packets-per-second> <seconds>\n", argv[0]);
        return 2;
    }
    const char *nic = argv[1];
    double rate = strtod(argv[3], NULL);
    double seconds = strtod(argv[4], NULL);
    if (rate <= 0 || seconds <= 0) { fprintf(stderr, "rate and seconds must be positive\n"); return 2; }
    unsigned char **frames;
    size_t *lengths;
    size_t nframes = load_pcap(argv[2], &frames, &lengths);
    uint64_t total = (uint64_t) (rate * seconds + 0.5);

    int fd = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: send only, receive nothing */
    if (fd < 0) die("socket(AF_PACKET)");
    struct sockaddr_ll addr;
    memset(&addr, 0, sizeof addr);
    addr.sll_family = AF_PACKET;
    addr.sll_ifindex = (int) if_nametoindex(nic);
    if (addr.sll_ifindex == 0) die(nic);
    if (bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0) die("bind");
    int one = 1;
    /* straight to the driver: a veth has no queue anyway, and this skips the qdisc layer's cost */
    if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0) die("PACKET_QDISC_BYPASS");
    int sndbuf = 64 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);

    /* one batch per ~0.5 ms: fine-grained enough that the receiver sees an even rate */
    uint64_t batch = (uint64_t) (rate / 2000.0);
    if (batch < 1) batch = 1;
    if (batch > MAX_BATCH) batch = MAX_BATCH;
    static struct mmsghdr msgs[MAX_BATCH];
    static struct iovec iov[MAX_BATCH];

    uint64_t sent = 0, batches = 0, errors = 0, worst_lag = 0;
    size_t next_frame = 0;
    uint64_t t0 = now_ns();
    uint64_t last = t0;
    while (sent < total) {
        /* the due time of the batch that would end at frame sent + batch */
        uint64_t target = sent + batch > total ? total : sent + batch;
        uint64_t due = t0 + (uint64_t) ((double) target * 1e9 / rate);
        uint64_t now = now_ns();
        if (now < due) {
            struct timespec ts = { (time_t) (due / 1000000000ull), (long) (due % 1000000000ull) };
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
            }
            now = now_ns();
        }
        if (now > due && now - due > worst_lag) { /* late: behind schedule, or woken up late */
            worst_lag = now - due;
        }
        /* every frame due by now, at least the batch: a late wake-up catches up */
        uint64_t owed = (uint64_t) ((double) (now - t0) * rate / 1e9);
        if (owed > total) owed = total;
        if (owed < target) owed = target;
        while (sent < owed) {
            unsigned int n = (unsigned int) (owed - sent > MAX_BATCH ? MAX_BATCH : owed - sent);
            for (unsigned int i = 0; i < n; i++) {
                iov[i].iov_base = frames[next_frame];
                iov[i].iov_len = lengths[next_frame];
                memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
                msgs[i].msg_hdr.msg_iov = &iov[i];
                msgs[i].msg_hdr.msg_iovlen = 1;
                next_frame = next_frame + 1 == nframes ? 0 : next_frame + 1;
            }
            int r = sendmmsg(fd, msgs, n, 0);
            if (r < 0) {
                if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
                    errors++;
                    /* not sent: rewind the frame cursor and try these again */
                    next_frame = (next_frame + nframes - n % nframes) % nframes;
                    continue;
                }
                die("sendmmsg");
            }
            if ((unsigned int) r < n) {
                errors++;
                next_frame = (next_frame + nframes - (n - (unsigned int) r) % nframes) % nframes;
            }
            sent += (uint64_t) r;
            batches++;
        }
        last = now_ns();
    }
    double elapsed = (double) (last - t0) / 1e9;
    printf("sent %llu packets in %.3f s = %.0f pps; batches %llu; send errors %llu; worst lag %.3f ms\n",
            (unsigned long long) sent, elapsed, (double) sent / elapsed, (unsigned long long) batches,
            (unsigned long long) errors, (double) worst_lag / 1e6);
    close(fd);
    return 0;
}
