package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.careloop.core.MessagingRulesPropertiesTest.Run;
import org.careloop.core.MessagingRulesPropertiesTest.Setup;
import org.careloop.core.MessagingRulesPropertiesTest.Step;
import org.junit.jupiter.api.Test;

/**
 * Replays fixed histories and compares every decision (timeline, effects, final state) with the
 * decision log stored in {@code src/test/resources/golden/decisions.txt}. Any change in what the
 * program decides shows here as a diff to read; when the change is meant, regenerate the log with
 * {@code ./mvnw -pl core test -Dtest=GoldenDecisionsTest -Dgolden.update=true} and commit it with
 * the change.
 */
class GoldenDecisionsTest {
  static final Path LOG = Path.of("src/test/resources/golden/decisions.txt");

  /** Setups and histories that touch every rule: caps, windows, holidays, replies, opt-outs. */
  static final List<Setup> SETUPS =
      List.of(
          new Setup(0, false, true, true, 1, 3, false, 5, 1),
          new Setup(1, true, true, false, 2, 5, true, 0, 2),
          new Setup(2, false, false, true, 1, 2, true, 12, 3),
          new Setup(0, false, true, true, 3, 9, false, 40, 2));

  static final List<List<Step>> HISTORIES =
      List.of(
          List.of(new Step(14, 24 * 30, 0)),
          List.of(
              new Step(0, 30, 0),
              new Step(2, 48, 0),
              new Step(5, 20, 1),
              new Step(6, 10, 1),
              new Step(14, 24 * 20, 0)),
          List.of(
              new Step(4, 24 * 3, 0),
              new Step(7, 5, 1),
              new Step(8, 30, 1),
              new Step(10, 12, 2),
              new Step(3, 40, 2),
              new Step(14, 24 * 25, 0)),
          List.of(
              new Step(11, 24 * 10, 0),
              new Step(9, 3, 1),
              new Step(12, 50, 1),
              new Step(13, 2, 0),
              new Step(1, 24 * 6, 1),
              new Step(14, 24 * 30, 0)));

  static String decisionLog() {
    var out = new StringBuilder();
    for (int i = 0; i < SETUPS.size(); i++) {
      var run = new Run(SETUPS.get(i));
      run.play(HISTORIES.get(i));
      out.append("## run ").append(i).append(": ").append(SETUPS.get(i)).append('\n');
      for (int p = 0; p < run.plans.size(); p++) {
        var plan = run.plans.get(p);
        out.append("# plan ").append(p).append('\n');
        for (var e : plan.timeline)
          out.append(e.at())
              .append(' ')
              .append(e.kind())
              .append(": ")
              .append(e.text())
              .append('\n');
        for (var e : plan.effects) out.append("effect ").append(e).append('\n');
        out.append("state ").append(plan.state.status()).append(' ');
        out.append(plan.state.milestones().stream().map(m -> m.status().name()).toList());
        out.append(" done=").append(new java.util.TreeSet<>(plan.state.done())).append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void theProgramDecides_asTheStoredDecisionLogSays() throws Exception {
    String now = decisionLog();
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(LOG.getParent());
      Files.writeString(LOG, now, StandardCharsets.UTF_8);
    }
    assertThat(LOG).as("the stored decision log (see the class comment to create it)").exists();
    assertThat(now).isEqualTo(Files.readString(LOG, StandardCharsets.UTF_8));
    // The log is not vacuous: messages went out, something was held back, a task was made.
    assertThat(now).contains("SendTouchpoint", "deferred", "CreateTask");
  }
}
