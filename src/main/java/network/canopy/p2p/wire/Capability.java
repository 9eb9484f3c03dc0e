package network.canopy.p2p.wire;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Named wire capabilities (docs/PROTOCOL.md §4.5). A node announces the ones it speaks in its
 * signed metadata; a connection uses those both sides announced. Every wire addition after version
 * 1 is one capability with its own section in PROTOCOL.md, listed here so two features cannot take
 * one name.
 */
public final class Capability {

  /** Longest name on the wire, and most names in one list. */
  public static final int MAX_NAME_LENGTH = 32;

  public static final int MAX_COUNT = 32;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,31}");

  /**
   * Direct messages (docs/PROTOCOL.md §15): packet flag DIRECT marks a message addressed to the
   * receiver alone, which it delivers and never forwards nor deduplicates.
   */
  public static final String DIRECT = "direct/1";

  /** Per-topic receive windows with WINDOW_UPDATE control messages (docs/PROTOCOL.md §11.4). */
  public static final String WINDOW = "window/1";

  /**
   * Signed address records in peer exchange and OBSERVED_ADDRESS control messages (docs/PROTOCOL.md
   * §17): nobody can announce an address for an id it does not own, and a node learns its own
   * external address from its peers.
   */
  public static final String ADDR = "addr/1";

  /** Lazy push on gossip topics: IHAVE, GRAFT and PRUNE control messages (PROTOCOL.md §13.3). */
  public static final String LAZY = "lazy/1";

  /** What this code speaks: the default announcement (narrowed with {@code p2p.capabilities}). */
  public static final Set<String> SUPPORTED = Set.of(ADDR, DIRECT, WINDOW, LAZY);

  private Capability() {}

  /**
   * True when {@code name} may appear on the wire: 1–32 bytes of {@code [a-z0-9._/-]}, first alnum.
   */
  public static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }

  /** The capabilities a connection uses: those in both lists (the same set on both ends). */
  public static Set<String> common(Set<String> local, Set<String> remote) {
    Set<String> both = new TreeSet<>(local);
    both.retainAll(remote);
    return Set.copyOf(both);
  }
}
