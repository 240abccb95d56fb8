package journeykg.plugin;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

/**
 * The breadth-first impact walk of graph/impact.py, taken inside the server.
 *
 * <p>Python takes one hop per round trip: it proposes every (source, target, relation,
 * rule) one edge from the frontier, sorts the proposals, and lets the first proposal of a
 * target not yet reached set its hop count, parent and relation; a target becomes an entry
 * node when any proposal of that hop reaching it came through an entry rule. Sorted, the
 * first proposal of a target is the one with the smallest (source IRI, relation name, rule
 * index), which is what {@link Candidate#offer} keeps. Targets that turn out to be bare
 * placeholders (no type, no property, no outgoing relationship, unknown to the ontology)
 * are dropped, as Python drops what it cannot find a class for. A hop beyond maxHops is
 * not taken: every edge it would follow to a node not reached is counted against its
 * source. With stopAfter the walk stops after the first hop that brings the count of
 * reached elements above it (a first page needs no more).
 */
final class BreadthFirstWalk {
    private final Transaction tx;
    private final Schema schema;
    private final List<Rule> rules;
    private final long maxHops;
    private final long stopAfter;

    // Per reached element, by index: the roots first, in the caller's order.
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> iris = new ArrayList<>();
    private final List<String> classes = new ArrayList<>();
    private final List<Boolean> entries = new ArrayList<>();
    private final List<Long> parents = new ArrayList<>();
    private final List<Long> viaRules = new ArrayList<>();
    private final List<Boolean> stored = new ArrayList<>();
    private final Map<Long, Integer> indexOfNode = new HashMap<>();
    private final int rootCount;

    private final List<Long> levels = new ArrayList<>();
    private final List<Long> edges = new ArrayList<>();
    private final Map<Integer, Long> cut = new LinkedHashMap<>();
    private final Set<String> unknownLabels = new LinkedHashSet<>();
    private List<Integer> frontier = new ArrayList<>();

    BreadthFirstWalk(
            Transaction tx,
            Schema schema,
            List<Rule> rules,
            List<String> roots,
            List<String> rootClasses,
            long maxHops,
            long stopAfter) {
        this.tx = tx;
        this.schema = schema;
        this.rules = rules;
        this.maxHops = maxHops;
        this.stopAfter = stopAfter;
        if (roots.size() != rootClasses.size()) {
            throw new IllegalArgumentException("journeykg.walk: one class per root is needed");
        }
        for (int i = 0; i < roots.size(); i++) {
            String iri = roots.get(i);
            // A root the ontology alone knows (jkg:NPS) may have no node: it reaches nothing.
            Node node = tx.findNode(schema.resource, "iri", iri);
            add(node, iri, rootClasses.get(i), true, -1, -1, true);
            frontier.add(i);
        }
        rootCount = roots.size();
    }

    private int add(Node node, String iri, String cls, boolean entry, long parent, long rule, boolean isStored) {
        int index = nodes.size();
        nodes.add(node);
        iris.add(iri);
        classes.add(cls);
        entries.add(entry);
        parents.add(parent);
        viaRules.add(rule);
        stored.add(isStored);
        if (node != null) {
            indexOfNode.put(nodeId(node), index);
        }
        return index;
    }

    @SuppressWarnings("deprecation") // the internal id is the cheapest key while one transaction lasts
    private static long nodeId(Node node) {
        return node.getId();
    }

    /** A target first reached in the hop under way, and the best proposal for it so far. */
    private static final class Candidate {
        final Node node;
        final String iri;
        int source;
        Rule rule;
        String sourceIri;
        boolean entry;
        final List<long[]> edges = new ArrayList<>();

        Candidate(Node node, String iri) {
            this.node = node;
            this.iri = iri;
        }

        void offer(int from, String fromIri, Rule via) {
            entry |= via.entry;
            edges.add(new long[] {from, via.index});
            if (rule == null || better(fromIri, via)) {
                source = from;
                sourceIri = fromIri;
                rule = via;
            }
        }

        private boolean better(String fromIri, Rule via) {
            int order = CodePointOrder.compare(fromIri, sourceIri);
            if (order != 0) {
                return order < 0;
            }
            order = CodePointOrder.compare(via.name, rule.name);
            return order != 0 ? order < 0 : via.index < rule.index;
        }
    }

    /** Walks until done, or until stopAfter is exceeded; the answer's record. */
    WalkResult run() {
        long depth = 0;
        long count = 0;
        while (!frontier.isEmpty() && (stopAfter < 0 || count <= stopAfter)) {
            if (maxHops >= 0 && depth + 1 > maxHops) {
                countCut();
                frontier = new ArrayList<>();
                break;
            }
            step();
            if (!unknownLabels.isEmpty()) {
                return WalkResult.unknownLabels(new ArrayList<>(unknownLabels));
            }
            depth++;
            if (!frontier.isEmpty()) {
                levels.add((long) frontier.size());
                count += frontier.size();
            }
        }
        return result(frontier.isEmpty());
    }

    /** Called for each edge a rule follows from the frontier. */
    private interface EdgeVisitor {
        void visit(int source, Rule rule, Node other);
    }

    /** Every edge the rules follow from the frontier: by source, then rule, as Python asks. */
    private void forEachFollowedEdge(EdgeVisitor visitor) {
        for (int source : frontier) {
            Node node = nodes.get(source);
            if (node == null) {
                continue;
            }
            String cls = classes.get(source);
            boolean entry = entries.get(source);
            for (Rule rule : rules) {
                if ((rule.entry && !entry) || !rule.sources.contains(cls)) {
                    continue;
                }
                for (Relationship rel : node.getRelationships(rule.direction, rule.type)) {
                    visitor.visit(source, rule, rel.getOtherNode(node));
                }
            }
        }
    }

    private void step() {
        Map<Long, Candidate> fresh = new LinkedHashMap<>();
        forEachFollowedEdge((source, rule, other) -> {
            long id = nodeId(other);
            Integer known = indexOfNode.get(id);
            if (known != null) {
                edges.add((long) source);
                edges.add((long) rule.index);
                edges.add((long) known);
                return;
            }
            Candidate candidate = fresh.get(id);
            if (candidate == null) {
                // Python's hop matches (b:Resource) only.
                if (!other.hasLabel(schema.resource)) {
                    return;
                }
                candidate = new Candidate(other, (String) other.getProperty("iri", null));
                fresh.put(id, candidate);
            }
            candidate.offer(source, iris.get(source), rule);
        });
        List<Integer> next = new ArrayList<>();
        for (Candidate candidate : fresh.values()) {
            String cls = schema.classFromLabels(candidate.node, unknownLabels);
            boolean isStored = true;
            if (cls == null) {
                if (schema.holdsTriples(candidate.node)) {
                    cls = "Resource";
                } else {
                    // A bare placeholder: only the ontology may know it (jkg:FCR).
                    cls = candidate.iri == null ? null : schema.ontologyClasses.get(candidate.iri);
                    isStored = false;
                }
            }
            if (cls == null) {
                continue;
            }
            int index = add(candidate.node, candidate.iri, cls, candidate.entry, candidate.source,
                    candidate.rule.index, isStored);
            for (long[] edge : candidate.edges) {
                edges.add(edge[0]);
                edges.add(edge[1]);
                edges.add((long) index);
            }
            next.add(index);
        }
        frontier = next;
    }

    private void countCut() {
        forEachFollowedEdge((source, rule, other) -> {
            // As Python: an edge to anything not reached counts, a placeholder too.
            if (!indexOfNode.containsKey(nodeId(other)) && other.hasLabel(schema.resource)) {
                cut.merge(source, 1L, Long::sum);
            }
        });
    }

    private WalkResult result(boolean done) {
        WalkResult out = new WalkResult();
        int total = nodes.size();
        out.iris = new ArrayList<>(iris.subList(rootCount, total));
        out.levels = levels;
        Map<String, Long> classIndex = new LinkedHashMap<>();
        out.classes = new ArrayList<>(total - rootCount);
        out.parents = new ArrayList<>(parents.subList(rootCount, total));
        out.rules = new ArrayList<>(viaRules.subList(rootCount, total));
        out.unstored = new ArrayList<>();
        for (int i = rootCount; i < total; i++) {
            out.classes.add(classIndex.computeIfAbsent(classes.get(i), k -> (long) classIndex.size()));
            if (!stored.get(i)) {
                out.unstored.add((long) i);
            }
        }
        out.classNames = new ArrayList<>(classIndex.keySet());
        out.cut = new ArrayList<>();
        cut.forEach((source, n) -> {
            out.cut.add((long) source);
            out.cut.add(n);
        });
        out.done = done;
        out.unknownLabels = List.of();
        out.edges = List.of();
        out.labelNodes = new ArrayList<>();
        out.labelKeys = new ArrayList<>();
        out.labelValues = new ArrayList<>();
        // Edges and labels serve the whole answer only; a first page stops early without them.
        if (done) {
            out.edges = edges;
            for (int i = rootCount; i < total; i++) {
                if (stored.get(i)) {
                    labels(i, out);
                }
            }
        }
        return out;
    }

    private void labels(int index, WalkResult out) {
        Node node = nodes.get(index);
        for (Map.Entry<String, Object> property : node.getAllProperties().entrySet()) {
            if (schema.isLabelProperty(property.getKey())) {
                out.labelNodes.add((long) index);
                out.labelKeys.add(property.getKey());
                out.labelValues.add(plain(property.getValue()));
            }
        }
    }

    /** A stored array as a list, which a procedure may return inside a list. */
    private static Object plain(Object value) {
        if (value != null && value.getClass().isArray()) {
            int n = Array.getLength(value);
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(Array.get(value, i));
            }
            return list;
        }
        return value;
    }
}
