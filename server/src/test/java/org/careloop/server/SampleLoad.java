package org.careloop.server;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.PatientRecord;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;

/** N patients with one two-step plan each, as one import. */
final class SampleLoad {
  private SampleLoad() {}

  static ImportBatch plans(int n, Instant orderedAt) {
    var patients = new ArrayList<PatientRecord>();
    var plans = new ArrayList<ImportBatch.IncomingPlan>();
    for (int i = 0; i < n; i++) {
      String pk = "load:patient:" + i;
      patients.add(
          new PatientRecord(
              pk,
              Careloop.DEFAULT_PRACTICE,
              "Pat" + i,
              "Load",
              Optional.of(String.format("+1617555%04d", i % 10000)),
              Optional.empty(),
              Optional.of("p" + i + "@example.com"),
              Optional.empty(),
              Optional.empty(),
              DemoGenerator.ZONE));
      plans.add(
          new ImportBatch.IncomingPlan(
              "load:plan:" + i,
              pk,
              orderedAt,
              List.of(
                  new OrderedStep(
                      "lab",
                      StepKind.LAB,
                      "lab",
                      Optional.empty(),
                      Optional.of(Duration.ofDays(42)),
                      Optional.empty()),
                  new OrderedStep(
                      "visit",
                      StepKind.VISIT,
                      "visit",
                      Optional.empty(),
                      Optional.of(Duration.ofDays(14)),
                      Optional.empty())),
              PlanFlags.NONE,
              Optional.empty(),
              true,
              "load:" + i));
    }
    return new ImportBatch(
        "load", Careloop.DEFAULT_PRACTICE, patients, plans, List.of(), List.of());
  }
}
