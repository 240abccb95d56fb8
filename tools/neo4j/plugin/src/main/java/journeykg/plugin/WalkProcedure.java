package journeykg.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

/**
 * journeykg.walk: a whole impact walk in one call, instead of a Bolt round trip per hop.
 *
 * <p>journeykg (graph/neo4j_walk.py) calls it when it is installed and otherwise walks hop
 * by hop in Cypher; the answers are the same either way (the conformance tests hold them
 * equal). The rules and the class logic stay in Python: they arrive as parameters.
 */
public final class WalkProcedure {
    /**
     * Bumped whenever parameters or results change meaning; journeykg looks for this text
     * in the procedure's description and walks hop by hop when it does not find its own.
     */
    static final String PROTOCOL = "journeykg-walk-protocol-1";

    @Context
    public Transaction tx;

    @Procedure(name = "journeykg.walk", mode = Mode.READ)
    @Description("journeykg's breadth-first impact walk from roots along rules, in one call ("
            + PROTOCOL + ")")
    public Stream<WalkResult> walk(
            @Name("roots") List<String> roots,
            @Name("rootClasses") List<String> rootClasses,
            @Name("rules") List<Map<String, Object>> rules,
            @Name("maxHops") Long maxHops,
            @Name("stopAfter") Long stopAfter,
            @Name("schema") Map<String, Object> schema) {
        List<Rule> parsed = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            parsed.add(Rule.of(i, rules.get(i)));
        }
        BreadthFirstWalk walk = new BreadthFirstWalk(
                tx,
                new Schema(schema),
                parsed,
                roots,
                rootClasses,
                maxHops == null ? -1 : maxHops,
                stopAfter == null ? -1 : stopAfter);
        return Stream.of(walk.run());
    }
}
