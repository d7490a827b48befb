package org.usblogd.api.store;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What outputs forward from: samples and events the store has committed, read after where an output stopped,
 * and each output's cursor, kept in the store's own database so that a restart, a crash or an outage of any
 * length resumes where the output stopped. An output moves its cursor only after its peer has committed what
 * it read (at least once: a crash in between sends some samples again).
 *
 * <p>A channel's samples are committed in time order and their times only grow, so the time of the last sample
 * forwarded is all a cursor needs per channel; events are read after the id of the last one forwarded.
 */
@ProviderType
public interface ForwardSource {

    /**
     * Makes an output known: from now on retention by age keeps every sample it has not forwarded (the disk
     * budget still goes first). Nothing changes for an output already known.
     */
    void register(String output) throws StoreException;

    /** Forgets an output and its cursors (its file is gone): retention no longer waits for it. */
    void forget(String output) throws StoreException;

    /** Every channel the store holds, with where the output stopped in it. */
    List<SourceChannel> channels(String output) throws StoreException;

    /** Up to {@code limit} committed samples of one channel after {@code afterMicros}, in time order. */
    List<StoredSample> samplesAfter(SourceChannel channel, long afterMicros, int limit) throws StoreException;

    /** The id of the last event the output forwarded (0: none yet). */
    long eventCursor(String output) throws StoreException;

    /** Up to {@code limit} committed events after the one with id {@code afterId}, in commit order. */
    List<StoredEvent> eventsAfter(long afterId, int limit) throws StoreException;

    /**
     * Moves the output's cursors in one transaction.
     *
     * @param channelTimes per {@link SourceChannel#id()}, the time of the last sample forwarded
     * @param eventId the id of the last event forwarded; 0 leaves the event cursor as it is
     */
    void advance(String output, Map<Long, Long> channelTimes, long eventId) throws StoreException;

    /** What the output has not forwarded yet. */
    Backlog backlog(String output) throws StoreException;
}
