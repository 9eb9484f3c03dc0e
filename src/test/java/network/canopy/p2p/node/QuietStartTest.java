package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A node that starts normally warns about nothing (a warning at every start trains operators to
 * ignore them).
 */
class QuietStartTest {

  @TempDir Path dataDir;

  @Test
  void aNormalStartLogsNoWarning() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(dataDir, "quiet", Map.of()));
      nodes.get(nodes.adminPort("quiet"), "/metrics");
    } finally {
      root.detachAppender(logs);
    }
    List<String> warnings;
    synchronized (logs) {
      warnings =
          logs.list.stream()
              .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
              .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
              .toList();
    }
    assertThat(warnings).isEmpty();
  }
}
