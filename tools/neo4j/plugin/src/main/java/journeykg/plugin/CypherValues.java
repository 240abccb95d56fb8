package journeykg.plugin;

import java.lang.reflect.Array;
import java.time.temporal.TemporalAccessor;

import org.neo4j.values.storable.Values;

/**
 * Stored property values as Cypher's {@code toString} and {@code toFloat} give them, for the
 * procedures whose answers must equal the Cypher statements journeykg asks without the
 * plugin (LatestTotal, NewestPointsProcedure). A list, which journeykg never stores where
 * these are asked, counts as its first value.
 */
final class CypherValues {
    private CypherValues() {}

    /**
     * Cypher's toString: text as it is, a date or time as Neo4j's own value prints it
     * (java.time's toString differs: it leaves out zero seconds), a number or boolean as
     * Java prints it.
     */
    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value.getClass().isArray()) {
            return Array.getLength(value) == 0 ? "" : text(Array.get(value, 0));
        }
        if (value instanceof TemporalAccessor) {
            return Values.of(value).prettyPrint();
        }
        return String.valueOf(value);
    }

    /** Cypher's toFloat: a number as a double, text parsed; null where it gives null. */
    static Double toFloat(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (value != null && value.getClass().isArray() && Array.getLength(value) > 0) {
            return toFloat(Array.get(value, 0));
        }
        return null;
    }
}
