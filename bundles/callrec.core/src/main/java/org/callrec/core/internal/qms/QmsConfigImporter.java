package org.callrec.core.internal.qms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Dictionary;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.Map;

import org.callrec.api.mode.IntegrationMode;
import org.callrec.api.mode.ModeController;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code conf/CallRecordingService.exe.config} to ConfigAdmin on start, when the file is
 * new or changed since its last successful import (so edits made in the console afterwards are not
 * overwritten at every start). Also offers the gogo command {@code callrec:importConfig <file>}.
 */
@Component(service = QmsConfigImporter.class, immediate = true,
        property = {"osgi.command.scope=callrec", "osgi.command.function=importConfig"})
public final class QmsConfigImporter {

    /** The file name the original product uses. */
    public static final String FILE_NAME = "CallRecordingService.exe.config";

    private static final Logger LOG = LoggerFactory.getLogger(QmsConfigImporter.class);

    @Reference
    private ConfigurationAdmin configAdmin;

    private Path dataDir;

    @Activate
    void activate(BundleContext ctx) {
        Path confDir = Paths.get(property(ctx, "callrec.conf", "conf"));
        dataDir = Paths.get(property(ctx, "callrec.data", "data"));
        Path file = confDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            String hash = sha256(Files.readAllBytes(file));
            Path marker = dataDir.resolve("qms-import.sha256");
            if (Files.isRegularFile(marker) && Files.readString(marker).trim().equals(hash)) {
                LOG.debug("{} unchanged since its last import; not applied again", file);
                return;
            }
            if (importFile(file).ok()) {
                Files.createDirectories(dataDir);
                Files.writeString(marker, hash + "\n", StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            LOG.error("Cannot import {}: {}", file, e.getMessage());
        }
    }

    /**
     * Gogo command: validates and applies a file, printing the report.
     *
     * @param path the file
     * @return the report
     */
    public String importConfig(String path) {
        return importFile(Paths.get(path)).report();
    }

    /**
     * Validates a file against the current mode and, when valid, applies it.
     *
     * @param file the file
     * @return what was done
     */
    public QmsImport importFile(Path file) {
        QmsImport result;
        try {
            result = QmsImport.of(QmsConfigFile.read(file), currentMode());
        } catch (QmsImportException e) {
            LOG.error("Configuration import refused: {}", e.getMessage());
            return new QmsImport(Map.of(), java.util.List.of(e.getMessage()), java.util.List.of(), java.util.List.of());
        }
        result.warnings().forEach(w -> LOG.warn("Configuration import {}: {}", file, w));
        result.unknownKeys().forEach(u -> LOG.warn("Configuration import {}: unknown key {} ignored", file, u));
        if (!result.ok()) {
            result.errors().forEach(e -> LOG.error("Configuration import {}: {}", file, e));
            LOG.error("Configuration import {}: {} invalid value(s); nothing was changed", file, result.errors().size());
            return result;
        }
        try {
            for (Map.Entry<String, Map<String, Object>> e : result.properties().entrySet()) {
                Configuration c = configAdmin.getConfiguration(e.getKey(), "?");
                Dictionary<String, Object> props = c.getProperties();
                if (props == null) {
                    props = new Hashtable<>();
                }
                for (Map.Entry<String, Object> kv : e.getValue().entrySet()) {
                    props.put(kv.getKey(), kv.getValue());
                }
                c.update(props);
                LOG.info("Configuration import {}: {} <- {}", file, e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            LOG.error("Configuration import {}: ConfigAdmin refused the update: {}", file, e.getMessage());
            return new QmsImport(Map.of(), java.util.List.of("ConfigAdmin refused the update: " + e.getMessage()),
                    result.warnings(), result.unknownKeys());
        }
        return result;
    }

    private IntegrationMode currentMode() throws QmsImportException {
        try {
            Configuration[] c = configAdmin.listConfigurations("(service.pid=" + ModeController.PID + ")");
            if (c != null && c.length > 0 && c[0].getProperties() != null) {
                Object mode = c[0].getProperties().get("mode");
                if (mode != null) {
                    return IntegrationMode.fromId(String.valueOf(mode));
                }
            }
            return IntegrationMode.SHORETEL_TAPI;
        } catch (IOException | org.osgi.framework.InvalidSyntaxException | IllegalArgumentException e) {
            throw new QmsImportException("cannot read the current integration mode: " + e.getMessage(), e);
        }
    }

    private static String property(BundleContext ctx, String key, String dflt) {
        String v = ctx.getProperty(key);
        return v == null || v.isBlank() ? dflt : v;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
