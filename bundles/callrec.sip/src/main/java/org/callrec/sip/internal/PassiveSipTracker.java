package org.callrec.sip.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.callrec.api.call.CallDirection;
import org.callrec.api.call.CallEvent;
import org.callrec.api.call.CallEventType;
import org.callrec.api.call.CallOrigin;
import org.callrec.api.call.CallParties;
import org.callrec.api.call.MediaHint;
import org.callrec.api.directory.User;
import org.callrec.api.directory.UserDirectory;

/**
 * Follows SIP dialogs seen passively (by Call-ID) and turns them into call events with media hints,
 * one stream per monitored side (the caller's extension and the callee's).
 *
 * <p>Rules:
 * <ul>
 * <li>initial INVITE: caller side DIALING, callee side OFFERING (media: the offer);</li>
 * <li>180/183: callee side ACCEPTED (once);</li>
 * <li>2xx to the initial INVITE: CONNECTED on both sides, media: both sides' SDP, each side's own
 * marked local;</li>
 * <li>2xx to a re-INVITE whose offer is a=sendonly / a=inactive / c=0.0.0.0: ON_HOLD on both sides;
 * a later one back to sendrecv: RESUMED (the hold concerns the audio of both parties);</li>
 * <li>BYE and CANCEL: DISCONNECTED; 2xx to the BYE, or the final answer to a cancelled or rejected
 * INVITE: IDLE;</li>
 * <li>retransmissions (same CSeq and method, or the same response) give nothing new.</li>
 * </ul>
 * A side is monitored when the user directory has a user for its extension (P-Asserted-Identity or
 * From for the caller, To or Request-URI for the callee) or for its endpoint IP (packet or SDP
 * address). Without a directory every side is reported under its URI user part. Not thread-safe.
 */
final class PassiveSipTracker {

    private static final int ENDED_MEMORY = 1024;

    private final String sourceId;
    private final Consumer<CallEvent> sink;
    private final Supplier<UserDirectory> directory;
    private final Pattern internalNumber;
    private final int maxDialogs;
    private final Map<String, Dialog> dialogs = new LinkedHashMap<>();
    private final Set<String> ended = new LinkedHashSet<>();
    private long evicted;
    private long orphans;

    PassiveSipTracker(String sourceId, Consumer<CallEvent> sink, Supplier<UserDirectory> directory,
            Pattern internalNumber, int maxDialogs) {
        this.sourceId = sourceId;
        this.sink = sink;
        this.directory = directory;
        this.internalNumber = internalNumber;
        this.maxDialogs = maxDialogs;
    }

    long evicted() {
        return evicted;
    }

    long orphans() {
        return orphans;
    }

    int dialogs() {
        return dialogs.size();
    }

    /**
     * @param sdp the message's SDP, already parsed (null when it has none or it was malformed)
     */
    void onMessage(SipMessage m, Sdp sdp, InetSocketAddress src, InetSocketAddress dst, Instant time) {
        String callId = m.callId().trim();
        Dialog d = dialogs.get(callId);
        if (m.isRequest()) {
            if (d == null) {
                if (m.method().equals("INVITE") && m.toTag() == null && !ended.contains(callId)) {
                    startDialog(callId, m, sdp, src, dst, time);
                } else {
                    orphans++;
                }
                return;
            }
            if (!d.seen.add("Q " + m.cseq() + " " + m.method())) {
                return; // retransmission
            }
            switch (m.method()) {
                case "INVITE" -> {
                    // re-INVITE: remember the offer; the 2xx decides
                    d.reinviteCseq = m.cseq();
                    d.reinviteOffer = sdp;
                    d.reinviteByCaller = d.callerTag != null && d.callerTag.equals(m.fromTag());
                }
                case "ACK" -> {
                    if (sdp != null && d.calleeSdp == null) {
                        d.calleeSdp = sdp; // late offer: the answer comes with the ACK
                    }
                }
                case "BYE", "CANCEL" -> {
                    d.byeCseq = m.method().equals("BYE") ? m.cseq() : -1;
                    emitBoth(d, CallEventType.DISCONNECTED, time);
                }
                default -> {
                    // OPTIONS, INFO, UPDATE, REFER ... give no call event
                }
            }
            return;
        }
        if (d == null) {
            orphans++;
            return;
        }
        if (!d.seen.add("R " + m.status() + " " + m.cseq() + " " + m.cseqMethod())) {
            return;
        }
        String method = m.cseqMethod();
        if (method.equals("INVITE") && m.cseq() == d.inviteCseq) {
            if (m.status() < 200) {
                if (m.status() == 180 || m.status() == 183) {
                    mapCallee(d, src, sdp);
                    emit(d, d.callee, CallEventType.ACCEPTED, time);
                }
            } else if (m.status() < 300) {
                if (sdp != null) {
                    d.calleeSdp = sdp;
                }
                mapCallee(d, src, sdp);
                emitBoth(d, CallEventType.CONNECTED, time);
            } else {
                emitBoth(d, CallEventType.DISCONNECTED, time);
                end(d, time);
            }
        } else if (method.equals("INVITE") && m.cseq() == d.reinviteCseq && m.status() >= 200 && m.status() < 300) {
            Sdp offer = d.reinviteOffer;
            if (offer != null) {
                if (d.reinviteByCaller) {
                    d.callerSdp = offer;
                    if (sdp != null) {
                        d.calleeSdp = sdp;
                    }
                } else {
                    d.calleeSdp = offer;
                    if (sdp != null) {
                        d.callerSdp = sdp;
                    }
                }
                if (offer.holds() && !d.held) {
                    d.held = true;
                    emitBoth(d, CallEventType.ON_HOLD, time);
                } else if (!offer.holds() && d.held) {
                    d.held = false;
                    emitBoth(d, CallEventType.RESUMED, time);
                }
            }
            d.reinviteCseq = -1;
        } else if (method.equals("BYE") && m.cseq() == d.byeCseq && m.status() >= 200) {
            end(d, time);
        }
    }

    private void startDialog(String callId, SipMessage invite, Sdp sdp, InetSocketAddress src, InetSocketAddress dst,
            Instant time) {
        if (dialogs.size() >= maxDialogs) {
            // Bounded memory: dialogs whose end was never seen (lost BYE) go first.
            Iterator<String> it = dialogs.keySet().iterator();
            it.next();
            it.remove();
            evicted++;
        }
        Dialog d = new Dialog(callId);
        d.callerTag = invite.fromTag();
        d.inviteCseq = invite.cseq();
        d.seen.add("Q " + invite.cseq() + " INVITE");
        d.callerSdp = sdp;
        String pai = SipUri.user(invite.header("p-asserted-identity"));
        String from = SipUri.user(invite.header("from"));
        String to = SipUri.user(invite.header("to"));
        if (to == null) {
            to = SipUri.user(invite.requestUri());
        }
        d.caller = side(pai != null ? pai : from, address(src), sdp);
        d.callee = side(to, address(dst), null);
        dialogs.put(callId, d);
        emit(d, d.caller, CallEventType.DIALING, time);
        emit(d, d.callee, CallEventType.OFFERING, time);
    }

    private void mapCallee(Dialog d, InetSocketAddress responder, Sdp answer) {
        if (d.callee.extension != null || directory.get() == null) {
            return;
        }
        Side s = side(d.callee.number, address(responder), answer);
        d.callee = s;
    }

    private Side side(String number, String ip, Sdp sdp) {
        UserDirectory dir = directory.get();
        if (dir == null) {
            return new Side(number, number); // no directory: every party is reported
        }
        if (number != null) {
            Optional<User> u = dir.byExtension(number);
            if (u.isPresent()) {
                return new Side(number, number);
            }
        }
        List<String> ips = new ArrayList<>();
        if (ip != null) {
            ips.add(ip);
        }
        if (sdp != null) {
            sdp.audio().forEach(a -> ips.add(a.address()));
        }
        for (String a : ips) {
            Optional<User> u = dir.byEndpointIp(a);
            if (u.isPresent()) {
                return new Side(number, u.get().extension());
            }
        }
        return new Side(number, null);
    }

    private static String address(InetSocketAddress a) {
        return a == null || a.getAddress() == null ? null : a.getAddress().getHostAddress();
    }

    private void end(Dialog d, Instant time) {
        emitBoth(d, CallEventType.IDLE, time);
        dialogs.remove(d.callId);
        ended.add(d.callId);
        if (ended.size() > ENDED_MEMORY) {
            Iterator<String> it = ended.iterator();
            it.next();
            it.remove();
        }
    }

    private void emitBoth(Dialog d, CallEventType type, Instant time) {
        emit(d, d.caller, type, time);
        emit(d, d.callee, type, time);
    }

    private void emit(Dialog d, Side side, CallEventType type, Instant time) {
        if (side.extension == null) {
            return;
        }
        String key = side == d.caller ? "caller" : "callee";
        if ((type == CallEventType.DISCONNECTED || type == CallEventType.ACCEPTED || type == CallEventType.IDLE)
                && !d.emitted.add(key + " " + type)) {
            return;
        }
        boolean isCaller = side == d.caller;
        Side other = isCaller ? d.callee : d.caller;
        boolean internal = d.caller.number != null && d.callee.number != null
                && internalNumber.matcher(d.caller.number).matches() && internalNumber.matcher(d.callee.number).matches();
        CallParties parties = new CallParties(d.caller.number, d.callee.number,
                d.connected(type) ? other.number : null, null);
        List<MediaHint> media = new ArrayList<>();
        Sdp own = isCaller ? d.callerSdp : d.calleeSdp;
        Sdp theirs = isCaller ? d.calleeSdp : d.callerSdp;
        if (own != null) {
            media.addAll(own.hints(true));
        }
        if (theirs != null) {
            media.addAll(theirs.hints(false));
        }
        sink.accept(new CallEvent(sourceId, d.callId, type, time, side.extension, parties,
                internal ? CallOrigin.INTERNAL : CallOrigin.EXTERNAL,
                isCaller ? CallDirection.OUTBOUND : CallDirection.INBOUND, null, List.of(), media));
    }

    /** One party of a dialog: its number and, when monitored, the extension events go to. */
    private record Side(String number, String extension) {
    }

    private static final class Dialog {
        final String callId;
        final Set<String> seen = new HashSet<>();
        final Set<String> emitted = new HashSet<>();
        String callerTag;
        long inviteCseq;
        long reinviteCseq = -1;
        long byeCseq = -1;
        boolean reinviteByCaller;
        Sdp reinviteOffer;
        Sdp callerSdp;
        Sdp calleeSdp;
        boolean held;
        boolean answered;
        Side caller;
        Side callee;

        Dialog(String callId) {
            this.callId = callId;
        }

        boolean connected(CallEventType t) {
            if (t == CallEventType.CONNECTED) {
                answered = true;
            }
            return answered;
        }
    }
}
