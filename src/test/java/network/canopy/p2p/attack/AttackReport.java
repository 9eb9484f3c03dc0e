package network.canopy.p2p.attack;

/**
 * What one attack did and what the node did to it, counted on the attacker's side.
 *
 * @param connections TCP connections the node accepted
 * @param refusedConnects connection attempts that failed before TCP was up
 * @param closedByNode accepted connections the node closed (the rest the attacker closed at the
 *     end)
 * @param peakOpen most attacker sockets open at once
 * @param longestLifeMs longest time one connection stayed open
 */
public record AttackReport(
    String kind,
    long attempts,
    long connections,
    long refusedConnects,
    long closedByNode,
    long peakOpen,
    long longestLifeMs,
    long bytesSent,
    long messagesSent) {

  @Override
  public String toString() {
    return kind
        + ": attempts="
        + attempts
        + " connected="
        + connections
        + " connectFailed="
        + refusedConnects
        + " closedByNode="
        + closedByNode
        + " peakOpen="
        + peakOpen
        + " longestLifeMs="
        + longestLifeMs
        + " bytesSent="
        + bytesSent
        + " messagesSent="
        + messagesSent;
  }
}
