package network.canopy.p2p.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code cluster.tls}, tells the operator once per member whether it holds a certificate of
 * the cluster's CA: each member that joins Hazelcast gets one TLS handshake to its event-bus port,
 * with this node's own certificate and trust. Vert.x itself refuses such a member on every
 * connection but logs nothing for the ones it accepts from it and a stack trace for each message it
 * fails to deliver to it; this is the one line that says which member is shut out and why.
 */
final class ClusterMemberCheck implements MembershipListener {
  private static final Logger log = LoggerFactory.getLogger(ClusterMemberCheck.class);
  /** A member publishes its event-bus address a moment after joining Hazelcast. */
  private static final long NODE_INFO_RETRY_MS = 250;
  private static final int NODE_INFO_ATTEMPTS = 120;
  /** Generous: a refused certificate fails at once; only a member without TLS (or a stalled one) waits. */
  private static final int HANDSHAKE_TIMEOUT_S = 20;
  /** Where vertx-hazelcast keeps a member's Vert.x node id (the id NodeInfo is stored under). */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final HazelcastClusterManager manager;
  private final Context context;
  private final NetClient client;
  /** Members already checked or being checked; owned by {@code context}. */
  private final Set<String> seen = new HashSet<>();

  private ClusterMemberCheck(Vertx vertx, HazelcastClusterManager manager, EventBusOptions tls) {
    this.manager = manager;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createNetClient(new NetClientOptions(tls.toJson())
        .setHostnameVerificationAlgorithm("") // as Vert.x's own event-bus client: the CA decides
        .setConnectTimeout(HANDSHAKE_TIMEOUT_S * 1000)
        .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_S).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS));
  }

  /** Checks the members present now and every one that joins later, until Vert.x closes. */
  static void start(Vertx vertx, HazelcastClusterManager manager, EventBusOptions tls) {
    ClusterMemberCheck check = new ClusterMemberCheck(vertx, manager, tls);
    var cluster = manager.getHazelcastInstance().getCluster();
    cluster.addMembershipListener(check);
    for (Member member : cluster.getMembers()) {
      if (!member.localMember()) {
        check.check(member);
      }
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    check(event.getMember());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    // A member that leaves and rejoins comes back with a new UUID, so nothing to forget here.
  }

  private void check(Member member) {
    String nodeId = member.getAttribute(VERTX_NODE_ID);
    context.runOnContext(v -> {
      if (!seen.add(member.getUuid().toString())) {
        return;
      }
      if (nodeId == null) {
        log.warn("cluster.tls: Hazelcast member {} at {} is no Vert.x member; it has no event bus to check",
            member.getUuid(), member.getAddress());
      } else {
        probe(nodeId, 1);
      }
    });
  }

  private void probe(String member, int attempt) {
    Promise<NodeInfo> info = Promise.promise();
    manager.getNodeInfo(member, info);
    info.future().onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        if (attempt < NODE_INFO_ATTEMPTS) {
          context.owner().setTimer(NODE_INFO_RETRY_MS, t -> probe(member, attempt + 1));
        } else {
          log.warn("cluster.tls: member {} published no event-bus address; not checked", member);
        }
        return;
      }
      String address = ar.result().host() + ":" + ar.result().port();
      client.connect(ar.result().port(), ar.result().host()).onComplete(conn -> {
        if (conn.succeeded()) {
          conn.result().close();
          log.info("cluster.tls: member {} at {} holds a certificate of the cluster CA", member, address);
        } else {
          log.warn("cluster.tls: refused cluster member {} at {}: {}; it receives nothing from this node "
              + "and cannot send to it", member, address, describe(conn.cause()));
        }
      });
    });
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return "no TLS handshake with its certificate (" + message.lines().findFirst().orElse(message) + ")";
  }
}
