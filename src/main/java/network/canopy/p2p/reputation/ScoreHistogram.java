package network.canopy.p2p.reputation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Counts scores into fixed buckets for the {@code p2p_peer_reputation} metric; registering the
 * gauges (one per bucket, tagged with its label) is the caller's job.
 */
public final class ScoreHistogram {

  /**
   * Score ranges, lowest first; the first holds the scores at or below the default ban threshold.
   */
  private static final String[] LABELS = {
    "[-100,-50]", "(-50,-10]", "(-10,10)", "[10,50)", "[50,100]"
  };

  /** One bucket: its label (a range) and how many scores fell in it. */
  public record Bucket(String label, int count) {}

  private ScoreHistogram() {}

  /** The bucket labels, lowest scores first; every {@link #count} result has them in this order. */
  public static List<String> labels() {
    return List.of(LABELS);
  }

  /**
   * How many of {@code scores} fall in each bucket, lowest scores first; empty buckets included.
   */
  public static List<Bucket> count(Collection<Double> scores) {
    int[] counts = new int[LABELS.length];
    for (double s : scores) {
      counts[bucket(s)]++;
    }
    List<Bucket> out = new ArrayList<>(LABELS.length);
    for (int i = 0; i < LABELS.length; i++) {
      out.add(new Bucket(LABELS[i], counts[i]));
    }
    return out;
  }

  /** Which bucket a score falls in; the edges match the labels' brackets. */
  static int bucket(double score) {
    if (score <= -50) {
      return 0;
    } else if (score <= -10) {
      return 1;
    } else if (score < 10) {
      return 2;
    } else if (score < 50) {
      return 3;
    }
    return 4;
  }
}
