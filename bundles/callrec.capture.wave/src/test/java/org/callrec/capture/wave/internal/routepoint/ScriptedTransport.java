package org.callrec.capture.wave.internal.routepoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongConsumer;

/** A Route Point that answers or refuses as scripted and lets the test speak into and drop its legs. */
public final class ScriptedTransport implements RoutePointTransport {

    public final List<RoutePointDial> dials = new ArrayList<>();
    public final List<Leg> legs = new ArrayList<>();
    private final Deque<String> outcomes = new ArrayDeque<>();
    private LongConsumer onDial = n -> { };

    /** A connected Route Point call. */
    public static final class Leg implements RoutePointLeg {
        public final LegEvents events;
        public final RoutePointDial dial;
        public int hangUps;
        private long position;

        Leg(RoutePointDial dial, LegEvents events) {
            this.dial = dial;
            this.events = events;
        }

        /** The Route Point delivers these samples next. */
        public void speak(short[] samples) {
            events.audio().pcm(position, samples, 0, samples.length);
            position += samples.length;
        }

        /** The PBX drops the Route Point call. */
        public void drop(String reason) {
            events.dropped(reason);
        }

        @Override
        public synchronized void hangUp() {
            hangUps++;
        }
    }

    /** The next dial is answered. */
    public ScriptedTransport answer() {
        outcomes.add("");
        return this;
    }

    /** The next dial fails with this reason. */
    public ScriptedTransport fail(String reason) {
        outcomes.add(reason);
        return this;
    }

    /** Runs on each dial with the dial's number (e.g. to move a clock: set-up time). */
    public ScriptedTransport onDial(LongConsumer action) {
        this.onDial = action;
        return this;
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public synchronized RoutePointLeg dial(RoutePointDial dial, LegEvents events) throws RoutePointException {
        dials.add(dial);
        onDial.accept(dials.size());
        String outcome = outcomes.isEmpty() ? "" : outcomes.poll();
        if (!outcome.isEmpty()) {
            throw new RoutePointException(outcome);
        }
        Leg leg = new Leg(dial, events);
        legs.add(leg);
        return leg;
    }

    public Leg leg(int i) {
        return legs.get(i);
    }
}
