package network.canopy.p2p.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a clean stop. Handling the signals ourselves (rather than only a
 * shutdown hook) lets the process finish its goodbye and exit with status 0 instead of 143/130.
 */
final class StopSignals {

  private StopSignals() {
  }

  static void install(Runnable stop) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), sig -> new Thread(stop, "stop-on-SIG" + name).start());
      } catch (IllegalArgumentException unsupported) {
        // Not every platform has every signal; the JVM's default handling then applies.
      }
    }
  }
}
