package org.callrec.capture.wave.internal;

/**
 * How faithfully a recording carries a source: the recording is aligned to the source by the lag
 * that maximises their cross-correlation, and the SNR is the source's energy over the energy of
 * the difference, on the source's whole length.
 */
final class Fidelity {

    /**
     * @param lag samples the source starts after the recording's start
     * @param snrDb signal-to-noise ratio in dB
     * @param correlation normalised cross-correlation at that lag
     */
    record Result(int lag, double snrDb, double correlation) {
    }

    private Fidelity() {
    }

    /**
     * @param source the reference
     * @param recording what was recorded (may start with silence or be longer)
     * @param maxLag largest lag searched (samples)
     * @return the alignment and the SNR
     */
    static Result compare(short[] source, short[] recording, int maxLag) {
        int best = 0;
        double bestCorr = Double.NEGATIVE_INFINITY;
        double es = energy(source, 0, source.length);
        for (int lag = 0; lag <= maxLag && lag < recording.length; lag++) {
            double c = 0;
            int n = Math.min(source.length, recording.length - lag);
            for (int i = 0; i < n; i++) {
                c += (double) source[i] * recording[i + lag];
            }
            double er = energy(recording, lag, n);
            double norm = er == 0 ? 0 : c / Math.sqrt(es * er);
            if (norm > bestCorr) {
                bestCorr = norm;
                best = lag;
            }
        }
        double noise = 0;
        for (int i = 0; i < source.length; i++) {
            int j = i + best;
            double r = j < recording.length ? recording[j] : 0;
            double d = source[i] - r;
            noise += d * d;
        }
        double snr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(es / noise);
        return new Result(best, snr, bestCorr);
    }

    private static double energy(short[] s, int from, int n) {
        double e = 0;
        for (int i = from; i < from + n && i < s.length; i++) {
            e += (double) s[i] * s[i];
        }
        return e;
    }
}
