package journeykg.plugin;

import java.util.List;

/**
 * The answer of journeykg.walk as one record of flat lists: the Python driver decodes a
 * list item about ten times faster than a record.
 *
 * <p>Elements are numbered with the roots first (0 .. roots-1, in the caller's order), then
 * {@code iris} in the order reached, hop by hop; {@code levels} holds how many each hop
 * reached. Per reached element: {@code classes} (an index into {@code classNames}),
 * {@code parents} (an element number) and {@code rules} (the index of the rule that
 * reached it). {@code edges} is (source, rule, target) triples of element numbers, every
 * edge followed to an element reached; {@code cut} is (element, edges beyond maxHops)
 * pairs; {@code unstored} the elements only the ontology knows. {@code labelNodes},
 * {@code labelKeys}, {@code labelValues}: the label properties of the stored elements.
 * Edges and labels come only when {@code done}: a walk stopped early is asked again whole.
 * When {@code unknownLabels} is not empty, nothing else is filled in: the caller's map of
 * labels to classes is out of date (a label was added since), and it should ask again.
 */
public final class WalkResult {
    public List<String> iris;
    public List<Long> levels;
    public List<Long> classes;
    public List<String> classNames;
    public List<Long> parents;
    public List<Long> rules;
    public List<Long> edges;
    public List<Long> cut;
    public List<Long> unstored;
    public List<Long> labelNodes;
    public List<String> labelKeys;
    public List<Object> labelValues;
    public Boolean done;
    public List<String> unknownLabels;

    static WalkResult unknownLabels(List<String> labels) {
        WalkResult out = new WalkResult();
        out.iris = List.of();
        out.levels = List.of();
        out.classes = List.of();
        out.classNames = List.of();
        out.parents = List.of();
        out.rules = List.of();
        out.edges = List.of();
        out.cut = List.of();
        out.unstored = List.of();
        out.labelNodes = List.of();
        out.labelKeys = List.of();
        out.labelValues = List.of();
        out.done = false;
        out.unknownLabels = labels;
        return out;
    }
}
