package org.callrec.capture.wave.internal.routepoint;

import java.util.ArrayList;
import java.util.List;

/**
 * The PBX's system conference extensions. When a 4th party joins a 3-party conference the PBX
 * rebuilds the conference on one of these extensions, which a Route Point cannot record.
 *
 * <p>How a 4th party is detected: a {@code CONFERENCED} call event whose connected party (or, when
 * the source gives none, the called party) is one of these extensions. TAPI reports the move to
 * the conference bridge exactly that way (LINECALLINFO's connected ID becomes the bridge's
 * extension); the list must be configured because the PBX assigns these numbers per site.
 *
 * @param ranges inclusive numeric ranges; a single extension is a range of one
 */
public record ConferenceExtensions(List<Range> ranges) {

    /** None configured: no conference event is recognised as a system conference. */
    public static final ConferenceExtensions NONE = new ConferenceExtensions(List.of());

    /**
     * An inclusive range of extensions of the same number of digits.
     *
     * @param first first extension
     * @param last last extension
     */
    public record Range(String first, String last) {

        boolean contains(String ext) {
            if (ext.length() != first.length()) {
                return false;
            }
            return ext.compareTo(first) >= 0 && ext.compareTo(last) <= 0;
        }

        @Override
        public String toString() {
            return first.equals(last) ? first : first + "-" + last;
        }
    }

    /** Copies the list. */
    public ConferenceExtensions {
        ranges = List.copyOf(ranges);
    }

    /**
     * Parses a list such as {@code 800, 801, 7000-7099}.
     *
     * @param key the configuration key, for the error message
     * @param spec the list; blank means none
     * @return the extensions
     * @throws IllegalArgumentException naming the key, the bad element and what is allowed
     */
    public static ConferenceExtensions parse(String key, String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Range> out = new ArrayList<>();
        for (String raw : spec.split("[,;\\s]+")) {
            if (raw.isEmpty()) {
                continue;
            }
            int dash = raw.indexOf('-');
            String first = dash < 0 ? raw : raw.substring(0, dash);
            String last = dash < 0 ? raw : raw.substring(dash + 1);
            if (!first.matches("[0-9]+") || !last.matches("[0-9]+") || first.length() != last.length()
                    || first.compareTo(last) > 0) {
                throw new IllegalArgumentException(key + ": '" + raw + "' is not an extension or a range of extensions"
                        + " (allowed: digits, or first-last with the same number of digits and first <= last, "
                        + "separated by commas)");
            }
            out.add(new Range(first, last));
        }
        return new ConferenceExtensions(out);
    }

    /**
     * @param ext an extension, or null
     * @return true if it is a system conference extension
     */
    public boolean contains(String ext) {
        if (ext == null) {
            return false;
        }
        String e = ext.trim();
        return ranges.stream().anyMatch(r -> r.contains(e));
    }

    /** @return true if none are configured */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        return ranges.isEmpty() ? "(none)" : String.join(", ", ranges.stream().map(Range::toString).toList());
    }
}
