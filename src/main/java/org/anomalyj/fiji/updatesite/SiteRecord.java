package org.anomalyj.fiji.updatesite;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <plugin>} element of an update site's {@code db.xml.gz}: a file of the site with its
 * current version (absent for a file that was removed from the site) and its earlier versions, so
 * that Fiji recognises an older installed copy as "update available" rather than "locally
 * modified".
 */
public final class SiteRecord {
    /** Path relative to the Fiji folder, with its version if it has one (jars/onnxruntime-1.23.2.jar). */
    public final String filename;
    /** The current version's checksum ({@link UpdaterChecksum}), or null for a removed file. */
    public String checksum;
    /** The current version's timestamp, yyyyMMddHHmmss; the file is served as {@code filename-timestamp}. */
    public long timestamp;
    public long filesize;
    public String description;
    public final List<Dependency> dependencies = new ArrayList<>();
    public final List<PreviousVersion> previous = new ArrayList<>();

    public SiteRecord(String filename) {
        this.filename = filename;
    }

    /** True for a file that is no longer part of the site (only earlier versions are listed). */
    public boolean obsolete() {
        return checksum == null;
    }

    /** Another file of Fiji this one needs, at the given version timestamp. */
    public static final class Dependency {
        public final String filename;
        public final long timestamp;

        public Dependency(String filename, long timestamp) {
            this.filename = filename;
            this.timestamp = timestamp;
        }
    }

    /** An earlier version: its checksum, when it was published and when it was replaced. */
    public static final class PreviousVersion {
        public final String checksum;
        public final long timestamp;
        public final long timestampObsolete;
        /** The file name that version had (version numbers in jar names change), or null. */
        public final String filename;

        public PreviousVersion(String checksum, long timestamp, long timestampObsolete, String filename) {
            this.checksum = checksum;
            this.timestamp = timestamp;
            this.timestampObsolete = timestampObsolete;
            this.filename = filename;
        }
    }
}
