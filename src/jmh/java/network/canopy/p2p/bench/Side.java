package network.canopy.p2p.bench;

/**
 * One way of carrying messages between two endpoints in this JVM: the node under test ("p2p") or a
 * baseline ("tcp", "tls"). The topic matters to the node only; baselines have a single stream.
 */
interface Side {

  String label();

  /**
   * Starts sending {@code size}-byte messages back to back, as fast as the side accepts them, with
   * the back-pressure its API offers (a socket's write queue; the node's "queue full" answer).
   */
  Flow startFlow(String topic, int size) throws Exception;

  /** {@code count} request/response round trips of {@code size} bytes each; their times in ns. */
  long[] pingPong(String topic, int size, int count) throws Exception;

  /** Closes the side's connections and undeploys its verticles. */
  void close() throws Exception;
}
