package org.careloop.app.intake;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.Limits;
import org.careloop.app.PatientRecord;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;

/**
 * Everything one input (a FHIR bundle, a CSV file) said, already checked and translated. It is
 * stored in one transaction by {@link Importer}, into one practice: the practice whose feed or
 * import it came through.
 */
public record ImportBatch(
    String source,
    String practiceId,
    List<PatientRecord> patients,
    List<IncomingPlan> plans,
    List<AppointmentUpdate> appointments,
    List<String> warnings) {

  /**
   * The key a plan's order is linked under for the visit it was ordered at (a ServiceRequest's
   * {@code encounter}): that visit's post-visit plan, arriving later, finds the order already
   * followed.
   */
  public static String followUpOf(String visitKey) {
    return visitKey + "#follow-up";
  }

  public ImportBatch {
    patients = List.copyOf(patients);
    plans = List.copyOf(plans);
    appointments = List.copyOf(appointments);
    warnings = List.copyOf(warnings);
  }

  /**
   * A plan as the source has it now.
   *
   * @param trigger the event it is (treatment-plan-presented, …): which protocol follows it; empty
   *     for the importer's default
   * @param valueCents its value, for a priced treatment plan
   * @param endReason why it is no longer active, when it is not (declined by the patient, …)
   * @param covers source keys of plans this one stands for when it is followed (a visit's follow-up
   *     order, followed as the visit's post-visit step)
   * @param orders the source keys of the orders its steps stand for (the ServiceRequests a
   *     CarePlan's activities point at), each to its step's key: an appointment sent later, based
   *     on one of them, is for that step
   * @param acceptance for a presented treatment plan careloop follows, how far the patient has come
   *     since saying yes (accepted, scheduled, completed); ignored for any other plan
   */
  public record IncomingPlan(
      String sourceKey,
      String patientSourceKey,
      Instant orderedAt,
      List<OrderedStep> steps,
      PlanFlags flags,
      Optional<String> provider,
      boolean active,
      String where,
      Optional<String> trigger,
      Optional<Long> valueCents,
      Optional<String> endReason,
      List<String> covers,
      java.util.Map<String, String> orders,
      Optional<org.careloop.core.PlanEvent.Acceptance> acceptance) {

    public IncomingPlan {
      covers = List.copyOf(covers);
      orders = java.util.Map.copyOf(orders);
      provider.ifPresent(v -> Limits.check(v, Limits.LABEL, where + ", provider"));
      for (var s : steps)
        Limits.check(s.description(), Limits.TEXT, where + ", step " + s.key() + " description");
    }

    /** A plan whose steps stand for no orders of their own. */
    public IncomingPlan(
        String sourceKey,
        String patientSourceKey,
        Instant orderedAt,
        List<OrderedStep> steps,
        PlanFlags flags,
        Optional<String> provider,
        boolean active,
        String where,
        Optional<String> trigger,
        Optional<Long> valueCents,
        Optional<String> endReason,
        List<String> covers) {
      this(
          sourceKey,
          patientSourceKey,
          orderedAt,
          steps,
          flags,
          provider,
          active,
          where,
          trigger,
          valueCents,
          endReason,
          covers,
          java.util.Map.of(),
          Optional.empty());
    }

    /** A plan for the importer's default protocol, with no value. */
    public IncomingPlan(
        String sourceKey,
        String patientSourceKey,
        Instant orderedAt,
        List<OrderedStep> steps,
        PlanFlags flags,
        Optional<String> provider,
        boolean active,
        String where) {
      this(
          sourceKey,
          patientSourceKey,
          orderedAt,
          steps,
          flags,
          provider,
          active,
          where,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of());
    }
  }

  /**
   * An appointment as the source has it now.
   *
   * @param status FHIR Appointment status words: booked, fulfilled, arrived, checked-in, noshow,
   *     cancelled, …
   * @param visitPlan for a finished visit, the source key of the post-visit (or discharge) plan it
   *     would start: none is started when the visit was a step of a plan careloop already follows
   * @param kind for an appointment that names no order or plan, the kind of step its service type,
   *     category or reason says it is for: it books the patient's open step of that kind, never
   *     another
   */
  public record AppointmentUpdate(
      String sourceKey,
      String patientSourceKey,
      Optional<String> planSourceKey,
      Optional<String> milestoneKey,
      String status,
      Optional<Instant> start,
      String where,
      Optional<String> visitPlan,
      Optional<org.careloop.core.StepKind> kind) {

    /** An appointment whose kind of step is not said. */
    public AppointmentUpdate(
        String sourceKey,
        String patientSourceKey,
        Optional<String> planSourceKey,
        Optional<String> milestoneKey,
        String status,
        Optional<Instant> start,
        String where,
        Optional<String> visitPlan) {
      this(
          sourceKey,
          patientSourceKey,
          planSourceKey,
          milestoneKey,
          status,
          start,
          where,
          visitPlan,
          Optional.empty());
    }

    /** An appointment that starts no plan of its own. */
    public AppointmentUpdate(
        String sourceKey,
        String patientSourceKey,
        Optional<String> planSourceKey,
        Optional<String> milestoneKey,
        String status,
        Optional<Instant> start,
        String where) {
      this(
          sourceKey,
          patientSourceKey,
          planSourceKey,
          milestoneKey,
          status,
          start,
          where,
          Optional.empty());
    }
  }
}
