package network.canopy.p2p.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Optional;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.gossip.GossipId;
import network.canopy.p2p.gossip.GossipRouter;

/**
 * {@code <prefix>.broadcast}: an application gossips a payload on a gossip topic. The reply is the
 * message id (hex); the message goes to every connected peer and is never delivered back here.
 * Broadcasting a payload already seen on the topic sends nothing and replies with the same id.
 */
final class GossipApi {

  private final Vertx vertx;
  private final NodeConfig config;
  private final Addresses addresses;
  private final GossipRouter router;
  private MessageConsumer<Object> consumer;

  GossipApi(Vertx vertx, NodeConfig config, GossipRouter router) {
    this.vertx = vertx;
    this.config = config;
    this.addresses = new Addresses(config.eventBusPrefix());
    this.router = router;
  }

  Future<Void> register() {
    consumer = vertx.eventBus().consumer(addresses.broadcast(), this::broadcast);
    return consumer.completion();
  }

  Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void broadcast(Message<Object> msg) {
    String topicName = msg.headers().get(Addresses.HEADER_TOPIC);
    if (!(msg.body() instanceof Buffer payload)) {
      msg.fail(PeerApi.BAD_REQUEST, "body must be a Buffer");
      return;
    }
    Optional<TopicConfig> found = topicName == null ? Optional.empty() : config.topic(topicName);
    if (found.isEmpty()) {
      msg.fail(PeerApi.BAD_REQUEST, "unknown topic '" + topicName + "'");
      return;
    }
    TopicConfig topic = found.get();
    if (!topic.gossip()) {
      msg.fail(
          PeerApi.BAD_REQUEST,
          "topic '"
              + topicName
              + "' is not a gossip topic (gossip: false): send to one peer instead");
      return;
    }
    if (payload.length() > topic.maxMessageSize()) {
      msg.fail(
          PeerApi.TOO_LARGE,
          payload.length() + " bytes is over the topic's limit of " + topic.maxMessageSize());
      return;
    }
    if (payload.length() <= TopicDelivery.INLINE_HASH_LIMIT) {
      originate(msg, topic, payload, GossipId.of(topic.name(), payload));
    } else { // a large payload is hashed on a worker, not on the PeerSet's context
      vertx
          .executeBlocking(() -> GossipId.of(topic.name(), payload), false)
          .onSuccess(id -> originate(msg, topic, payload, id))
          .onFailure(err -> msg.fail(500, "hashing failed: " + err));
    }
  }

  private void originate(Message<Object> msg, TopicConfig topic, Buffer payload, GossipId id) {
    router.originate(topic, payload, id);
    msg.reply(id.hex());
  }
}
