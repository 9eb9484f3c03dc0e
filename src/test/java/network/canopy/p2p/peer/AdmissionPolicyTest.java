package network.canopy.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import network.canopy.p2p.config.ConfigDefaults;
import network.canopy.p2p.config.ConfigParser;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.reputation.BanList;
import network.canopy.p2p.reputation.IpRange;
import network.canopy.p2p.reputation.OperatorBans;
import network.canopy.p2p.reputation.Reputation;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.testing.SocketlessConns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may join the active set and what a refused peer is told: shutting down, operator and
 * reputation bans, doubled connections, the regular limits and who is exempt from them.
 */
class AdmissionPolicyTest {

  private static final String SELF = "5".repeat(64);
  private static final String TRUSTED = "7".repeat(64);

  @TempDir Path dataDir;

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, ConnectedPeer> peers = new HashMap<>();
  private final Set<String> mustConnect = new HashSet<>();
  private SocketlessConns conns;
  private Reputation reputation;
  private BanKeeper bans;
  private AdmissionPolicy policy;

  @BeforeEach
  void setUp() {
    JsonObject json = ConfigDefaults.json();
    json.getJsonObject("p2p")
        .put("maxInbound", 2)
        .put("maxOutbound", 1)
        .put("trustedPeers", new JsonArray().add(TRUSTED));
    NodeConfig config = ConfigParser.parse(json);
    conns = new SocketlessConns(vertx, config);
    reputation = Reputation.forConfig(config.p2p(), System::currentTimeMillis);
    bans = new BanKeeper(vertx, dataDir, reputation);
    policy =
        new AdmissionPolicy(
            SELF, config.p2p(), peers, reputation, () -> mustConnect, bans::refusal);
  }

  @AfterEach
  void tearDown() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void aHealthyNewcomerJoins() {
    assertThat(policy.check(inbound(SocketlessConns.randomId(), "198.51.100.7"), false)).isNull();
  }

  @Test
  void aNodeShuttingDownRefusesEveryone() {
    assertThat(policy.check(inbound(TRUSTED, "198.51.100.7"), true))
        .isEqualTo(new AdmissionPolicy.Refused("node is shutting down", "shutting_down"));
  }

  @Test
  void anOperatorBannedAddressIsRefusedWithTheOperatorsReason() {
    bans.operator()
        .add(new OperatorBans.Ban(null, IpRange.parse("203.0.113.0/24"), BanList.FOREVER, "spam"));

    assertThat(policy.check(inbound(SocketlessConns.randomId(), "203.0.113.9"), false))
        .isEqualTo(new AdmissionPolicy.Refused("banned by operator", "banned"));
    assertThat(policy.check(inbound(SocketlessConns.randomId(), "203.0.114.9"), false))
        .as("an address outside the banned range")
        .isNull();
  }

  @Test
  void anOperatorBannedIdIsRefusedEvenWhenTrustedAndToldWhenTheBanEnds() {
    long until = System.currentTimeMillis() + 60_000;
    bans.operator().add(new OperatorBans.Ban(TRUSTED, null, until, "maintenance"));

    AdmissionPolicy.Refused refused = policy.check(outbound(TRUSTED, "198.51.100.7"), false);

    assertThat(refused.kind()).isEqualTo("banned");
    assertThat(refused.reason())
        .isEqualTo("banned by operator until " + java.time.Instant.ofEpochMilli(until));
  }

  @Test
  void aPeerBannedByReputationIsRefusedUntilItsBanEnds() {
    String peer = SocketlessConns.randomId();
    long until = reputation.bans().ban(peer, "invalid messages");

    AdmissionPolicy.Refused refused = policy.check(inbound(peer, "198.51.100.7"), false);

    assertThat(refused)
        .isEqualTo(
            new AdmissionPolicy.Refused(
                "banned until " + java.time.Instant.ofEpochMilli(until), "banned"));
  }

  @Test
  void ofADoubledConnectionBothEndsKeepTheOneDialledByTheLowerId() {
    String higher = "9".repeat(64); // SELF is lower: this node's dial is the one to keep
    String lower = "1".repeat(64); // the peer is lower: the peer's dial is the one to keep
    join(inbound(higher, "198.51.100.1"));
    join(outbound(lower, "198.51.100.2"));

    assertThat(policy.check(outbound(higher, "198.51.100.1"), false))
        .as("our dial replaces theirs")
        .isNull();
    assertThat(policy.check(inbound(lower, "198.51.100.2"), false))
        .as("their dial replaces ours")
        .isNull();
    assertThat(policy.check(inbound(higher, "198.51.100.1"), false))
        .isEqualTo(new AdmissionPolicy.Refused("duplicate connection", "duplicate"));
    assertThat(policy.check(outbound(lower, "198.51.100.2"), false))
        .isEqualTo(new AdmissionPolicy.Refused("duplicate connection", "duplicate"));
  }

  @Test
  void fullRegularSlotsRefuseWithTheLimitButNotTrustedOrMustConnectPeers() {
    join(inbound(SocketlessConns.randomId(), "198.51.100.1"));
    join(inbound(SocketlessConns.randomId(), "198.51.100.2"));
    join(outbound(SocketlessConns.randomId(), "198.51.100.3"));
    String kept = SocketlessConns.randomId();
    mustConnect.add(kept);

    assertThat(policy.check(inbound(SocketlessConns.randomId(), "198.51.100.4"), false))
        .isEqualTo(new AdmissionPolicy.Refused("inbound limit 2 reached", "inbound_limit"));
    assertThat(policy.check(outbound(SocketlessConns.randomId(), "198.51.100.5"), false))
        .isEqualTo(new AdmissionPolicy.Refused("outbound limit 1 reached", "outbound_limit"));
    assertThat(policy.check(inbound(TRUSTED, "198.51.100.6"), false)).isNull();
    assertThat(policy.check(outbound(kept, "198.51.100.7"), false)).isNull();
  }

  @Test
  void exemptPeersDoNotTakeRegularSlots() {
    join(inbound(TRUSTED, "198.51.100.1"));
    String kept = SocketlessConns.randomId();
    mustConnect.add(kept);
    join(inbound(kept, "198.51.100.2"));
    join(inbound(SocketlessConns.randomId(), "198.51.100.3"));

    assertThat(policy.countRegular(false)).isEqualTo(1);
    assertThat(policy.check(inbound(SocketlessConns.randomId(), "198.51.100.4"), false)).isNull();
  }

  @Test
  void onlyAnInboundNewcomerOverTheLimitEvictsAndOnlyARegularInboundPeer() {
    Set<String> regularInbound = new HashSet<>();
    for (int i = 0;
        i < 11;
        i++) { // one /16: enough that not everyone is protected (InboundEviction)
      regularInbound.add(put(inbound(SocketlessConns.randomId(), "198.51.100." + (10 + i))));
    }
    String kept = SocketlessConns.randomId();
    mustConnect.add(kept);
    put(inbound(kept, "198.51.100.30"));
    put(inbound(TRUSTED, "198.51.100.31"));
    put(outbound(SocketlessConns.randomId(), "198.51.100.32"));

    AdmissionPolicy.Refused inboundFull =
        policy.check(inbound(SocketlessConns.randomId(), "198.51.100.40"), false);
    AdmissionPolicy.Refused outboundFull =
        policy.check(outbound(SocketlessConns.randomId(), "198.51.100.41"), false);

    assertThat(inboundFull.kind()).isEqualTo("inbound_limit");
    assertThat(policy.evictionFor(inboundFull).map(p -> p.id)).get().isIn(regularInbound);
    assertThat(policy.evictionFor(outboundFull)).as("an outbound newcomer evicts no one").isEmpty();
    assertThat(policy.evictionFor(new AdmissionPolicy.Refused("duplicate connection", "duplicate")))
        .isEmpty();
  }

  private EncryptedConn inbound(String id, String ip) {
    return conns.conn(id, false, ip, 9001);
  }

  private EncryptedConn outbound(String id, String ip) {
    return conns.conn(id, true, ip, 9001);
  }

  private void join(EncryptedConn conn) {
    assertThat(policy.check(conn, false)).as("joins").isNull();
    put(conn);
  }

  /** Puts a peer in the set as the PeerSet would after admitting it. */
  private String put(EncryptedConn conn) {
    peers.put(conn.remoteId(), new ConnectedPeer(conn, null, null));
    return conn.remoteId();
  }
}
