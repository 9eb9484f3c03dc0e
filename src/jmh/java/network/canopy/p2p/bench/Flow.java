package network.canopy.p2p.bench;

/** A running one-way stream of messages, seen from the receiver's consumer. */
interface Flow {

  /** What the receiving consumer has been handed so far. */
  DeliveryCounter delivered();

  /** Why the sender gave up, or null while it is healthy. */
  Throwable failure();

  /** Stops sending and waits for what is still in flight to arrive (or for a time limit). */
  void stop() throws Exception;
}
