package org.callrec.capture.mirror.internal;

import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.mode.IntegrationMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Port-mirror capture. Registered only while the ShoreTel TAPI mode is active. The live pcap
 * path is not built yet: a request is refused with that reason, so the recorder records it as a
 * failure instead of pretending.
 */
@Component(immediate = true, configurationPid = "org.callrec.capture.mirror",
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi")
@Designate(ocd = MirrorConfig.class)
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
        throw new CaptureException("port-mirror capture on NIC '" + nic + "' is not available in this build");
    }
}
