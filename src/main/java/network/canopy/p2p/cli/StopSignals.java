package network.canopy.p2p.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Turns SIGTERM and SIGINT into a clean stop. Handling the signals ourselves (rather than only a
 * shutdown hook) lets the process finish its goodbye and exit with status 0 instead of 143/130.
 */
final class StopSignals {

  private StopSignals() {}

  /**
   * Java has no public signal API; {@code sun.misc.Signal} (module jdk.unsupported, exported) is
   * reached by reflection so the build can treat compiler warnings as errors. Without it, or on a
   * platform lacking a signal, the JVM's default handling applies.
   */
  static void install(Runnable stop) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Constructor<?> named = signal.getConstructor(String.class);
      Method handle = signal.getMethod("handle", signal, handler);
      for (String name : new String[] {"TERM", "INT"}) {
        try {
          handle.invoke(null, named.newInstance(name), onSignal(handler, name, stop));
        } catch (ReflectiveOperationException | IllegalArgumentException unsupported) {
          // Not every platform has every signal (the constructor or handle() refuses it).
        }
      }
    } catch (ReflectiveOperationException | LinkageError absent) {
      // A JDK without jdk.unsupported: the shutdown hooks still run, with the JVM's exit status.
    }
  }

  /** A SignalHandler whose handle(Signal) starts {@code stop} on a thread of its own. */
  private static Object onSignal(Class<?> handler, String name, Runnable stop) {
    return Proxy.newProxyInstance(
        handler.getClassLoader(),
        new Class<?>[] {handler},
        (proxy, method, args) ->
            switch (method.getName()) {
              case "handle" -> {
                new Thread(stop, "stop-on-SIG" + name).start();
                yield null;
              }
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              case "toString" -> "StopSignals(SIG" + name + ")";
              default -> null;
            });
  }
}
