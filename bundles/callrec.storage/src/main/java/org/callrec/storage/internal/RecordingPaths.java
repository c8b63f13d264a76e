package org.callrec.storage.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Maps recording ids to files: {@code <root>/YYYY/MM/DD/<id>.wav} (UTC date of the start). Ids are
 * generated here and validated on every lookup, so no caller-supplied text (ANI, names, "../")
 * ever reaches a path.
 */
final class RecordingPaths {

    private static final Pattern ID = Pattern.compile("[0-9]{8}-[0-9a-f]{32}");

    private final Path root;

    RecordingPaths(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A new id: the UTC start date (so the file's folder follows from the id) and 128 random bits. */
    static String newId(Instant start) {
        ZonedDateTime t = start.atZone(ZoneOffset.UTC);
        return String.format(Locale.ROOT, "%04d%02d%02d-%s", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                UUID.randomUUID().toString().replace("-", ""));
    }

    /** @return true if the text is a well-formed recording id */
    static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * The WAV file of a recording.
     *
     * @param id a recording id
     * @return the path under the root
     * @throws IllegalArgumentException if the id is not well-formed
     */
    Path wav(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a recording id: '" + id + "'");
        }
        Path p = root.resolve(id.substring(0, 4)).resolve(id.substring(4, 6)).resolve(id.substring(6, 8))
                .resolve(id + ".wav").normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("recording id escapes the recordings folder: '" + id + "'");
        }
        return p;
    }

    /** @return the root folder of the recordings */
    Path root() {
        return root;
    }

    /**
     * Deletes a recording's files: the WAV file and any raw payload kept beside it.
     *
     * @return the files deleted
     */
    List<Path> delete(String id) throws IOException {
        Path wav = wav(id);
        List<Path> deleted = new ArrayList<>();
        if (Files.deleteIfExists(wav)) {
            deleted.add(wav);
        }
        if (Files.isDirectory(wav.getParent())) {
            try (DirectoryStream<Path> raw = Files.newDirectoryStream(wav.getParent(), id + ".ch*.raw")) {
                for (Path p : raw) {
                    Files.delete(p);
                    deleted.add(p);
                }
            }
        }
        return deleted;
    }

    /**
     * The raw payload files kept beside a recording's WAV ({@code <id>.ch<N>.<codec>.raw}).
     *
     * @return the files, sorted by name (so by channel)
     */
    List<Path> raw(String id) throws IOException {
        Path dir = wav(id).getParent();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> raw = Files.newDirectoryStream(dir, id + ".ch*.raw")) {
                raw.forEach(files::add);
            }
        }
        files.sort(null);
        return files;
    }

    /** @return the channel a raw payload file name ({@code <id>.ch<N>.<codec>.raw}) names */
    static int rawChannel(Path raw) {
        String name = raw.getFileName().toString();
        int ch = name.indexOf(".ch");
        int dot = name.indexOf('.', ch + 3);
        try {
            return Integer.parseInt(name.substring(ch + 3, dot));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a raw payload file name (<id>.ch<N>.<codec>.raw): " + name);
        }
    }

    /** @return the encoding a raw payload file name names, upper case (e.g. G729) */
    static String rawEncoding(Path raw) {
        String name = raw.getFileName().toString();
        int ch = name.indexOf(".ch");
        int dot = name.indexOf('.', ch + 3);
        int end = name.lastIndexOf(".raw");
        if (ch < 0 || dot < 0 || end <= dot) {
            throw new IllegalArgumentException("not a raw payload file name (<id>.ch<N>.<codec>.raw): " + name);
        }
        return name.substring(dot + 1, end).toUpperCase(Locale.ROOT);
    }

    /** The recordings folder under the data folder ({@code callrec.data}, default {@code data}). */
    static Path recordingsRoot(String dataFolder) {
        return Path.of(dataFolder == null || dataFolder.isBlank() ? "data" : dataFolder).resolve("recordings");
    }
}
