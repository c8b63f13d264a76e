package org.callrec.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Finds recordings and their audio, by id only. */
@ProviderType
public interface RecordingCatalog {

    /**
     * One recording.
     *
     * @param id the recording's id
     * @return the entry, if it exists
     */
    Optional<RecordingEntry> get(String id);

    /**
     * Searches the catalog.
     *
     * @param query the criteria and page
     * @return the page
     */
    RecordingPage search(RecordingQuery query);

    /**
     * Opens a recording's WAV file for reading from any position, so a player seeking in a long
     * recording is served without reading what comes before; its size is the file's size at that
     * moment (a recording in progress grows).
     *
     * @param id the recording's id
     * @return the audio, if the recording has a file
     * @throws IOException if the file cannot be opened
     */
    Optional<SeekableByteChannel> audioChannel(String id) throws IOException;

    /**
     * Opens a recording's WAV file as a stream, from its start.
     *
     * @param id the recording's id
     * @return the audio, if the recording has a file
     * @throws IOException if the file cannot be read
     */
    default Optional<InputStream> audio(String id) throws IOException {
        return audioChannel(id).map(Channels::newInputStream);
    }

    /**
     * Puts a recording on legal hold (retention keeps it) or releases it.
     *
     * @param id the recording's id
     * @param hold true to keep it regardless of retention
     * @return false if no such recording exists
     */
    boolean legalHold(String id, boolean hold);

    /**
     * Deletes a recording: its audio and its catalog entry. A recording on legal hold is refused.
     *
     * @param id the recording's id
     * @return false if no such recording exists
     * @throws IOException if the file cannot be deleted
     * @throws IllegalStateException if the recording is on legal hold or still being written
     */
    boolean delete(String id) throws IOException;
}
