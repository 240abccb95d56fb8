package journeykg.plugin;

import static journeykg.plugin.ResourceLabel.RESOURCE;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/**
 * journeykg.writeNodes and journeykg.writeEdges: a chunk of a bulk write in compact columns,
 * written through the core API in the caller's transaction.
 *
 * <p>journeykg (graph/neo4j_store.py) calls them when they are installed and otherwise writes
 * the same chunk with {@code UNWIND} statements; the graph is the same either way (the
 * conformance tests load through both). They replace what costs the server most in those
 * statements: Cypher's row-by-row evaluation of a map per node and an index seek per edge
 * end, and the Bolt encoding of a map per row. They know nothing of journeykg's model: which
 * node gets which labels, properties and edges is decided in Python, as before; the
 * transaction (and so the batch's atomicity) is the caller's.
 */
public final class BulkWriteProcedure {
    /**
     * Bumped whenever parameters or results change meaning; journeykg looks for this text in
     * the procedures' descriptions and writes with Cypher when it does not find its own.
     */
    static final String PROTOCOL = "journeykg-bulk-protocol-1";

    private static final String IRI = "iri";
    private static final String KEY = "key";

    @Context
    public Transaction tx;

    /** The result of a write: how many nodes or edges it made or updated. */
    public static final class Written {
        public long written;

        Written(long written) {
            this.written = written;
        }
    }

    /**
     * Writes groups of nodes. Each group is a map: {@code labels} (besides Resource),
     * {@code fresh} (true: the caller found none of them, so each is created without a
     * lookup, as Cypher's CREATE did; false: each is found by IRI, or created if absent, as
     * MERGE did), {@code iris}, {@code keys}, {@code names} (property names) and
     * {@code columns} (one list per name, a value per node, null where the node has none).
     * A found node gains the group's labels and properties; none of its other properties
     * is removed, so a caller sends here only nodes that hold nothing the write replaces.
     */
    @Procedure(name = "journeykg.writeNodes", mode = Mode.WRITE)
    @Description("journeykg's bulk write of nodes in columns (" + PROTOCOL + ")")
    public Stream<Written> writeNodes(@Name("groups") List<Map<String, Object>> groups) {
        long written = 0;
        for (Map<String, Object> group : groups) {
            written += writeGroup(group);
        }
        return Stream.of(new Written(written));
    }

    @SuppressWarnings("unchecked")
    private long writeGroup(Map<String, Object> group) {
        List<String> names = (List<String>) group.get("labels");
        Label[] labels = new Label[names.size() + 1];
        labels[0] = RESOURCE;
        for (int i = 0; i < names.size(); i++) {
            labels[i + 1] = Label.label(names.get(i));
        }
        boolean fresh = Boolean.TRUE.equals(group.get("fresh"));
        List<String> iris = (List<String>) group.get("iris");
        List<String> keys = (List<String>) group.get("keys");
        List<String> properties = (List<String>) group.get("names");
        List<List<Object>> columns = (List<List<Object>>) group.get("columns");
        for (int i = 0; i < iris.size(); i++) {
            String iri = iris.get(i);
            String doing = "created";
            try {
                Node node = fresh ? null : tx.findNode(RESOURCE, IRI, iri);
                if (node == null) {
                    node = tx.createNode(labels);
                    node.setProperty(IRI, iri);
                } else {
                    doing = "given its labels " + names;
                    for (int l = 1; l < labels.length; l++) {
                        node.addLabel(labels[l]);
                    }
                }
                for (int p = 0; p < properties.size(); p++) {
                    Object value = columns.get(p).get(i);
                    if (value != null) {
                        doing = "given `" + properties.get(p) + "` = " + value;
                        node.setProperty(properties.get(p), stored(value));
                    }
                }
                doing = "given its key";
                node.setProperty(KEY, keys.get(i));
            } catch (RuntimeException e) {
                // The core API reports a broken constraint without the node or the
                // property (an IndexEntryConflictException): name both, as Cypher does.
                // Not chained: Neo4j would report only the innermost cause to the client.
                throw new IllegalStateException(
                        "node " + iri + " could not be " + doing + ": " + reason(e));
            }
        }
        return iris.size();
    }

    /** The first message along the causes (the outer ones repeat it in less detail). */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    /**
     * Writes edges. {@code placeholders} and {@code placeholderKeys}: the edges' targets
     * that may not exist yet, each created as a bare node (IRI and key) where the IRI index
     * does not find it. {@code groups}: a map per relationship type, {@code type},
     * {@code sources} (IRIs), {@code counts} (targets per source) and {@code targets} (the
     * sources' targets in a row). Both ends are found by IRI; an edge whose end is missing
     * (deleted by another writer meanwhile) is not made, and the count returned says so.
     */
    @Procedure(name = "journeykg.writeEdges", mode = Mode.WRITE)
    @Description("journeykg's bulk write of edges in columns (" + PROTOCOL + ")")
    @SuppressWarnings("unchecked")
    public Stream<Written> writeEdges(
            @Name("placeholders") List<String> placeholders,
            @Name("placeholderKeys") List<String> placeholderKeys,
            @Name("groups") List<Map<String, Object>> groups) {
        // Nodes found once per call: a hub is the target of thousands of edges.
        Map<String, Node> found = new HashMap<>();
        for (int i = 0; i < placeholders.size(); i++) {
            String iri = placeholders.get(i);
            Node node = tx.findNode(RESOURCE, IRI, iri);
            if (node == null) {
                node = tx.createNode(RESOURCE);
                node.setProperty(IRI, iri);
                node.setProperty(KEY, placeholderKeys.get(i));
            }
            found.put(iri, node);
        }
        long made = 0;
        for (Map<String, Object> group : groups) {
            RelationshipType type = RelationshipType.withName((String) group.get("type"));
            List<String> sources = (List<String>) group.get("sources");
            List<Long> counts = (List<Long>) group.get("counts");
            List<String> targets = (List<String>) group.get("targets");
            int next = 0;
            for (int i = 0; i < sources.size(); i++) {
                Node source = find(found, sources.get(i));
                int count = counts.get(i).intValue();
                for (int t = next; t < next + count; t++) {
                    Node target = find(found, targets.get(t));
                    if (source != null && target != null) {
                        source.createRelationshipTo(target, type);
                        made++;
                    }
                }
                next += count;
            }
        }
        return Stream.of(new Written(made));
    }

    private Node find(Map<String, Node> found, String iri) {
        Node node = found.get(iri);
        if (node == null) {
            node = tx.findNode(RESOURCE, IRI, iri);
            if (node != null) {
                found.put(iri, node);
            }
        }
        return node;
    }

    /** A Bolt value as a property value: a list becomes the array Neo4j stores. */
    static Object stored(Object value) {
        if (!(value instanceof List<?> list)) {
            return value;
        }
        // journeykg sends lists of one type only (property_graph._listed), never empty.
        Object first = list.get(0);
        int size = list.size();
        if (first instanceof String) {
            return list.toArray(new String[size]);
        }
        if (first instanceof Long) {
            long[] array = new long[size];
            for (int i = 0; i < size; i++) {
                array[i] = (Long) list.get(i);
            }
            return array;
        }
        if (first instanceof Double) {
            double[] array = new double[size];
            for (int i = 0; i < size; i++) {
                array[i] = (Double) list.get(i);
            }
            return array;
        }
        if (first instanceof Boolean) {
            boolean[] array = new boolean[size];
            for (int i = 0; i < size; i++) {
                array[i] = (Boolean) list.get(i);
            }
            return array;
        }
        throw new IllegalArgumentException(
                "journeykg.writeNodes: a list of " + first.getClass().getSimpleName()
                        + " cannot be stored as a property");
    }
}
