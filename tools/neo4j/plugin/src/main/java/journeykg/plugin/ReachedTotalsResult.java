package journeykg.plugin;

import java.util.List;

/**
 * The answer of journeykg.reachedTotals as one record of flat lists (the Python driver
 * decodes a list item far faster than a record): {@code roots}, the roots found in the
 * store, each once, in the caller's order, with their {@code totals}; {@code overall}, the
 * total of every node any root reaches, each once; {@code reached}, how many nodes that is.
 * A root not found has no entry (the caller counts it 0.0).
 */
public final class ReachedTotalsResult {
    public List<String> roots;
    public List<Double> totals;
    public Double overall;
    public Long reached;
}
