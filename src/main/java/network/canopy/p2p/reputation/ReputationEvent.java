package network.canopy.p2p.reputation;

import java.util.Optional;
import network.canopy.p2p.conn.CloseReason;

/**
 * What a peer did that moves its reputation, with the points it is worth. Scores live in [{@value
 * Reputation#MIN_SCORE}, {@value Reputation#MAX_SCORE}], start at 0, and a peer at or below the ban
 * threshold (default -50) is disconnected and banned.
 *
 * <pre>
 * event                points  ceiling  reported by
 * FRAME_TOO_SHORT       -20             MultiConn close (CloseReason)
 * FRAME_TOO_LONG        -20             MultiConn close
 * FRAME_BAD_TAG         -20             MultiConn close
 * UNKNOWN_TOPIC         -30             MultiConn close
 * MALFORMED_PACKET      -30             MultiConn close
 * MESSAGE_TOO_LARGE     -30             MultiConn close
 * LENGTH_MISMATCH       -30             MultiConn close
 * HEARTBEAT_TIMEOUT      -2             MultiConn close
 * RATE_LIMIT_EXCEEDED    -5             rate limiting (later)
 * SEND_QUEUE_OVERFLOW    -1             PeerSet, once per episode of a full queue (later)
 * WINDOW_EXCEEDED       -10             MultiConn, once per episode of data sent past a receive window
 * STALLED_MESSAGE       -10             MultiConn close: part of a message held without progress while
 *                                       the memory budget was short
 * PEX_RATE_EXCEEDED     -10             peer exchange: requests over the rate, unsolicited responses
 * INVALID_PEX           -20             peer exchange: malformed message, undialable address
 * BAD_ADDRESS_SIGNATURE -30             peer exchange (addr/1): a record not signed by its id
 * INVALID_MESSAGE       -20             applications: report kind invalid (points may be given)
 * USELESS_MESSAGE        -5             applications: report kind useless (points may be given)
 * VALIDATION_REJECTED   -20             gossip validation: the validator rejected the peer's message
 *                                       (points: gossip.validationRejectPoints)
 * GOSSIP_ANNOUNCE_FLOOD -10             lazy push: more ids announced (IHAVE) per second than allowed
 * GOSSIP_REQUEST_FLOOD  -10             lazy push: more ids requested (GRAFT) per second than allowed
 * GOSSIP_BROKEN_PROMISE  -2             lazy push: announced a message, then did not send it when asked
 * GOOD_MESSAGE         +0.1     +10     applications: report kind good (points may be given)
 * VALID_PEX              +1     +10     peer exchange: a valid response to our request
 * CONNECTED_LONG         +2    +100     PeerSet, every {@link #CONNECTED_LONG_EVERY_MILLIS} connected
 * </pre>
 *
 * <p>Frame errors cost less than packet errors: a frame is checked before it is authenticated, so a
 * corrupted stream or an on-path attacker can cause them, whereas packet errors come from inside an
 * authenticated frame and can only be the peer's doing. Two packet errors within about 35 minutes
 * cross the threshold; it takes three frame errors. A positive event never lifts a score above its
 * ceiling, so cheap good behaviour (gossip) cannot buy a large allowance for later misbehaviour.
 */
public enum ReputationEvent {
  FRAME_TOO_SHORT(-20),
  FRAME_TOO_LONG(-20),
  FRAME_BAD_TAG(-20),
  UNKNOWN_TOPIC(-30),
  MALFORMED_PACKET(-30),
  MESSAGE_TOO_LARGE(-30),
  LENGTH_MISMATCH(-30),
  /** Not a protocol breach (networks stall), so only a nudge; it adds up for chronic timeouts. */
  HEARTBEAT_TIMEOUT(-2),
  RATE_LIMIT_EXCEEDED(-5),
  /** The peer reads slower than we send; report it once per episode, not once per refused send. */
  SEND_QUEUE_OVERFLOW(-1),
  /**
   * The peer sent past a topic's receive window (window/1): it ignores flow control, and its socket
   * is paused while that topic's inbox is full. Once per episode; five episodes ban.
   */
  WINDOW_EXCEEDED(-10),
  /**
   * Closed for holding part of a message without progress while the node's memory budget was short.
   * An honest peer can meet it on a starved link, so it costs what a window overrun does.
   */
  STALLED_MESSAGE(-10),
  PEX_RATE_EXCEEDED(-10),
  INVALID_PEX(-20),
  /**
   * An address record whose signature is not its own id's: never an accident, since a relay checks
   * every record before keeping it, so it costs as much as a packet error.
   */
  BAD_ADDRESS_SIGNATURE(-30),
  INVALID_MESSAGE(-20),
  /** Valid but of no use (a stale or repeated answer): a nudge, so only a habit of it bans. */
  USELESS_MESSAGE(-5),
  /** As INVALID_MESSAGE, judged by the topic's validator before relay. */
  VALIDATION_REJECTED(-20),
  /**
   * Once per one-second window in excess, not per id: a flood costs, a burst at the edge little.
   */
  GOSSIP_ANNOUNCE_FLOOD(-10),
  GOSSIP_REQUEST_FLOOD(-10),
  /** Only a nudge: a slow or overloaded peer may miss the graft timeout without lying. */
  GOSSIP_BROKEN_PROMISE(-2),
  GOOD_MESSAGE(0.1, 10),
  VALID_PEX(1, 10),
  CONNECTED_LONG(2, Reputation.MAX_SCORE);

  /** How often a connected peer earns {@link #CONNECTED_LONG}; the PeerSet's timer drives it. */
  public static final long CONNECTED_LONG_EVERY_MILLIS = 10 * 60_000L;

  private final double points;
  private final double ceiling;

  ReputationEvent(double points) {
    this(points, Reputation.MAX_SCORE);
  }

  ReputationEvent(double points, double ceiling) {
    this.points = points;
    this.ceiling = ceiling;
  }

  /** Signed points added to the score (before bounds and ceiling). */
  public double points() {
    return points;
  }

  /** The highest score this event can lift a peer to; only meaningful for positive events. */
  public double ceiling() {
    return ceiling;
  }

  /** The score after this event is applied to {@code score}: clamped to the bounds and ceiling. */
  double applyTo(double score) {
    return applyTo(score, points);
  }

  /** As {@link #applyTo(double)} with other points (a report or config says how many). */
  double applyTo(double score, double points) {
    if (points >= 0) {
      return score >= ceiling ? score : Math.min(ceiling, score + points);
    }
    return Math.max(Reputation.MIN_SCORE, score + points);
  }

  /**
   * The event a connection close is worth: every {@link CloseReason#peerFault() peer fault} has
   * one, and so does {@link CloseReason#HEARTBEAT_TIMEOUT} (not a fault, but chronic silence should
   * cost a little). Other reasons (local close, remote close, I/O errors, goodbye) cost nothing.
   */
  public static Optional<ReputationEvent> of(CloseReason reason) {
    return Optional.ofNullable(
        switch (reason) {
          case FRAME_TOO_SHORT -> FRAME_TOO_SHORT;
          case FRAME_TOO_LONG -> FRAME_TOO_LONG;
          case FRAME_BAD_TAG -> FRAME_BAD_TAG;
          case UNKNOWN_TOPIC -> UNKNOWN_TOPIC;
          case MALFORMED_PACKET -> MALFORMED_PACKET;
          case MESSAGE_TOO_LARGE -> MESSAGE_TOO_LARGE;
          case LENGTH_MISMATCH -> LENGTH_MISMATCH;
          case HEARTBEAT_TIMEOUT -> HEARTBEAT_TIMEOUT;
          case STALLED_MESSAGE -> STALLED_MESSAGE;
          case LOCAL, REMOTE_CLOSED, IO_ERROR, NONCE_EXHAUSTED, INTERNAL_ERROR, GOODBYE -> null;
        });
  }
}
