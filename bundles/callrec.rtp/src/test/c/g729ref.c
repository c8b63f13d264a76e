/*
 * Test oracle and benchmark reference for callrec.rtp: drives Debian's bcg729 directly, as its own
 * API documents (bcg729/encoder.h, bcg729/decoder.h). Compiled at test time, never shipped.
 *
 *   g729ref encode VAD in.s16 frames.bin    8 kHz s16le in; per 10 ms frame: 1 length byte (10 speech,
 *                                           2 SID, 0 not sent) then the bytes
 *   g729ref decode frames.bin out.s16       length 255 = erased frame; 0 (DTX) and 255 both decode as
 *                                           "no frame" (erasure flag), 2 as SID, 10 as speech
 *   g729ref bench frames.bin ROUNDS         decodes all frames ROUNDS times; prints nanoseconds per
 *                                           frame of the fastest and of the median pass
 */
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint8_t *slurp(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*size > 0 ? *size : 1);
    if (*size > 0 && fread(b, 1, *size, f) != (size_t) *size) { perror(path); exit(2); }
    fclose(f);
    return b;
}

static void decode_all(bcg729DecoderChannelContextStruct *d, const uint8_t *b, long size, FILE *out) {
    int16_t pcm[80];
    for (long i = 0; i < size;) {
        uint8_t len = b[i++];
        if (len == 10) bcg729Decoder(d, b + i, 10, 0, 0, 0, pcm);
        else if (len == 2) bcg729Decoder(d, b + i, 2, 0, 1, 0, pcm);
        else if (len == 0 || len == 255) bcg729Decoder(d, NULL, 0, 1, 0, 0, pcm);
        else { fprintf(stderr, "bad frame length %d\n", len); exit(2); }
        if (len != 255) i += len;
        if (out) fwrite(pcm, sizeof pcm, 1, out);
    }
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: see source\n"); return 2; }
    if (!strcmp(argv[1], "encode")) {
        long size;
        uint8_t *in = slurp(argv[3], &size);
        FILE *out = fopen(argv[4], "wb");
        bcg729EncoderChannelContextStruct *e = initBcg729EncoderChannel(atoi(argv[2]));
        for (long off = 0; off + 160 <= size; off += 160) {
            int16_t frame[80];
            memcpy(frame, in + off, 160);
            uint8_t bits[10], len = 0;
            bcg729Encoder(e, frame, bits, &len);
            fputc(len, out);
            fwrite(bits, 1, len, out);
        }
        closeBcg729EncoderChannel(e);
        fclose(out);
    } else if (!strcmp(argv[1], "decode")) {
        long size;
        uint8_t *b = slurp(argv[2], &size);
        FILE *out = fopen(argv[3], "wb");
        bcg729DecoderChannelContextStruct *d = initBcg729DecoderChannel();
        decode_all(d, b, size, out);
        closeBcg729DecoderChannel(d);
        fclose(out);
    } else if (!strcmp(argv[1], "bench")) {
        long size, frames = 0;
        uint8_t *b = slurp(argv[2], &size);
        for (long i = 0; i < size; frames++) { uint8_t len = b[i++]; if (len != 255) i += len; }
        int rounds = atoi(argv[3]);
        bcg729DecoderChannelContextStruct *d = initBcg729DecoderChannel();
        decode_all(d, b, size, NULL); /* warm-up */
        /* per pass over all frames; min and median, so that a busy machine can be compared fairly */
        double *pass = malloc(sizeof(double) * rounds);
        for (int r = 0; r < rounds; r++) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            decode_all(d, b, size, NULL);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            pass[r] = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / frames;
        }
        for (int i = 1; i < rounds; i++) /* insertion sort: rounds is small */
            for (int j = i; j > 0 && pass[j - 1] > pass[j]; j--) { double t = pass[j]; pass[j] = pass[j - 1]; pass[j - 1] = t; }
        printf("%.1f %.1f\n", pass[0], pass[rounds / 2]);
        closeBcg729DecoderChannel(d);
    } else {
        return 2;
    }
    return 0;
}
