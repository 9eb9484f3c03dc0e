package network.canopy.p2p.peer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;
import network.canopy.p2p.conn.CloseReason;

/**
 * Reads a GOODBYE that says the peer bans this node (PROTOCOL.md §16): until when not to redial it.
 * A ban without an end ("banned peer") is read as {@link #UNBOUNDED_WAIT_MS} from now, so an
 * operator's unban is still noticed.
 */
final class BanNotice {

  static final String UNTIL = " until ";
  static final String FOREVER = "banned peer";

  /** Longest wait read from a GOODBYE: a peer cannot silence a kept link for longer than a day. */
  static final long MAX_WAIT_MS = 24 * 3_600_000L;

  static final long UNBOUNDED_WAIT_MS = 3_600_000L;

  private BanNotice() {}

  /** When the ban a closing peer announced ends, in epoch ms; empty when it announced none. */
  static OptionalLong until(CloseReason reason, String detail, long nowMs) {
    if (reason != CloseReason.GOODBYE || detail == null) {
      return OptionalLong.empty();
    }
    if (detail.equals(FOREVER)) {
      return OptionalLong.of(nowMs + UNBOUNDED_WAIT_MS);
    }
    int at = detail.lastIndexOf(UNTIL);
    if (!detail.startsWith("banned") || at < 0) {
      return OptionalLong.empty();
    }
    String rest = detail.substring(at + UNTIL.length()).trim();
    int end = rest.indexOf(' ');
    try {
      long until = Instant.parse(end < 0 ? rest : rest.substring(0, end)).toEpochMilli();
      return OptionalLong.of(Math.min(until, nowMs + MAX_WAIT_MS));
    } catch (DateTimeParseException e) {
      return OptionalLong.empty(); // not this implementation's wording: the usual backoff applies
    }
  }
}
