package network.canopy.p2p.conn;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The node's {@link MemoryBudget} in {@code /metrics} (docs/METRICS.md, "Memory budget"). */
public final class MemoryBudgetMetrics {

  private MemoryBudgetMetrics() {}

  /**
   * {@code p2p_memory_budget_bytes}, {@code p2p_memory_used_bytes{pool}}, {@code
   * p2p_memory_refused_sends_total}, {@code p2p_memory_refused_receives_total}, {@code
   * p2p_memory_read_pauses_total} and {@code p2p_memory_stalled_closes_total}.
   */
  public static void register(MeterRegistry registry, String node, MemoryBudget budget) {
    Gauge.builder("p2p.memory.budget.bytes", budget, MemoryBudget::limit)
        .description("Node-wide memory budget (p2p.memoryBudgetBytes)")
        .tag("node", node)
        .register(registry);
    for (MemoryBudget.Pool pool : MemoryBudget.Pool.values()) {
      Gauge.builder("p2p.memory.used.bytes", budget, b -> b.used(pool))
          .description("Bytes of the memory budget in use, by what holds them")
          .tag("node", node)
          .tag("pool", pool.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
    FunctionCounter.builder("p2p.memory.refused.sends", budget, MemoryBudget::refusedSends)
        .description("Sends refused because the memory budget was spent")
        .tag("node", node)
        .register(registry);
    FunctionCounter.builder("p2p.memory.refused.receives", budget, MemoryBudget::refusedReceives)
        .description("Times received data was refused room (the connection asking stopped reading)")
        .tag("node", node)
        .register(registry);
    FunctionCounter.builder("p2p.memory.stalled.closes", budget, MemoryBudget::stalledCloses)
        .description(
            "Connections closed for holding part of a message without progress while the budget was short")
        .tag("node", node)
        .register(registry);
    FunctionCounter.builder("p2p.memory.read.pauses", budget, MemoryBudget::pausedReads)
        .description("Times a connection stopped reading because the memory budget was spent")
        .tag("node", node)
        .register(registry);
  }

  /** {@code <prefix>.internal.memory}: the budget and its use by pool, for the dashboard. */
  public static JsonObject json(MemoryBudget budget) {
    JsonObject pools = new JsonObject();
    for (MemoryBudget.Pool pool : MemoryBudget.Pool.values()) {
      pools.put(pool.name().toLowerCase(Locale.ROOT), budget.used(pool));
    }
    return new JsonObject()
        .put("budgetBytes", budget.limit())
        .put("usedBytes", budget.used())
        .put("pools", pools)
        .put("refusedSends", budget.refusedSends())
        .put("readPauses", budget.pausedReads());
  }
}
