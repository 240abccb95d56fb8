package journeykg.plugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;

/**
 * How a node's journeykg class follows from its labels, as graph/store.py's element_type
 * computes it, and which nodes are bare placeholders. Everything comes from the caller
 * (Python computes it from the property-graph mapping and the ontology):
 *
 * <ul>
 *   <li>{@code resourceLabel}: the label every journeykg node carries (not a type);
 *   <li>{@code labelRanks}: every other label known to the caller, mapped to an index in
 *       {@code rankedClasses}; a node's class is the entry of its smallest rank, so the
 *       caller's ordering (the alphabetically first journeykg class, then "Concept", then
 *       "Resource") decides, not Java's string order;
 *   <li>{@code identityProperties}: properties that name the node, not a triple;
 *   <li>{@code ontologyClasses}: the class of IRIs the ontology types, for placeholders;
 *   <li>{@code labelProperties}: prefixes of the properties that hold display labels.
 * </ul>
 */
final class Schema {
    final Label resource;
    final String resourceName;
    final Map<String, Integer> labelRanks = new HashMap<>();
    final List<String> rankedClasses;
    final Set<String> identity;
    final Map<String, String> ontologyClasses = new HashMap<>();
    final List<String> labelProperties;

    @SuppressWarnings("unchecked")
    Schema(Map<String, Object> map) {
        resourceName = (String) map.get("resourceLabel");
        resource = Label.label(resourceName);
        rankedClasses = new ArrayList<>((List<String>) map.get("rankedClasses"));
        ((Map<String, Object>) map.get("labelRanks")).forEach((k, v) -> labelRanks.put(k, ((Number) v).intValue()));
        identity = new HashSet<>((List<String>) map.get("identityProperties"));
        ((Map<String, Object>) map.get("ontologyClasses")).forEach((k, v) -> ontologyClasses.put(k, (String) v));
        labelProperties = new ArrayList<>((List<String>) map.get("labelProperties"));
    }

    /** A node's class from its labels; null when it has no label but the resource label. */
    String classFromLabels(Node node, Set<String> unknown) {
        int best = Integer.MAX_VALUE;
        for (Label label : node.getLabels()) {
            String name = label.name();
            if (name.equals(resourceName)) {
                continue;
            }
            Integer rank = labelRanks.get(name);
            if (rank == null) {
                unknown.add(name);
            } else if (rank < best) {
                best = rank;
            }
        }
        return best == Integer.MAX_VALUE ? null : rankedClasses.get(best);
    }

    /** Stored: some triple has the node as subject (a property or an outgoing relationship). */
    boolean holdsTriples(Node node) {
        for (String key : node.getPropertyKeys()) {
            if (!identity.contains(key)) {
                return true;
            }
        }
        return node.getDegree(org.neo4j.graphdb.Direction.OUTGOING) > 0;
    }

    boolean isLabelProperty(String key) {
        for (String prefix : labelProperties) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
