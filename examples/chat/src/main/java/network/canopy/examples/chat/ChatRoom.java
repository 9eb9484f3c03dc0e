package network.canopy.examples.chat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import network.canopy.p2p.embed.CanopyNode;
import network.canopy.p2p.embed.NodeHandle;

/**
 * Example application: a chat room replicated over a Canopy node's gossip topic. Every line posted
 * on any node is broadcast and appended, once, to the room of every node it reaches. A room keeps
 * only what it heard while running (no history catch-up).
 */
public final class ChatRoom extends VerticleBase {

  /** The room's gossip topic, as set on every node with {@link #TOPICS}. */
  public static final String TOPIC = "chat";
  /** The {@code topics} config value that gives a node the chat topic. */
  public static final String TOPICS = "[{\"name\":\"chat\",\"id\":16,\"gossip\":true,\"maxMessageSize\":65536}]";

  private final NodeHandle node;
  private final String author;
  private final List<JsonObject> lines = new CopyOnWriteArrayList<>();
  private long sequence;
  private MessageConsumer<Buffer> consumer;

  public ChatRoom(NodeHandle node, String author) {
    this.node = node;
    this.author = author;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(node.topicAddress(TOPIC), this::heard);
    return consumer.completion();
  }

  /**
   * Posts a line: appended here at once, broadcast to the network. The sequence number makes
   * each line a distinct gossip message even when the text repeats. Any thread.
   */
  public Future<Void> post(String text) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      JsonObject line = new JsonObject().put("author", author).put("seq", ++sequence).put("text", text);
      lines.add(line);
      vertx.eventBus().request(node.broadcastAddress(), line.toBuffer(),
              new DeliveryOptions().addHeader(CanopyNode.HEADER_TOPIC, TOPIC))
          .<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }

  /** Every line this room has, in the order it got them: {@code author}, {@code seq}, {@code text}. */
  public List<JsonObject> lines() {
    return List.copyOf(lines);
  }

  /** The texts of {@link #lines()}, in order. */
  public List<String> texts() {
    return lines.stream().map(l -> l.getString("text")).toList();
  }

  private void heard(Message<Buffer> msg) {
    try {
      lines.add(new JsonObject(msg.body()));
    } catch (RuntimeException e) {
      // Another application's junk on the topic: a chat room ignores what is not a line.
    }
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister();
  }
}
