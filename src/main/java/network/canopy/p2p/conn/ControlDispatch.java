package network.canopy.p2p.conn;

import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.ControlMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on one connection's control messages (topic 0): PING/PONG to the heartbeat, GOODBYE, and the
 * capability messages — WINDOW_UPDATE, OBSERVED_ADDRESS, lazy push — each a malformed packet on a
 * connection without its capability. Context-confined, like its {@link MultiConn}.
 */
final class ControlDispatch {

  private static final Logger log = LoggerFactory.getLogger(ControlDispatch.class);

  /** What the dispatch needs of its connection. */
  interface Owner {
    boolean has(String capability);

    void close(CloseReason reason, String detail);

    /** More window on a topic this side sends. */
    void openWindow(int topicId, long increment);

    String remoteId();
  }

  private final Heartbeat heartbeat;
  private final MultiConn.Listener listener;
  private final Owner owner;
  private boolean observedHeard;

  ControlDispatch(Heartbeat heartbeat, MultiConn.Listener listener, Owner owner) {
    this.heartbeat = heartbeat;
    this.listener = listener;
    this.owner = owner;
  }

  void onControl(ControlMessage message) {
    switch (message) {
      case ControlMessage.Ping ping -> heartbeat.onPing(ping.nonce());
      case ControlMessage.Pong pong -> heartbeat.onPong(pong.nonce());
      case ControlMessage.Goodbye bye -> owner.close(CloseReason.GOODBYE, bye.reason());
      case ControlMessage.WindowUpdate update -> onWindowUpdate(update);
      case ControlMessage.ObservedAddress observed -> onObservedAddress(observed);
      case ControlMessage.LazyPush lazy -> lazyPush(lazy);
    }
  }

  private void lazyPush(ControlMessage.LazyPush message) {
    if (!owner.has(Capability.LAZY)) {
      owner.close(
          CloseReason.MALFORMED_PACKET,
          "control type " + message.type() + " without capability " + Capability.LAZY);
      return;
    }
    try {
      listener.onLazyPush(message);
    } catch (RuntimeException e) {
      log.warn("lazy-push listener of {} failed", PeerId.shortForm(owner.remoteId()), e);
      owner.close(CloseReason.INTERNAL_ERROR, "lazy-push listener failed: " + e);
    }
  }

  /** Passed up once per connection; later ones are ignored (a peer cannot make us count twice). */
  private void onObservedAddress(ControlMessage.ObservedAddress observed) {
    if (!owner.has(Capability.ADDR)) {
      owner.close(
          CloseReason.MALFORMED_PACKET,
          "control message: OBSERVED_ADDRESS without " + Capability.ADDR);
      return;
    }
    if (observedHeard) {
      return;
    }
    observedHeard = true;
    try {
      listener.onObservedAddress(observed);
    } catch (RuntimeException e) {
      log.warn("observed-address listener of {} failed", PeerId.shortForm(owner.remoteId()), e);
    }
  }

  /**
   * More window on a topic we send (a window/1 message on a connection without it is malformed).
   */
  private void onWindowUpdate(ControlMessage.WindowUpdate update) {
    if (!owner.has(Capability.WINDOW)) {
      owner.close(
          CloseReason.MALFORMED_PACKET,
          "control message: WINDOW_UPDATE without " + Capability.WINDOW);
      return;
    }
    owner.openWindow(update.topicId(), update.increment());
  }
}
