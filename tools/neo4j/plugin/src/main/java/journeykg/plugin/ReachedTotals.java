package journeykg.plugin;

import static journeykg.plugin.ResourceLabel.RESOURCE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

/**
 * The walk and the sums of journeykg.reachedTotals, as graph/fact_totals.py's
 * reached_totals_read_out defines them: a root reaches itself and the nodes at the end of
 * each path (hops followed from the set of nodes the previous hop reached); per root, the
 * latest totals of the distinct nodes it reaches are added up, and the overall total adds
 * those of every node any root reaches, each once. A node's total is worked out once
 * however many roots reach it (a hub process is reached by thousands of journeys).
 */
final class ReachedTotals {
    private static final String IRI = "iri";

    private final Transaction tx;
    private final PathTrie paths;
    private final LatestTotal latest;

    /** Per node (internal id): its latest total, once worked out. */
    private final Map<Long, Double> totalOf = new HashMap<>();

    // Per root, while it is walked: the nodes it reached and the sum of their totals.
    private Set<Long> reached;
    private double sum;

    ReachedTotals(Transaction tx, PathTrie paths, LatestTotal latest) {
        this.tx = tx;
        this.paths = paths;
        this.latest = latest;
    }

    ReachedTotalsResult of(List<String> roots) {
        List<String> found = new ArrayList<>();
        List<Double> totals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String iri : roots) {
            if (!seen.add(iri)) {
                continue;
            }
            Node root = tx.findNode(RESOURCE, IRI, iri);
            if (root == null) {
                continue;
            }
            reached = new HashSet<>();
            sum = 0.0;
            Map<Long, Node> start = new LinkedHashMap<>();
            start.put(id(root), root);
            walk(start, paths);
            found.add(iri);
            totals.add(sum);
        }
        // Every node any root reached once, whatever the order the roots reached them in.
        double overall = 0.0;
        for (double total : totalOf.values()) {
            overall += total;
        }
        ReachedTotalsResult result = new ReachedTotalsResult();
        result.roots = found;
        result.totals = totals;
        result.overall = overall;
        result.reached = (long) totalOf.size();
        return result;
    }

    /** Counts {@code at}'s nodes when a path ends there, then follows each hop onwards. */
    private void walk(Map<Long, Node> at, PathTrie hop) {
        if (hop.end) {
            for (Map.Entry<Long, Node> node : at.entrySet()) {
                count(node.getKey(), node.getValue());
            }
        }
        for (PathTrie next : hop.children) {
            Map<Long, Node> ends = new LinkedHashMap<>();
            for (Node node : at.values()) {
                for (Relationship edge : node.getRelationships(next.direction, next.type)) {
                    Node other = edge.getOtherNode(node);
                    if (other.hasLabel(RESOURCE)) {
                        ends.putIfAbsent(id(other), other);
                    }
                }
            }
            if (!ends.isEmpty()) {
                walk(ends, next);
            }
        }
    }

    private void count(long key, Node node) {
        if (!reached.add(key)) {
            return; // reached by another path of this root: once per root
        }
        Double total = totalOf.get(key);
        if (total == null) {
            total = latest.of(node);
            totalOf.put(key, total);
        }
        sum += total;
    }

    @SuppressWarnings("deprecation") // the internal id is the cheapest key while one transaction lasts
    private static long id(Node node) {
        return node.getId();
    }
}
