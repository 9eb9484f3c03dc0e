package network.canopy.p2p.transport;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.PeerAddress;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.Goodbyes;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.HandshakeFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials peers on request: connects with a timeout, runs the initiator handshake requiring the
 * expected node id, and hands the authenticated connection to the node. Requests arrive on the
 * node-local address {@code <prefix>.internal.dial} (body: {@code ID@HOST:PORT}); the reply is the
 * peer id on success, or a failure with the reason. A feeler request (header {@link
 * Addresses#HEADER_FEELER}) disconnects right after the handshake instead of admitting the peer.
 */
public final class DialerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(DialerVerticle.class);

  /** Failure code of a dial reply: the TCP connect failed. */
  public static final int CONNECT_FAILED = 502;

  /** Failure code of a dial reply: the handshake was refused. */
  public static final int HANDSHAKE_FAILED = 403;

  /** Failure code of a dial reply: the address is in a banned IP range or country, not dialled. */
  public static final int BANNED_ADDRESS = 451;

  private final String address;
  private final long timeoutMs;
  private final SocketTuning tuning;
  private final Supplier<HandshakeCredentials> credentials;
  private final Consumer<EncryptedConn> authenticated;
  private final HandshakeMetrics metrics;
  private final Supplier<InboundFilter> bans;
  private MemoryBudget budget = MemoryBudget.unlimited();
  private NetClient client;
  private MessageConsumer<String> consumer;

  public DialerVerticle(
      String address,
      long timeoutMs,
      SocketTuning tuning,
      Supplier<HandshakeCredentials> credentials,
      Consumer<EncryptedConn> authenticated,
      HandshakeMetrics metrics,
      Supplier<InboundFilter> bans) {
    this.bans = bans;
    this.address = address;
    this.timeoutMs = timeoutMs;
    this.tuning = tuning;
    this.credentials = credentials;
    this.authenticated = authenticated;
    this.metrics = metrics;
  }

  /** Handshake buffers draw from the node's memory budget (pool HANDSHAKE). Before deployment. */
  public DialerVerticle withBudget(MemoryBudget budget) {
    this.budget = budget;
    return this;
  }

  @Override
  public Future<?> start() {
    client =
        vertx.createNetClient(
            tuning.applyTo(
                new NetClientOptions()
                    .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))));
    consumer = vertx.eventBus().localConsumer(address, this::dial);
    return consumer.completion();
  }

  private void dial(Message<String> request) {
    PeerAddress target;
    try {
      target = PeerAddress.parse(request.body());
    } catch (RuntimeException e) {
      request.fail(400, "cannot parse '" + request.body() + "' as ID@HOST:PORT");
      return;
    }
    Optional<Refusal> banned = target.address().ipLiteral().flatMap(ip -> bans.get().banned(ip));
    if (banned.isPresent()) {
      request.fail(BANNED_ADDRESS, target.address() + " is banned (" + banned.get().reason() + ")");
      return;
    }
    boolean feeler = request.headers().contains(Addresses.HEADER_FEELER);
    attempt(request, target, feeler, HandshakeCredentials.MAX_VERSION);
  }

  /**
   * One connection and handshake offering {@code version}. A responder that closes before any reply
   * to a newer hello may predate version negotiation: redialled once with version 1.
   */
  private void attempt(Message<String> request, PeerAddress target, boolean feeler, int version) {
    client
        .connect(target.address().port(), target.address().host())
        .onFailure(
            err -> {
              log.debug("dial {} failed: {}", target, err.toString());
              request.fail(
                  CONNECT_FAILED,
                  "connect to " + target.address() + " failed: " + err.getMessage());
            })
        .onSuccess(socket -> tuning.applyTo(socket))
        .onSuccess(
            socket ->
                SocketHandshake.initiate(
                        vertx, socket, credentials.get(), target.id(), timeoutMs, version, budget)
                    .onComplete(
                        ar -> {
                          if (ar.failed()
                              && version > HandshakeCredentials.MIN_VERSION
                              && SocketHandshake.closedBeforeReply(ar.cause())) {
                            metrics.versionFallback();
                            log.info(
                                "{} closed the connection on a version {} hello: redialling with version {}",
                                target.address(),
                                version,
                                HandshakeCredentials.MIN_VERSION);
                            attempt(request, target, feeler, HandshakeCredentials.MIN_VERSION);
                            return;
                          }
                          metrics.record("initiator", ar);
                          if (ar.succeeded() && feeler) {
                            // The handshake proved the id at the address, which is all a feeler
                            // wants.
                            EncryptedConn conn = ar.result();
                            conn.context()
                                .runOnContext(
                                    v -> Goodbyes.refuse(conn, "feeler: address check only"));
                            request.reply(target.id());
                          } else if (ar.succeeded()) {
                            authenticated.accept(ar.result());
                            request.reply(target.id());
                          } else {
                            String why =
                                ar.cause() instanceof HandshakeFailure f
                                    ? f.getMessage()
                                    : ar.cause().toString();
                            request.fail(HANDSHAKE_FAILED, why);
                          }
                        }));
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister().compose(v -> client.close());
  }
}
