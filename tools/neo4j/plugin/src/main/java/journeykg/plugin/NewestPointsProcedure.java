package journeykg.plugin;

import static journeykg.plugin.ResourceLabel.RESOURCE;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * journeykg.newestPoints: the newest points of dated series, as Store.newest_points defines
 * them (graph/store.py) and the Cypher statement of Neo4jStore.newest_points computes them.
 *
 * <p>A series is a holder (a contact reason) and a channel: its facts are the nodes labelled
 * {@code kind} linked to the holder ({@code (fact)-[:link]->(holder)}) whose first
 * {@code by} neighbour is the channel ("" when they have none). A fact is a point of a
 * measure when it states a start, an end and that measure; of two facts with one start the
 * greater IRI is kept; a series keeps its {@code last} newest starts. Values are read as the
 * statement reads them: the property named so unless it is a list, else the first property
 * (in the node's key order) named so followed by {@code mark} that is not a list (a literal
 * whose datatype is not the predicate's range, graph/property_graph.py). Starts and IRIs
 * are compared by code point, as Cypher and Python compare strings.
 *
 * <p>After a sync, the signal rules ask this of every series it wrote into; the statement
 * made rows of every fact of those holders (a sync on a 1M-node graph waited ~0.15 s for
 * it). It knows nothing of journeykg's model: the names arrive as parameters.
 */
public final class NewestPointsProcedure {
    /**
     * Bumped whenever parameters or results change meaning; journeykg looks for this text
     * in the procedure's description and asks the Cypher statement when it does not find it.
     */
    static final String PROTOCOL = "journeykg-newest-protocol-1";

    @Context
    public Transaction tx;

    /**
     * {@code holders}: per holder, {@code [iri, [channel iri or "", ...]]}. {@code kind},
     * {@code link}, {@code by}: the facts' label, the relationship to their holder and to
     * their channel. {@code start}, {@code end}, {@code measures}: property names.
     */
    @Procedure(name = "journeykg.newestPoints", mode = Mode.READ)
    @Description("journeykg's newest points of dated series (" + PROTOCOL + ")")
    public Stream<NewestPointsResult> newestPoints(
            @Name("holders") List<List<Object>> holders,
            @Name("kind") String kind,
            @Name("link") String link,
            @Name("by") String by,
            @Name("start") String start,
            @Name("end") String end,
            @Name("measures") List<String> measures,
            @Name("mark") String mark,
            @Name("last") long last) {
        Label factLabel = Label.label(kind);
        RelationshipType linkType = RelationshipType.withName(link);
        RelationshipType byType = RelationshipType.withName(by);
        NewestPointsResult out = new NewestPointsResult();
        out.holders = new ArrayList<>();
        out.channels = new ArrayList<>();
        out.measures = new ArrayList<>();
        out.points = new ArrayList<>();
        for (List<Object> asked : holders) {
            String iri = (String) asked.get(0);
            Set<String> channels = new HashSet<>();
            for (Object channel : (List<?>) asked.get(1)) {
                channels.add((String) channel);
            }
            Node holder = tx.findNode(RESOURCE, "iri", iri);
            if (holder == null) {
                continue;
            }
            // Per channel and measure: per start, the kept fact (greatest IRI) as a point.
            Map<String, List<TreeMap<String, List<Object>>>> series = new TreeMap<>();
            for (Relationship edge : holder.getRelationships(Direction.INCOMING, linkType)) {
                Node fact = edge.getOtherNode(holder);
                if (!fact.hasLabel(factLabel)) {
                    continue;
                }
                String channel = channelOf(fact, byType);
                if (!channels.contains(channel)) {
                    continue;
                }
                Object startValue = valueOf(fact, start, mark);
                Object endValue = valueOf(fact, end, mark);
                if (startValue == null || endValue == null) {
                    continue;
                }
                String from = CypherValues.text(startValue);
                String to = CypherValues.text(endValue);
                String factIri = (String) fact.getProperty("iri", null);
                List<TreeMap<String, List<Object>>> perMeasure = series.computeIfAbsent(
                        channel, c -> newPerMeasure(measures.size()));
                for (int m = 0; m < measures.size(); m++) {
                    Object value = valueOf(fact, measures.get(m), mark);
                    if (value == null) {
                        continue;
                    }
                    TreeMap<String, List<Object>> byStart = perMeasure.get(m);
                    List<Object> kept = byStart.get(from);
                    if (kept == null || greater(factIri, (String) kept.get(3))) {
                        List<Object> point = new ArrayList<>(4);
                        point.add(from);
                        point.add(to);
                        point.add(CypherValues.toFloat(value));
                        point.add(factIri);
                        byStart.put(from, point);
                        if (byStart.size() > last) {
                            // An older start can never be among the newest again: a
                            // series' history is kept to `last` points, not all of it.
                            byStart.pollFirstEntry();
                        }
                    }
                }
            }
            for (Map.Entry<String, List<TreeMap<String, List<Object>>>> entry : series.entrySet()) {
                for (int m = 0; m < measures.size(); m++) {
                    TreeMap<String, List<Object>> byStart = entry.getValue().get(m);
                    if (byStart.isEmpty()) {
                        continue;
                    }
                    List<List<Object>> newest = new ArrayList<>();
                    for (List<Object> point : byStart.descendingMap().values()) {
                        if (newest.size() >= last) {
                            break;
                        }
                        newest.add(point);
                    }
                    out.holders.add(iri);
                    out.channels.add(entry.getKey());
                    out.measures.add((long) m);
                    out.points.add(newest);
                }
            }
        }
        return Stream.of(out);
    }

    private static List<TreeMap<String, List<Object>>> newPerMeasure(int size) {
        List<TreeMap<String, List<Object>>> perMeasure = new ArrayList<>(size);
        for (int m = 0; m < size; m++) {
            perMeasure.add(new TreeMap<>(CodePointOrder::compare));
        }
        return perMeasure;
    }

    /** The IRI of the fact's first {@code by} neighbour that is a resource; "" if none. */
    private static String channelOf(Node fact, RelationshipType byType) {
        for (Relationship edge : fact.getRelationships(Direction.OUTGOING, byType)) {
            Node target = edge.getOtherNode(fact);
            if (target.hasLabel(RESOURCE)) {
                Object iri = target.getProperty("iri", null);
                return iri == null ? "" : (String) iri;
            }
        }
        return "";
    }

    /** The value under {@code name} unless it is a list, else the first marked one that is not. */
    private static Object valueOf(Node fact, String name, String mark) {
        Object plain = fact.getProperty(name, null);
        if (plain != null && !plain.getClass().isArray()) {
            return plain;
        }
        String marked = name + mark;
        for (String key : fact.getPropertyKeys()) {
            if (key.startsWith(marked)) {
                Object value = fact.getProperty(key);
                if (!value.getClass().isArray()) {
                    return value;
                }
            }
        }
        return null;
    }

    /** Whether {@code a} comes after {@code b} (null first, as Cypher's max skips nulls). */
    private static boolean greater(String a, String b) {
        if (a == null) {
            return false;
        }
        return b == null || CodePointOrder.compare(a, b) > 0;
    }
}
