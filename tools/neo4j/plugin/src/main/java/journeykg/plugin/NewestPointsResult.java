package journeykg.plugin;

import java.util.List;

/**
 * The answer of journeykg.newestPoints as one record of flat lists (the Python driver
 * decodes a list item far faster than a record): entry {@code i} is the series of holder
 * {@code holders[i]} and channel {@code channels[i]} ("" for none), measure
 * {@code measures[i]} (an index into the measures asked), and its {@code points[i]}: at most
 * {@code last} points, newest first, each {@code [start, end, value, fact]}. A series and
 * measure with no point has no entry.
 */
public final class NewestPointsResult {
    public List<String> holders;
    public List<String> channels;
    public List<Long> measures;
    public List<List<List<Object>>> points;
}
