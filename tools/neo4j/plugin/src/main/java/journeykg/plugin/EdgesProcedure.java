package journeykg.plugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/**
 * journeykg.edges: one hop along some relationship types from some nodes, as
 * Neo4jStore.edges (graph/neo4j_store.py) asks it of its Cypher statement.
 *
 * <p>Request {@code k} follows {@code types[k]} out of (or, where {@code inverse[k]}, into)
 * each node of {@code nodes[k]} (IRIs of nodes labelled {@code resource}) to its neighbours
 * labelled {@code resource}. Its edges come grouped as the statement groups them: per start
 * node and combination of the neighbours' other labels (each preceded by a space, in the
 * node's label order, as Cypher's {@code labels()} gives them), the neighbours' IRIs.
 *
 * <p>Why a procedure: the statement is one {@code UNION ALL} part per request, the type
 * spelled into the text (an index-backed expansion of that type only, not every
 * relationship of a hub). Each combination of requests is then a text of its own, and the
 * server plans every new text: on a freshly started server 0.1 to 0.5 s each, many per
 * what-if or lifecycle picture (docs/benchmarks.md, "Cypher texts planned"). This text
 * never changes, and the core API expands by type as the statement does.
 */
public final class EdgesProcedure {
    /**
     * Bumped whenever parameters or results change meaning; journeykg looks for this text
     * in the procedure's description and asks the Cypher statement when it does not find it.
     */
    static final String PROTOCOL = "journeykg-edges-protocol-1";

    @Context
    public Transaction tx;

    @Procedure(name = "journeykg.edges", mode = Mode.READ)
    @Description("journeykg's one hop along relationship types from nodes (" + PROTOCOL + ")")
    public Stream<EdgesResult> edges(
            @Name("types") List<String> types,
            @Name("inverse") List<Boolean> inverse,
            @Name("nodes") List<List<String>> nodes,
            @Name("resource") String resource) {
        if (types.size() != inverse.size() || types.size() != nodes.size()) {
            throw new IllegalArgumentException(
                    "journeykg.edges: types, inverse and nodes must be as long as each other");
        }
        EdgesResult out = new EdgesResult();
        out.requests = new ArrayList<>();
        out.nodes = new ArrayList<>();
        out.types = new ArrayList<>();
        out.neighbours = new ArrayList<>();
        Label resourceLabel = Label.label(resource);
        Map<Node, String> labelled = new HashMap<>();
        for (int k = 0; k < types.size(); k++) {
            RelationshipType type = RelationshipType.withName(types.get(k));
            Direction direction = inverse.get(k) ? Direction.INCOMING : Direction.OUTGOING;
            // Per start IRI and label combination, in the order first met (a start asked
            // twice is one group holding its neighbours twice, as the statement's
            // aggregation makes it).
            Map<List<String>, List<String>> groups = new LinkedHashMap<>();
            for (String iri : nodes.get(k)) {
                Node start = tx.findNode(resourceLabel, "iri", iri);
                if (start == null) {
                    continue;
                }
                for (Relationship edge : start.getRelationships(direction, type)) {
                    Node other = edge.getOtherNode(start);
                    if (!other.hasLabel(resourceLabel)) {
                        continue;
                    }
                    Object otherIri = other.getProperty("iri", null);
                    if (!(otherIri instanceof String)) {
                        continue; // the statement's collect() leaves a missing IRI out
                    }
                    String labels = labelled.computeIfAbsent(other, n -> labelsOf(n, resource));
                    groups.computeIfAbsent(List.of(iri, labels), g -> new ArrayList<>())
                            .add((String) otherIri);
                }
            }
            for (Map.Entry<List<String>, List<String>> group : groups.entrySet()) {
                out.requests.add((long) k);
                out.nodes.add(group.getKey().get(0));
                out.types.add(group.getKey().get(1));
                out.neighbours.add(group.getValue());
            }
        }
        return Stream.of(out);
    }

    /** {@code reduce(s = '', t IN [l IN labels(n) WHERE l <> resource] | s + ' ' + t)}. */
    private static String labelsOf(Node node, String resource) {
        StringBuilder text = new StringBuilder();
        for (Label label : node.getLabels()) {
            if (!label.name().equals(resource)) {
                text.append(' ').append(label.name());
            }
        }
        return text.toString();
    }
}
