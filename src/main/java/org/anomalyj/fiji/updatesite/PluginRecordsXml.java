package org.anomalyj.fiji.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Reads and writes the update-site flavour of Fiji's {@code db.xml.gz}: gzipped XML with an
 * internal DTD, root {@code pluginRecords} holding one {@code plugin} element per file (see
 * imagej-updater's {@code XMLFileWriter}/{@code XMLFileReader}). An update site's index has no
 * {@code update-site} elements (those are only in a Fiji installation's local index):
 * <pre>
 * &lt;plugin filename="jars/x-1.0.jar"&gt;
 *     &lt;version checksum="sha1hex" timestamp="20261124220000" filesize="1234"&gt;
 *         &lt;description&gt;...&lt;/description&gt;
 *         &lt;dependency filename="jars/y.jar" timestamp="20261124220000"/&gt;
 *     &lt;/version&gt;
 *     &lt;previous-version timestamp="..." timestamp-obsolete="..." checksum="..." filename="..."/&gt;
 * &lt;/plugin&gt;
 * </pre>
 */
public final class PluginRecordsXml {
    /** The element declarations of the format (the updater writes the same structure). */
    static final String DOCTYPE = String.join("\n",
            "<!DOCTYPE pluginRecords [",
            "<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>",
            "<!ELEMENT update-site EMPTY>",
            "<!ELEMENT disabled-update-site EMPTY>",
            "<!ELEMENT plugin (platform*, category*, version?, previous-version*)>",
            "<!ELEMENT version (description?, dependency*, link*, author*)>",
            "<!ELEMENT previous-version EMPTY>",
            "<!ELEMENT description (#PCDATA)>",
            "<!ELEMENT dependency EMPTY>",
            "<!ELEMENT link (#PCDATA)>",
            "<!ELEMENT author (#PCDATA)>",
            "<!ELEMENT platform (#PCDATA)>",
            "<!ELEMENT category (#PCDATA)>",
            "<!ATTLIST update-site name CDATA #REQUIRED url CDATA #REQUIRED keep-url CDATA #IMPLIED"
                    + " official CDATA #IMPLIED ssh-host CDATA #IMPLIED upload-directory CDATA #IMPLIED"
                    + " description CDATA #IMPLIED maintainer CDATA #IMPLIED timestamp CDATA #REQUIRED>",
            "<!ATTLIST disabled-update-site name CDATA #REQUIRED url CDATA #REQUIRED keep-url CDATA #IMPLIED"
                    + " official CDATA #IMPLIED ssh-host CDATA #IMPLIED upload-directory CDATA #IMPLIED"
                    + " description CDATA #IMPLIED maintainer CDATA #IMPLIED timestamp CDATA #REQUIRED>",
            "<!ATTLIST plugin update-site CDATA #IMPLIED filename CDATA #REQUIRED executable CDATA #IMPLIED>",
            "<!ATTLIST dependency filename CDATA #REQUIRED timestamp CDATA #IMPLIED overrides CDATA #IMPLIED>",
            "<!ATTLIST version timestamp CDATA #REQUIRED checksum CDATA #REQUIRED filesize CDATA #REQUIRED>",
            "<!ATTLIST previous-version filename CDATA #IMPLIED timestamp CDATA #REQUIRED"
                    + " timestamp-obsolete CDATA #IMPLIED checksum CDATA #REQUIRED>]>");

    private PluginRecordsXml() {
    }

    /** Writes {@code records} as gzipped XML. */
    public static void write(List<SiteRecord> records, OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        Writer w = new OutputStreamWriter(gz, StandardCharsets.UTF_8);
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.write(DOCTYPE);
        w.write("\n<pluginRecords>\n");
        for (SiteRecord r : records) {
            w.write("    <plugin filename=\"" + escape(r.filename) + "\">\n");
            if (!r.obsolete()) {
                w.write("        <version checksum=\"" + r.checksum + "\" timestamp=\"" + r.timestamp
                        + "\" filesize=\"" + r.filesize + "\">\n");
                if (r.description != null) {
                    w.write("            <description>" + escape(r.description) + "</description>\n");
                }
                for (SiteRecord.Dependency d : r.dependencies) {
                    w.write("            <dependency filename=\"" + escape(d.filename) + "\" timestamp=\"" + d.timestamp
                            + "\"/>\n");
                }
                w.write("        </version>\n");
            }
            for (SiteRecord.PreviousVersion p : r.previous) {
                w.write("        <previous-version timestamp=\"" + p.timestamp + "\" timestamp-obsolete=\""
                        + p.timestampObsolete + "\" checksum=\"" + p.checksum + "\""
                        + (p.filename != null ? " filename=\"" + escape(p.filename) + "\"" : "") + "/>\n");
            }
            w.write("    </plugin>\n");
        }
        w.write("</pluginRecords>\n");
        w.flush();
        gz.finish();
    }

    /** Reads a gzipped index (for merging with a new release and for checks). */
    public static List<SiteRecord> read(Path dbXmlGz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dbXmlGz))) {
            return read(in);
        }
    }

    /** Reads plain (not gzipped) XML. */
    public static List<SiteRecord> read(InputStream xml) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed in db.xml.gz: " + systemId);
            });
            doc = b.parse(xml);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not an update-site index (" + e.getMessage() + ")", e);
        }
        Element root = doc.getDocumentElement();
        if (!"pluginRecords".equals(root.getTagName())) {
            throw new IOException("not an update-site index: root element is " + root.getTagName());
        }
        List<SiteRecord> out = new ArrayList<>();
        for (Element p : children(root, "plugin")) {
            SiteRecord r = new SiteRecord(p.getAttribute("filename"));
            for (Element v : children(p, "version")) {
                r.checksum = v.getAttribute("checksum");
                r.timestamp = number(v, "timestamp");
                r.filesize = number(v, "filesize");
                for (Element d : children(v, "description")) {
                    r.description = d.getTextContent();
                }
                for (Element d : children(v, "dependency")) {
                    r.dependencies.add(new SiteRecord.Dependency(d.getAttribute("filename"), number(d, "timestamp")));
                }
            }
            for (Element pv : children(p, "previous-version")) {
                String name = pv.getAttribute("filename");
                r.previous.add(new SiteRecord.PreviousVersion(pv.getAttribute("checksum"), number(pv, "timestamp"),
                        number(pv, "timestamp-obsolete"), name.isEmpty() ? null : name));
            }
            out.add(r);
        }
        return out;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element && tag.equals(((Element) n).getTagName())) {
                out.add((Element) n);
            }
        }
        return out;
    }

    private static long number(Element e, String attribute) {
        String v = e.getAttribute(attribute);
        return v.isEmpty() ? 0 : Long.parseLong(v);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '&':
                    b.append("&amp;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }
}
