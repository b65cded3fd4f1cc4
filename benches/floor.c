/*
 * The C floor for `rawcap -r F -w OUT 'tcp port 80'` (scripts/bench-offline.sh):
 * map a little-endian pcap file, walk its records, check `tcp port 80` by
 * hand with libpcap's exact semantics on Ethernet, and write the matching
 * records (header and bytes as they are in the file) with writev, adjacent
 * matches in one iovec. No filter machine, no error reporting beyond the
 * file header: the least work that produces tcpdump's output file.
 *
 * libpcap 1.10's program for `tcp port 80` (tcpdump -d), which the check
 * follows branch for branch; every load past the captured bytes rejects:
 *
 *   ldh [12]; jeq 0x86dd -> IPv6, jeq 0x800 -> IPv4, else reject
 *   IPv6: ldb [20] == 6; ldh [54] == 80 or ldh [56] == 80
 *   IPv4: ldb [23] == 6; ldh [20] & 0x1fff == 0 (first fragment);
 *         x = 4*([14]&0xf); ldh [x+14] == 80 or ldh [x+16] == 80
 *
 * Build: cc -O2 -o floor benches/floor.c
 * Usage: floor IN.pcap OUT.pcap   (prints the number of records written)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static inline int be16_at(const uint8_t *f, uint32_t len, uint32_t at, uint32_t *v)
{
    if ((uint64_t)at + 2 > len)
        return 0;
    *v = (uint32_t)f[at] << 8 | f[at + 1];
    return 1;
}

static inline int port_80_at(const uint8_t *f, uint32_t len, uint32_t l4)
{
    uint32_t p;
    if (!be16_at(f, len, l4, &p))
        return 0;
    if (p == 80)
        return 1;
    return be16_at(f, len, l4 + 2, &p) && p == 80;
}

static int tcp_port_80(const uint8_t *f, uint32_t len)
{
    uint32_t type, frag;
    if (!be16_at(f, len, 12, &type))
        return 0;
    if (type == 0x86dd)
        return len > 20 && f[20] == 6 && port_80_at(f, len, 54);
    if (type != 0x0800)
        return 0;
    if (len <= 23 || f[23] != 6)
        return 0;
    if (!be16_at(f, len, 20, &frag) || (frag & 0x1fff) != 0)
        return 0;
    /* len > 23 here, so byte 14 is present */
    return port_80_at(f, len, 14 + 4 * (f[14] & 0xf));
}

/* Writes all of iov[0..n]; exits on error. */
static void flush(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n);
        if (w < 0) {
            perror("writev");
            exit(1);
        }
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= w;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor IN.pcap OUT.pcap\n");
        return 2;
    }
    int in = open(argv[1], O_RDONLY);
    struct stat st;
    if (in < 0 || fstat(in, &st) < 0 || st.st_size < 24) {
        fprintf(stderr, "floor: cannot read %s\n", argv[1]);
        return 1;
    }
    size_t size = (size_t)st.st_size;
    const uint8_t *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, in, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    madvise((void *)m, size, MADV_SEQUENTIAL);
    uint32_t magic;
    memcpy(&magic, m, 4);
    if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
        fprintf(stderr, "floor: not a little-endian pcap file\n");
        return 1;
    }
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        perror(argv[2]);
        return 1;
    }
    enum { BATCH = 1024 };
    struct iovec iov[BATCH];
    int n = 0;
    iov[n].iov_base = (void *)m;
    iov[n].iov_len = 24;
    n++;
    unsigned long matched = 0;
    size_t pos = 24;
    while (pos + 16 <= size) {
        uint32_t caplen;
        memcpy(&caplen, m + pos + 8, 4);
        size_t end = pos + 16 + caplen;
        if (end > size)
            break;
        if (tcp_port_80(m + pos + 16, caplen)) {
            matched++;
            struct iovec *last = n > 0 ? &iov[n - 1] : NULL;
            if (last && (const uint8_t *)last->iov_base + last->iov_len == m + pos) {
                last->iov_len += end - pos;
            } else {
                if (n == BATCH) {
                    flush(out, iov, n);
                    n = 0;
                }
                iov[n].iov_base = (void *)(m + pos);
                iov[n].iov_len = end - pos;
                n++;
            }
        }
        pos = end;
    }
    flush(out, iov, n);
    if (close(out) < 0) {
        perror("close");
        return 1;
    }
    printf("%lu\n", matched);
    return 0;
}
