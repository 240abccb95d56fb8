package journeykg.plugin;

import org.neo4j.graphdb.Label;

/** The label every journeykg node has (graph/property_graph.py's RESOURCE_LABEL). */
final class ResourceLabel {
    static final Label RESOURCE = Label.label("Resource");

    private ResourceLabel() {}
}
