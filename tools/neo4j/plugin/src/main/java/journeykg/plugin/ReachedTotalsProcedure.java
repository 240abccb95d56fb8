package journeykg.plugin;

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
 * journeykg.reachedTotals: per root, the latest-period totals of the facts of every node it
 * reaches along some paths, each node counted once, and the total over all roots.
 *
 * <p>journeykg (graph/neo4j_reached.py, Store.reached_totals) calls it when it is installed
 * and otherwise asks one Cypher statement; the answers are the same either way (the
 * conformance tests hold both to the definition in graph/fact_totals.py). At 1M nodes the
 * statement spent most of the lifecycle picture's server time building and grouping rows
 * per (journey, holder) pair; here the pairs are never rows, and each holder's total is
 * worked out once however many roots reach it. It knows nothing of journeykg's model: the
 * paths, the link from a fact to its holder and the property names arrive as parameters.
 */
public final class ReachedTotalsProcedure {
    /**
     * Bumped whenever parameters or results change meaning; journeykg looks for this text
     * in the procedure's description and asks the Cypher statement when it does not find it.
     */
    static final String PROTOCOL = "journeykg-reached-protocol-1";

    @Context
    public Transaction tx;

    /**
     * {@code roots}: IRIs. {@code paths}: one map per path, {@code types} (relationship
     * types, hop by hop) and {@code inverse} (per hop: follow the relationship backwards).
     * {@code link}: the relationship type from a fact to its holder. {@code amount} and
     * {@code period}: the facts' property names; a property named so followed by
     * {@code mark} (a value stored with its datatype) counts as well.
     */
    @Procedure(name = "journeykg.reachedTotals", mode = Mode.READ)
    @Description("journeykg's latest-period totals of what each root reaches along paths, "
            + "each holder once (" + PROTOCOL + ")")
    public Stream<ReachedTotalsResult> reachedTotals(
            @Name("roots") List<String> roots,
            @Name("paths") List<Map<String, Object>> paths,
            @Name("link") String link,
            @Name("amount") String amount,
            @Name("period") String period,
            @Name("mark") String mark) {
        ReachedTotals totals = new ReachedTotals(
                tx, PathTrie.of(paths), new LatestTotal(link, amount, period, mark));
        return Stream.of(totals.of(roots));
    }
}
