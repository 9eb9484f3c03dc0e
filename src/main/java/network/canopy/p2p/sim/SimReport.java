package network.canopy.p2p.sim;

import io.vertx.core.json.JsonObject;

/**
 * The outcome of a gossip simulation run. Delivery is judged on the nodes that stayed up and
 * connected to each message's origin; receptions count every copy a node got from a peer,
 * duplicates included, per node alive at the broadcast and per message.
 *
 * @param deliveryRatio deliveries seen / deliveries expected (1.0 = every expected node got every
 *     message)
 * @param extraDeliveries deliveries beyond one per node and message, plus deliveries back to the
 *     origin (0 = exactly once)
 * @param receptionsPerNodePerMessage copies received from peers per node and message (flooding:
 *     about the degree)
 * @param diameter the graph's diameter in hops: the fewest forwarding rounds that reach every node
 */
public record SimReport(
    int nodes,
    double averageDegree,
    int diameter,
    int messages,
    int killed,
    boolean restarted,
    double deliveryRatio,
    long extraDeliveries,
    int messagesReachingAll,
    double receptionsPerNodePerMessage,
    double timeToAllP50Ms,
    double timeToAllP99Ms,
    double droppedCopies,
    long untrackedDeliveries) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("nodes", nodes)
        .put("averageDegree", averageDegree)
        .put("diameter", diameter)
        .put("messages", messages)
        .put("killed", killed)
        .put("restarted", restarted)
        .put("deliveryRatio", deliveryRatio)
        .put("extraDeliveries", extraDeliveries)
        .put("messagesReachingAll", messagesReachingAll)
        .put("receptionsPerNodePerMessage", receptionsPerNodePerMessage)
        .put("timeToAllP50Ms", timeToAllP50Ms)
        .put("timeToAllP99Ms", timeToAllP99Ms)
        .put("droppedCopies", droppedCopies)
        .put("untrackedDeliveries", untrackedDeliveries);
  }

  /** A few human-readable lines. */
  public String toText() {
    return String.format(
        java.util.Locale.ROOT,
        """
        nodes %d, average degree %.2f, diameter %d hops; %d broadcasts%s
        delivery ratio %.4f (%d of %d messages reached every expected node), extra deliveries %d
        receptions per node per message %.2f (ideal 1; flooding about the degree)
        time to all: p50 %.2f ms, p99 %.2f ms; copies dropped at full queues %.0f""",
        nodes,
        averageDegree,
        diameter,
        messages,
        killed == 0
            ? ""
            : ", "
                + killed
                + " nodes stopped"
                + (restarted ? " and restarted" : "")
                + " during them",
        deliveryRatio,
        messagesReachingAll,
        messages,
        extraDeliveries,
        receptionsPerNodePerMessage,
        timeToAllP50Ms,
        timeToAllP99Ms,
        droppedCopies);
  }
}
