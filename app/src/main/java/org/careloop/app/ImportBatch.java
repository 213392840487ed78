package org.careloop.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;

/**
 * Everything one input (a FHIR bundle, a CSV file) said, already checked and translated. It is
 * stored in one transaction by {@link Importer}.
 */
public record ImportBatch(
    String source,
    List<PatientRecord> patients,
    List<IncomingPlan> plans,
    List<AppointmentUpdate> appointments,
    List<String> warnings) {

  public ImportBatch {
    patients = List.copyOf(patients);
    plans = List.copyOf(plans);
    appointments = List.copyOf(appointments);
    warnings = List.copyOf(warnings);
  }

  /** A plan as the source has it now. */
  public record IncomingPlan(
      String sourceKey,
      String patientSourceKey,
      Instant orderedAt,
      List<OrderedStep> steps,
      PlanFlags flags,
      Optional<String> provider,
      boolean active,
      String where) {}

  /**
   * An appointment as the source has it now.
   *
   * @param status FHIR Appointment status words: booked, fulfilled, arrived, checked-in, noshow,
   *     cancelled, …
   */
  public record AppointmentUpdate(
      String sourceKey,
      String patientSourceKey,
      Optional<String> planSourceKey,
      Optional<String> milestoneKey,
      String status,
      Optional<Instant> start,
      String where) {}
}
