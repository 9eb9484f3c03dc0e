package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The vote behind an adopted external address: one vote per peer, counted once per group. */
class ObservedAddressesTest {

  private static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  @Test
  void anAddressIsAdoptedOnlyWhenEnoughGroupsAgreeAndNoSingleLiarMovesIt() throws Exception {
    ObservedAddresses votes = new ObservedAddresses(3);
    assertThat(votes.vote("p1", "g1", ip("203.0.113.7"))).isEmpty();
    for (int i = 0; i < 20; i++) {
      assertThat(votes.vote("sybil" + i, "g2", ip("203.0.113.7")))
          .as("many ids of one group are one group")
          .isEmpty();
    }
    assertThat(votes.vote("p3", "g3", ip("203.0.113.7"))).contains(ip("203.0.113.7"));
    assertThat(votes.adopted()).contains(ip("203.0.113.7"));

    for (int i = 0; i < 20; i++) {
      votes.vote("liar", "g9", ip("198.51.100.66")); // one peer repeating itself is one vote
    }
    assertThat(votes.vote("liar2", "g8", ip("198.51.100.66"))).isEmpty();
    assertThat(votes.adopted())
        .as("two lying groups against three honest ones")
        .contains(ip("203.0.113.7"));

    assertThat(votes.vote("p1", "g1", ip("198.51.100.66")))
        .as("p1 sees the node elsewhere now (the NAT moved):" + " three groups against two")
        .contains(ip("198.51.100.66"));
  }

  @Test
  void aTieMovesNothing() throws Exception {
    ObservedAddresses votes = new ObservedAddresses(2);
    votes.vote("a1", "g1", ip("203.0.113.7"));
    assertThat(votes.vote("a2", "g2", ip("203.0.113.7"))).isPresent();
    votes.vote("b1", "g3", ip("198.51.100.66"));
    assertThat(votes.vote("b2", "g4", ip("198.51.100.66"))).isEmpty();
    assertThat(votes.adopted()).contains(ip("203.0.113.7"));
  }

  @Test
  void memoryIsBoundedByTheMostRecentVoters() throws Exception {
    ObservedAddresses votes = new ObservedAddresses(2);
    votes.vote("early", "g1", ip("203.0.113.7"));
    for (int i = 0; i < ObservedAddresses.MAX_VOTERS; i++) {
      votes.vote("p" + i, "same", ip("198.51.100.1"));
    }
    assertThat(votes.vote("late", "g2", ip("203.0.113.7")))
        .as("the earliest voter was forgotten")
        .isEmpty();
  }
}
