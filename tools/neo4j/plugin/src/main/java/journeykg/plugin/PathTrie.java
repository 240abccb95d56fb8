package journeykg.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.RelationshipType;

/**
 * The paths of journeykg.reachedTotals as a tree of hops: paths that begin alike (a
 * journey's touchpoints, then their supporting processes) follow their common hops once,
 * as the port's default in graph/store.py does. A node is an {@code end} when some path
 * ends there; the tree's own root (no hop) is the root of the walk, which reaches itself.
 */
final class PathTrie {
    final RelationshipType type;
    final Direction direction;
    final List<PathTrie> children = new ArrayList<>();
    boolean end;

    private PathTrie(RelationshipType type, Direction direction) {
        this.type = type;
        this.direction = direction;
    }

    /** The tree of {@code paths}: maps of {@code types} and {@code inverse}, hop by hop. */
    @SuppressWarnings("unchecked")
    static PathTrie of(List<Map<String, Object>> paths) {
        PathTrie root = new PathTrie(null, null);
        root.end = true;
        for (Map<String, Object> path : paths) {
            List<String> types = (List<String>) path.get("types");
            List<Boolean> inverse = (List<Boolean>) path.get("inverse");
            if (types == null || inverse == null || types.size() != inverse.size()) {
                throw new IllegalArgumentException(
                        "journeykg.reachedTotals: a path needs `types` and `inverse` of one "
                                + "length, got " + path);
            }
            PathTrie at = root;
            for (int i = 0; i < types.size(); i++) {
                at = at.child(
                        RelationshipType.withName(types.get(i)),
                        Boolean.TRUE.equals(inverse.get(i)) ? Direction.INCOMING : Direction.OUTGOING);
            }
            at.end = true;
        }
        return root;
    }

    private PathTrie child(RelationshipType type, Direction direction) {
        for (PathTrie child : children) {
            if (child.type.name().equals(type.name()) && child.direction == direction) {
                return child;
            }
        }
        PathTrie child = new PathTrie(type, direction);
        children.add(child);
        return child;
    }
}
