package network.canopy.p2p.gossip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.wire.PacketFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the application's validator about each new message of a topic with {@code validate: true}
 * (request/reply on {@code <prefix>.validate.<topic>}, local or clustered alike) before the node
 * delivers or forwards it. In-flight requests are bounded per topic; every outcome is counted.
 * Thread-safe: called on each connection's event loop, where the answer then completes.
 */
public final class GossipValidation {

  /** What became of one message; only {@link #ACCEPT} is delivered and forwarded. */
  public enum Outcome {
    /** Valid: deliver and forward. */
    ACCEPT,
    /** Invalid: drop, never forward; the sender pays {@code gossip.validationRejectPoints}. */
    REJECT,
    /** Drop without forwarding, at no cost to the sender. */
    IGNORE,
    /** No answer within {@code gossip.validationTimeoutMs}: as IGNORE. */
    TIMEOUT,
    /**
     * {@code gossip.maxPendingValidations} were in flight: dropped unjudged (its id is forgotten).
     */
    OVERFLOW,
    /**
     * No validator registered, a failure reply, or an answer that is none of the three: as IGNORE.
     */
    ERROR;

    /** The value of the metric's {@code outcome} tag. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(GossipValidation.class);
  private static final long WARN_EVERY_MS = 10_000;

  private final Vertx vertx;
  private final Addresses addresses;
  private final long timeoutMs;
  private final int maxPending;
  private final AtomicInteger[] inFlight = new AtomicInteger[PacketFormat.TOPIC_COUNT];
  private final Counter[][] counters = new Counter[PacketFormat.TOPIC_COUNT][];
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

  public GossipValidation(Vertx vertx, NodeConfig config, MeterRegistry registry, String node) {
    this.vertx = vertx;
    this.addresses = new Addresses(config.eventBusPrefix());
    this.timeoutMs = config.gossip().validationTimeoutMs();
    this.maxPending = config.gossip().maxPendingValidations();
    for (TopicConfig t : config.topics()) {
      if (!t.validate()) {
        continue;
      }
      AtomicInteger pending = new AtomicInteger();
      inFlight[t.id()] = pending;
      Gauge.builder("p2p.gossip.validations.pending", pending, AtomicInteger::get)
          .description("Gossip messages waiting for the application's validator")
          .tag("node", node)
          .tag("topic", t.name())
          .register(registry);
      Outcome[] all = Outcome.values();
      counters[t.id()] = new Counter[all.length];
      for (Outcome o : all) {
        counters[t.id()][o.ordinal()] =
            Counter.builder("p2p.gossip.validation")
                .description("Gossip messages judged by the application's validator, by outcome")
                .tag("node", node)
                .tag("topic", t.name())
                .tag("outcome", o.tag())
                .register(registry);
      }
    }
  }

  /**
   * Asks the validator about a new message from {@code peerId}. The future never fails: a silent,
   * missing or confused validator is an outcome like the others.
   */
  public Future<Outcome> validate(String peerId, TopicConfig topic, Buffer payload, GossipId id) {
    AtomicInteger pending = inFlight[topic.id()];
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return Future.succeededFuture(count(topic, Outcome.OVERFLOW));
    }
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(timeoutMs)
            .addHeader(Addresses.HEADER_PEER, peerId)
            .addHeader(Addresses.HEADER_TOPIC, topic.name())
            .addHeader(Addresses.HEADER_MSG_ID, id.hex());
    return vertx
        .eventBus()
        .request(addresses.validate(topic.name()), payload, options)
        .map(reply -> answer(topic, reply.body()))
        .otherwise(err -> failure(topic, err))
        .map(
            outcome -> {
              pending.decrementAndGet();
              return count(topic, outcome);
            });
  }

  /** How many validations of {@code topic} are in flight (0 for a topic without validation). */
  public int pending(TopicConfig topic) {
    AtomicInteger pending = inFlight[topic.id()];
    return pending == null ? 0 : pending.get();
  }

  private Outcome answer(TopicConfig topic, Object body) {
    String text = body == null ? "" : body.toString().trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "accept" -> Outcome.ACCEPT;
      case "reject" -> Outcome.REJECT;
      case "ignore" -> Outcome.IGNORE;
      default -> {
        warn(
            "validator of topic {} answered '{}' (expected accept, reject or ignore): ignored",
            topic.name(),
            text.length() > 40 ? text.substring(0, 40) + "…" : text);
        yield Outcome.ERROR;
      }
    };
  }

  private Outcome failure(TopicConfig topic, Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      return Outcome.TIMEOUT;
    }
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      warn(
          "topic {} requires validation but nothing listens on {}: its messages are dropped",
          topic.name(),
          addresses.validate(topic.name()));
    } else {
      warn("validator of topic {} failed: {}: message ignored", topic.name(), err.getMessage());
    }
    return Outcome.ERROR;
  }

  private Outcome count(TopicConfig topic, Outcome outcome) {
    counters[topic.id()][outcome.ordinal()].increment();
    return outcome;
  }

  /**
   * A warning at most once per {@link #WARN_EVERY_MS}: a missing validator must not flood the log.
   */
  private void warn(String format, Object... args) {
    long now = System.nanoTime() / 1_000_000;
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_MS && lastWarning.compareAndSet(last, now)) {
      log.warn(format, args);
    }
  }
}
