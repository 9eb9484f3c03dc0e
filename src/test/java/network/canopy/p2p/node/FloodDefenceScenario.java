package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The speed side of FloodDefenceTest's floods: honest delivery under attack stays above half its
 * quiet rate (the two measured in the same run), and no hostile socket outlives the 5 s handshake
 * deadline by more than 3 s. Both bend on a loaded machine, so this is not named *Test and stays
 * out of scripts/test.sh: run it alone with scripts/speed-scenarios.sh.
 */
class FloodDefenceScenario {

  @TempDir Path root;

  @ParameterizedTest
  @ValueSource(strings = {"connect-flood", "slowloris", "garbage", "authenticated-flood"})
  void honestTrafficKeepsHalfItsRateAndTheHandshakeDeadlineHolds(String attack) throws Exception {
    FloodHarness.Outcome o = FloodHarness.underAttack(root, attack);

    assertThat(o.attackRate()).as(o.figures()).isGreaterThan(0.5 * o.quietRate());
    if (attack.equals("slowloris")
        || attack.equals("garbage")) { // the others complete or never start one
      assertThat(o.report().longestLifeMs())
          .as(o.figures() + "the 5 s handshake deadline holds")
          .isLessThan(8_000);
    }
  }
}
