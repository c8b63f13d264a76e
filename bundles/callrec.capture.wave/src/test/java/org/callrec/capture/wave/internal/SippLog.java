package org.callrec.capture.wave.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads times off sipp's message trace (-trace_msg): each entry starts with a dashed line and its time. */
final class SippLog {

    private static final Pattern ENTRY = Pattern.compile("-{20,} \\d{4}-\\d\\d-\\d\\d (\\d\\d):(\\d\\d):(\\d\\d\\.\\d+)\\n");

    private SippLog() {
    }

    /**
     * @param trace the message trace
     * @param entries one regular expression per wanted entry, in order; each is searched from the
     *        entry after the previous one found
     * @return each found entry's time in seconds of the day
     */
    static List<Double> times(String trace, List<String> entries) {
        List<Double> out = new ArrayList<>();
        List<int[]> starts = new ArrayList<>();
        List<Double> at = new ArrayList<>();
        Matcher m = ENTRY.matcher(trace);
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            at.add(Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60
                    + Double.parseDouble(m.group(3)));
        }
        int from = 0;
        for (String e : entries) {
            Pattern p = Pattern.compile(e);
            int found = -1;
            for (int i = from; i < starts.size() && found < 0; i++) {
                int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : trace.length();
                if (p.matcher(trace.substring(starts.get(i)[1], end)).find()) {
                    found = i;
                }
            }
            if (found < 0) {
                throw new AssertionError("no sipp trace entry matches " + e);
            }
            out.add(at.get(found));
            from = found + 1;
        }
        return out;
    }
}
