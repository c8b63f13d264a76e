package org.callrec.core.internal.qms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * The key/value pairs of the {@code <Tapi>} section(s) of a {@code CallRecordingService.exe.config}
 * file, read with commons-configuration2. Both spellings of the original are understood: .NET
 * appSettings style {@code <Tapi><add key="…" value="…"/></Tapi>} and attributes
 * {@code <Tapi EnableDnis="true" …/>}.
 *
 * @param values key to raw value, in file order (later occurrences win, as in .NET)
 * @param warnings things noticed that do not stop the import (duplicates)
 */
public record QmsConfigFile(Map<String, String> values, List<String> warnings) {

    /** The section name, case-sensitive as in the original. */
    public static final String SECTION = "Tapi";

    /**
     * Reads a file.
     *
     * @param file the path
     * @return the section's pairs
     * @throws QmsImportException if the file cannot be read, is not well-formed XML or has no
     *         {@code <Tapi>} section
     */
    public static QmsConfigFile read(Path file) throws QmsImportException {
        if (!Files.isRegularFile(file)) {
            throw new QmsImportException(file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new QmsImportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a stream.
     *
     * @param in the XML
     * @param name a name for messages
     * @return the section's pairs
     * @throws QmsImportException if it is not well-formed XML or has no {@code <Tapi>} section
     */
    public static QmsConfigFile read(InputStream in, String name) throws QmsImportException {
        XMLConfiguration xml = new XMLConfiguration();
        xml.setDocumentBuilder(hardenedBuilder());
        try {
            new FileHandler(xml).load(in);
        } catch (ConfigurationException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new QmsImportException(name + ": not a well-formed XML configuration file: " + root.getMessage(), e);
        }
        List<ImmutableNode> sections = new ArrayList<>();
        ImmutableNode root = xml.getNodeModel().getNodeHandler().getRootNode();
        if (SECTION.equals(root.getNodeName())) {
            sections.add(root);
        }
        collect(root, sections);
        if (sections.isEmpty()) {
            throw new QmsImportException(name + ": no <" + SECTION + "> section found (the element name is case-sensitive)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (ImmutableNode section : sections) {
            section.getAttributes().forEach((k, v) -> put(values, warnings, k, String.valueOf(v)));
            for (ImmutableNode child : section.getChildren()) {
                if (!"add".equals(child.getNodeName())) {
                    warnings.add("<" + SECTION + "> contains <" + child.getNodeName() + ">, which is ignored (only <add key=… value=…/>)");
                    continue;
                }
                Object key = child.getAttributes().get("key");
                Object value = child.getAttributes().get("value");
                if (key == null) {
                    warnings.add("<add> without a key attribute is ignored");
                    continue;
                }
                put(values, warnings, String.valueOf(key), value == null ? null : String.valueOf(value));
            }
        }
        return new QmsConfigFile(values, warnings);
    }

    private static void put(Map<String, String> values, List<String> warnings, String key, String value) {
        if (values.containsKey(key)) {
            warnings.add(key + " is given more than once; the last value '" + value + "' is used");
        }
        values.remove(key); // keep the order of the winning occurrence
        values.put(key, value);
    }

    private static void collect(ImmutableNode node, List<ImmutableNode> sections) {
        for (ImmutableNode child : node.getChildren()) {
            if (SECTION.equals(child.getNodeName())) {
                sections.add(child);
            }
            collect(child, sections);
        }
    }

    private static final org.xml.sax.ErrorHandler SILENT = new org.xml.sax.ErrorHandler() {
        @Override
        public void warning(org.xml.sax.SAXParseException e) {
        }

        @Override
        public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
            throw e;
        }
    };

    /** A parser that refuses DTDs, so no external entity in an imported file is ever resolved. */
    private static DocumentBuilder hardenedBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(SILENT); // errors surface as exceptions, not on stderr
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser lacks secure-processing support", e);
        }
    }
}
