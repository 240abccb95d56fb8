package journeykg.plugin;

import static journeykg.plugin.ResourceLabel.RESOURCE;

import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.RelationshipType;

/**
 * One holder's latest-period total, as Store.latest_totals defines it (graph/store.py) and
 * the Cypher statement of Neo4jStore.reached_totals computes it: of the facts linked to the
 * holder ({@code (fact)-[:link]->(holder)}), those whose period is the largest, compared as
 * text (a fact without one counts as ""), have their amounts added up as doubles (a fact
 * without an amount, or with one that is not a number, adds 0).
 *
 * <p>A fact's period and amount are read, as the statement reads them, from its first
 * property (in the node's own key order) named {@code period} (or {@code amount}), or
 * named so followed by the datatype mark: a literal whose datatype is not the predicate's
 * range is stored under that name (graph/property_graph.py), e.g. a period given as a plain
 * string, or a decimal with more digits than a double keeps (stored as its text).
 */
final class LatestTotal {
    private final RelationshipType link;
    private final String amount;
    private final String amountMarked;
    private final String period;
    private final String periodMarked;

    LatestTotal(String link, String amount, String period, String mark) {
        this.link = RelationshipType.withName(link);
        this.amount = amount;
        this.amountMarked = amount + mark;
        this.period = period;
        this.periodMarked = period + mark;
    }

    /** The holder's total; 0.0 when it has no facts. */
    double of(Node holder) {
        String latest = "";
        double total = 0.0;
        for (Relationship edge : holder.getRelationships(Direction.INCOMING, link)) {
            Node fact = edge.getOtherNode(holder);
            if (!fact.hasLabel(RESOURCE)) {
                continue;
            }
            Object stated = null;
            Object number = null;
            boolean statedFound = false;
            boolean numberFound = false;
            for (String key : fact.getPropertyKeys()) {
                if (!statedFound && (key.equals(period) || key.startsWith(periodMarked))) {
                    stated = fact.getProperty(key);
                    statedFound = true;
                } else if (!numberFound && (key.equals(amount) || key.startsWith(amountMarked))) {
                    number = fact.getProperty(key);
                    numberFound = true;
                }
                if (statedFound && numberFound) {
                    break;
                }
            }
            String when = stated == null ? "" : CypherValues.text(stated);
            int order = CodePointOrder.compare(when, latest);
            if (order > 0) {
                latest = when;
                total = orZero(number);
            } else if (order == 0) {
                total += orZero(number);
            }
        }
        return total;
    }

    /** Cypher's toFloat of a stored value, 0.0 where it gives null (no value, no number). */
    private static double orZero(Object value) {
        Double number = value == null ? null : CypherValues.toFloat(value);
        return number == null ? 0.0 : number;
    }
}
