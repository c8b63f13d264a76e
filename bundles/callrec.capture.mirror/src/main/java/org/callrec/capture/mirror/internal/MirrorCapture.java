package org.callrec.capture.mirror.internal;

import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.mode.IntegrationMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * Port-mirror capture. Registered only while the ShoreTel TAPI mode is active. The packet layer
 * runs ({@link MirrorPortSniffer}); binding RTP flows to calls is not built yet, so a request is
 * refused with that reason and the recorder records it as a failure instead of pretending. Shares
 * the sniffer's configuration, which {@link MirrorPortSniffer} describes to the console.
 */
@Component(immediate = true, configurationPid = "org.callrec.capture.mirror",
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi")
public final class MirrorCapture implements AudioCapture {

    private volatile String nic;

    @Activate
    @Modified
    void configure(MirrorConfig config) {
        nic = config.captureInterface();
    }

    @Override
    public IntegrationMode mode() {
        return IntegrationMode.SHORETEL_TAPI;
    }

    @Override
    public CaptureSession start(CaptureRequest request) throws CaptureException {
        throw new CaptureException("port-mirror capture on NIC '" + nic
                + "' sees packets but cannot yet bind RTP to calls in this build");
    }
}
