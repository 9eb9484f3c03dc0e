package network.canopy.p2p.crypto;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loads the JSON test vectors copied under src/test/resources (see the SOURCE.txt beside them). */
final class TestVectors {
  private TestVectors() {}

  static JsonObject load(String resource) {
    try (InputStream in = TestVectors.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One Wycheproof test case with the group it belongs to. */
  record Case(JsonObject group, JsonObject test) {
    int id() {
      return test.getInteger("tcId");
    }

    String result() {
      return test.getString("result");
    }

    byte[] hex(String field) {
      return Hex.decode(test.getString(field));
    }

    @Override
    public String toString() {
      return "tcId "
          + id()
          + " ("
          + test.getString("comment")
          + ", "
          + test.getJsonArray("flags")
          + ")";
    }
  }

  /** All test cases of a Wycheproof file, flattened over its groups. */
  static List<Case> wycheproof(String file) {
    JsonObject root = load("wycheproof/" + file);
    List<Case> cases = new ArrayList<>();
    JsonArray groups = root.getJsonArray("testGroups");
    for (int g = 0; g < groups.size(); g++) {
      JsonObject group = groups.getJsonObject(g);
      JsonArray tests = group.getJsonArray("tests");
      for (int t = 0; t < tests.size(); t++) {
        cases.add(new Case(group, tests.getJsonObject(t)));
      }
    }
    if (cases.size() != root.getInteger("numberOfTests")) {
      throw new IllegalStateException(file + ": numberOfTests disagrees with the cases found");
    }
    return cases;
  }
}
