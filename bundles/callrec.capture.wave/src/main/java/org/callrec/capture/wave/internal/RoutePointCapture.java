package org.callrec.capture.wave.internal;

import org.callrec.api.capture.AudioCapture;
import org.callrec.api.capture.CaptureException;
import org.callrec.api.capture.CaptureRequest;
import org.callrec.api.capture.CaptureSession;
import org.callrec.api.mode.IntegrationMode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route Point capture. Registered only while the ShoreTel TAPI/Wave mode is active. A missing
 * Route Point extension is reported at activation; the Route Point call itself is not built yet,
 * so a request is refused with the reason.
 */
@Component(immediate = true, configurationPid = "org.callrec.capture.wave",
        property = IntegrationMode.SERVICE_PROPERTY + "=shoretel-tapi-wave")
@Designate(ocd = WaveConfig.class)
public final class RoutePointCapture implements AudioCapture {

    private static final Logger LOG = LoggerFactory.getLogger(RoutePointCapture.class);

    private volatile String routePoint;

    @Activate
    @Modified
    void configure(WaveConfig config) {
        routePoint = config.ShoreTelTapiWaveRoutePointExtension().trim();
        if (routePoint.isEmpty()) {
            LOG.error("ShoreTelTapiWaveRoutePointExtension is not set: it is required in ShoreTel TAPI/Wave mode; "
                    + "no call can be recorded until it is (configuration org.callrec.capture.wave)");
        }
        if (config.TapiWaveBuffersPerDevice() > 8) {
            LOG.warn("TapiWaveBuffersPerDevice={}: values above 8 give no gain", config.TapiWaveBuffersPerDevice());
        }
    }

    @Override
    public IntegrationMode mode() {
        return IntegrationMode.SHORETEL_TAPI_WAVE;
    }

    @Override
    public CaptureSession start(CaptureRequest request) throws CaptureException {
        if (routePoint.isEmpty()) {
            throw new CaptureException("ShoreTelTapiWaveRoutePointExtension is not configured");
        }
        throw new CaptureException("Route Point capture via extension " + routePoint + " is not available in this build");
    }
}
