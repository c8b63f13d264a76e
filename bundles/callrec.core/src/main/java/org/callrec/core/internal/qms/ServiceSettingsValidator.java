package org.callrec.core.internal.qms;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.settings.ServiceSetting;
import org.callrec.api.settings.ServiceSettings;
import org.osgi.service.component.annotations.Component;

/** The import's validation as a service, so the console's forms say exactly what the import says. */
@Component
public final class ServiceSettingsValidator implements ServiceSettings {

    @Override
    public List<ServiceSetting> settings() {
        return Arrays.stream(TapiSetting.values()).map(s -> new ServiceSetting(s.key(), s.pid(), s.allowed(),
                s.defaultValue().map(String::valueOf).orElse(null))).toList();
    }

    @Override
    public Optional<String> problem(String key, String raw, IntegrationMode mode) {
        TapiSetting s = TapiSetting.byKey(key).orElse(null);
        if (s == null) {
            return Optional.of(key + ": not a service setting");
        }
        if (raw == null || raw.isBlank()) {
            // not given: the default applies, as for a key absent from an imported file
            return s == TapiSetting.ROUTE_POINT_EXTENSION && mode == IntegrationMode.SHORETEL_TAPI_WAVE
                    ? Optional.of(s.key() + ": missing; it is required in " + mode.label() + " mode (allowed: "
                            + s.allowed() + ")")
                    : Optional.empty();
        }
        try {
            s.parse(raw);
            return Optional.empty();
        } catch (InvalidSettingException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public Object typed(String key, String raw) {
        TapiSetting s = TapiSetting.byKey(key).orElseThrow(() -> new IllegalArgumentException(key + ": not a service setting"));
        try {
            return s.parse(raw);
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
