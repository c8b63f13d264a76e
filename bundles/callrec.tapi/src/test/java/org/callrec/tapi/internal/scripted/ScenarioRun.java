package org.callrec.tapi.internal.scripted;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.callrec.api.call.CallEvent;
import org.callrec.api.call.LinkState;
import org.callrec.tapi.internal.line.CallTracker;
import org.callrec.tapi.internal.line.LinkSettings;
import org.callrec.tapi.internal.line.TapiLink;

/** Drives the real pump and state machine against the scripted PBX until the script is played. */
final class ScenarioRun {

    final ScriptedPbx pbx;
    final TapiLink link;
    final List<CallEvent> events = new CopyOnWriteArrayList<>();
    final List<LinkState> linkStates = new CopyOnWriteArrayList<>();

    ScenarioRun(Scenario scenario, boolean dnis, Duration watchdog) {
        pbx = new ScriptedPbx(List.of(scenario), false, false);
        CallTracker tracker = new CallTracker("scripted-pbx", events::add, Clock.systemUTC(), dnis,
                Pattern.compile("[0-9]{2,6}"));
        LinkSettings s = new LinkSettings("test", Duration.ofMillis(100), watchdog, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        link = new TapiLink(pbx, tracker, s, linkStates::add, Clock.systemUTC());
    }

    ScenarioRun play(Duration timeout) throws InterruptedException {
        link.start("test-pump");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pbx.finished()) {
            if (System.nanoTime() > deadline) {
                link.stop();
                throw new AssertionError("scenario not played within " + timeout + "; events so far: " + lines());
            }
            Thread.sleep(20);
        }
        link.stop();
        return this;
    }

    /** One line per event: "ext/callId TYPE [related]". */
    List<String> lines() {
        return events.stream().map(e -> e.extension() + "/" + e.callId() + " " + e.type()
                + (e.relatedCallIds().isEmpty() ? "" : " " + e.relatedCallIds())).collect(Collectors.toList());
    }

    CallEvent first(String extCall, org.callrec.api.call.CallEventType type) {
        return events.stream().filter(e -> (e.extension() + "/" + e.callId()).equals(extCall) && e.type() == type)
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " for " + extCall + " in " + lines()));
    }
}
