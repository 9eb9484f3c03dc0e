package network.canopy.p2p.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** Collects the log lines of some classes so a test can assert that a reason was logged. */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Logger> loggers;
  private final List<Level> levels = new java.util.ArrayList<>();

  private LogCapture(List<Logger> loggers) {
    this.loggers = loggers;
  }

  static LogCapture of(Class<?>... classes) {
    List<Logger> loggers =
        java.util.Arrays.stream(classes).map(c -> (Logger) LoggerFactory.getLogger(c)).toList();
    LogCapture capture = new LogCapture(loggers);
    capture.start();
    loggers.forEach(
        l -> {
          capture.levels.add(l.getLevel());
          l.setLevel(Level.DEBUG); // some reasons (refused inbound handshakes) are logged at DEBUG
          l.addAppender(capture);
        });
    return capture;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    lines.add(event.getFormattedMessage());
    notifyAll();
  }

  /** Waits (at most 10 s) until a logged line contains {@code text}, woken by each new line. */
  synchronized String awaitLine(String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      for (String line : lines) {
        if (line.contains(text)) {
          return line;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no log line containing '" + text + "' in " + lines);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < loggers.size(); i++) {
      loggers.get(i).detachAppender(this);
      loggers.get(i).setLevel(levels.get(i));
    }
    stop();
  }
}
