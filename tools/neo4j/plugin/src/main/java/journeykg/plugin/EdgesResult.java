package journeykg.plugin;

import java.util.List;

/**
 * The answer of journeykg.edges as one record of flat lists (the Python driver decodes a
 * list item far faster than a record): group {@code g} is request {@code requests[g]}'s
 * start node {@code nodes[g]}, the label combination {@code types[g]} and the IRIs of its
 * neighbours with those labels, {@code neighbours[g]}.
 */
public final class EdgesResult {
    public List<Long> requests;
    public List<String> nodes;
    public List<String> types;
    public List<List<String>> neighbours;
}
