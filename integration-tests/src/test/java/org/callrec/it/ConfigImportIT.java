package org.callrec.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Dictionary;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The original product's configuration file in conf/ is applied to ConfigAdmin at start; an
 * invalid file given to the callrec:importConfig command changes nothing and says why.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigImportIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        Option[] options = ShippedRuntime.options("config-import");
        Path conf = Paths.get(System.getProperty("callrec.itdir", "target/it")).resolve("config-import/conf");
        try {
            Files.writeString(conf.resolve("CallRecordingService.exe.config"), """
                    <?xml version="1.0" encoding="utf-8"?>
                    <configuration>
                      <appSettings><add key="LogLevel" value="Info"/></appSettings>
                      <Tapi EnableDnis="True">
                        <add key="TapiWaveHeartbeatSendPort" value="9040"/>
                        <add key="TapiWaveHeartbeatReceivePort" value="9041"/>
                        <add key="TapiWaveHeartbeatTimer" value="100"/>
                        <add key="ShoreTelTapiWaveRoutePointExtension" value="7999"/>
                      </Tapi>
                    </configuration>
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return options;
    }

    private Dictionary<String, Object> awaitConfig(String pid) throws Exception {
        for (int i = 0; i < 100; i++) {
            org.osgi.service.cm.Configuration[] c = configAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (c != null && c.length == 1 && c[0].getProperties() != null) {
                return c[0].getProperties();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no configuration " + pid);
    }

    @Test
    public void fileInConfIsAppliedAtStartWithDefaultsForAbsentKeys() throws Exception {
        Dictionary<String, Object> ha = awaitConfig("org.callrec.ha");
        assertEquals(9040, ha.get("TapiWaveHeartbeatSendPort"));
        assertEquals(9041, ha.get("TapiWaveHeartbeatReceivePort"));
        assertEquals(100, ha.get("TapiWaveHeartbeatTimer"));
        assertEquals(Boolean.TRUE, awaitConfig("org.callrec.tapi").get("EnableDnis"));
        Dictionary<String, Object> wave = awaitConfig("org.callrec.capture.wave");
        assertEquals("7999", wave.get("ShoreTelTapiWaveRoutePointExtension"));
        assertEquals(4, wave.get("TapiWaveBuffersPerDevice"));
    }

    @Test
    public void invalidFileChangesNothingAndNamesKeyValueAndRange() throws Exception {
        awaitConfig("org.callrec.ha");
        Path bad = ShippedRuntime.scratch("config-import").resolve("bad.config");
        Files.writeString(bad, "<configuration><Tapi><add key=\"TapiWaveHeartbeatTimer\" value=\"250\"/>"
                + "<add key=\"TapiWaveHeartbeatSendPort\" value=\"65536\"/></Tapi></configuration>");
        String report = importConfig(bad.toString());
        assertTrue(report, report.contains("ERROR   TapiWaveHeartbeatSendPort: value '65536' is not valid; allowed: a port number 1-65535"));
        assertTrue(report, report.endsWith("Nothing was changed.\n"));
        assertEquals("timer untouched by a refused import", 100, awaitConfig("org.callrec.ha").get("TapiWaveHeartbeatTimer"));

        Files.writeString(bad, "<configuration><Tapi><add key=\"TapiWaveHeartbeatTimer\" value=\"250\"/></Tapi></configuration>");
        report = importConfig(bad.toString());
        assertTrue(report, report.contains("SET     org.callrec.ha: TapiWaveHeartbeatTimer = 250"));
        assertEquals(250, awaitConfig("org.callrec.ha").get("TapiWaveHeartbeatTimer"));
    }

    /** Calls the gogo command function the core registers (callrec:importConfig). */
    private String importConfig(String path) throws Exception {
        ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=callrec)(osgi.command.function=importConfig))");
        assertNotNull("callrec:importConfig command registered", refs);
        Object importer = context.getService(refs[0]);
        Method m = importer.getClass().getMethod("importConfig", String.class);
        return (String) m.invoke(importer, path);
    }
}
