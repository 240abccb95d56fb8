package journeykg.plugin;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.RelationshipType;

/**
 * One impact rule as journeykg's Python side defines it (graph/relations.py): follow a
 * relationship type, in a direction, from nodes of some classes; entry rules only from
 * entry nodes. The Python side is the only source of the rules: they arrive as parameters.
 */
final class Rule {
    final int index;
    /** The relation's name (DEPENDS_ON): the parent choice breaks ties on it, as Python sorts. */
    final String name;
    final RelationshipType type;
    final Direction direction;
    final Set<String> sources;
    final boolean entry;

    private Rule(int index, String name, String type, boolean outgoing, Set<String> sources, boolean entry) {
        this.index = index;
        this.name = name;
        this.type = RelationshipType.withName(type);
        this.direction = outgoing ? Direction.OUTGOING : Direction.INCOMING;
        this.sources = sources;
        this.entry = entry;
    }

    /** A rule from its map: {name, type, outgoing, sources, entry}. */
    @SuppressWarnings("unchecked")
    static Rule of(int index, Map<String, Object> map) {
        return new Rule(
                index,
                (String) required(map, "name"),
                (String) required(map, "type"),
                (Boolean) required(map, "outgoing"),
                new HashSet<>((List<String>) required(map, "sources")),
                (Boolean) required(map, "entry"));
    }

    private static Object required(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("journeykg.walk: a rule without '" + key + "': " + map);
        }
        return value;
    }
}
