package org.callrec.capture.wave.internal.winmm;

import java.util.concurrent.atomic.AtomicBoolean;

import org.callrec.capture.wave.internal.routepoint.LegEvents;
import org.callrec.capture.wave.internal.routepoint.RoutePointDial;
import org.callrec.capture.wave.internal.routepoint.RoutePointException;
import org.callrec.capture.wave.internal.routepoint.RoutePointLeg;
import org.callrec.capture.wave.internal.routepoint.RoutePointTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Windows Route Point transport: TAPI places the Route Point call, lineGetID("wave/in") names
 * its wave device, and waveIn records it with TapiWaveBuffersPerDevice recycled buffers.
 */
public final class WinmmRoutePointTransport implements RoutePointTransport {

    private static final Logger LOG = LoggerFactory.getLogger(WinmmRoutePointTransport.class);

    private final TapiRoutePointCalls calls;
    private final WaveDeviceIds deviceIds;
    private final WaveInDriver driver;
    private final int buffersPerDevice;
    private final int bufferBytes;

    /**
     * @param calls places Route Point calls (TAPI)
     * @param deviceIds maps a call to its waveIn device
     * @param driver opens waveIn devices
     * @param buffersPerDevice TapiWaveBuffersPerDevice
     * @param bufferBytes bytes per buffer
     */
    public WinmmRoutePointTransport(TapiRoutePointCalls calls, WaveDeviceIds deviceIds, WaveInDriver driver,
            int buffersPerDevice, int bufferBytes) {
        this.calls = calls;
        this.deviceIds = deviceIds;
        this.driver = driver;
        this.buffersPerDevice = buffersPerDevice;
        this.bufferBytes = bufferBytes;
    }

    @Override
    public String name() {
        return "winmm";
    }

    @Override
    public RoutePointLeg dial(RoutePointDial dial, LegEvents events) throws RoutePointException {
        Leg leg = new Leg(events);
        TapiRoutePointCalls.PlacedCall call = calls.place(dial, leg::pbxDisconnected);
        leg.call = call;
        try {
            int device = deviceIds.waveIn(call);
            WaveInDevice dev = driver.open(device);
            leg.capture = new WaveInCapture(dev, buffersPerDevice, bufferBytes, events.audio(), leg::deviceFailed,
                    dial.callId() + "-" + dial.attempt());
            leg.capture.start();
            if (leg.over.get()) {
                leg.capture.stop();
                throw new RoutePointException("the Route Point call ended while its audio was being connected");
            }
            LOG.debug("Route Point call {} for call {} records wave/in device {}", call, dial.callId(), device);
            return leg;
        } catch (WaveInException e) {
            leg.hangUp();
            throw new RoutePointException(e.getMessage(), e);
        } catch (RoutePointException | RuntimeException e) {
            leg.hangUp();
            throw e;
        }
    }

    private final class Leg implements RoutePointLeg {
        private final LegEvents events;
        private final AtomicBoolean over = new AtomicBoolean();
        volatile TapiRoutePointCalls.PlacedCall call;
        volatile WaveInCapture capture;

        Leg(LegEvents events) {
            this.events = events;
        }

        void pbxDisconnected(String reason) {
            if (release()) {
                events.dropped("the PBX ended the Route Point call: " + reason);
            }
        }

        void deviceFailed(String reason) {
            if (release()) {
                events.dropped(reason);
            }
        }

        @Override
        public void hangUp() {
            release();
        }

        /** @return true the first time: wave first (its buffers belong to the call's device), then the call */
        private boolean release() {
            if (!over.compareAndSet(false, true)) {
                return false;
            }
            WaveInCapture c = capture;
            if (c != null) {
                c.stop();
            }
            TapiRoutePointCalls.PlacedCall pc = call;
            if (pc != null) {
                calls.drop(pc);
            }
            return true;
        }
    }
}
