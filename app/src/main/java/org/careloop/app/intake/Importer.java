package org.careloop.app.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.careloop.app.AppointmentRef;
import org.careloop.app.InputRejected;
import org.careloop.app.Store;
import org.careloop.app.engine.Engine;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanEvent;
import org.careloop.core.PlanOrder;

/**
 * Stores one checked input in one transaction: patients, new plans, changes to known plans, and
 * appointment updates. Re-importing the same input changes nothing: everything is keyed by the
 * source's identifiers.
 */
public final class Importer {
  private final Store store;
  private final Engine engine;
  private final String protocolId;

  private final AppointmentEvents appointments;

  public Importer(Store store, Engine engine, String protocolId) {
    this.store = store;
    this.engine = engine;
    this.protocolId = protocolId;
    this.appointments = new AppointmentEvents(engine);
  }

  /**
   * The steps as of {@code now}: a step a source reports done at a time still to come (the end of
   * its scheduled window, say) was done by the time careloop learnt of it, not later.
   */
  static List<OrderedStep> doneBy(List<OrderedStep> steps, Instant now) {
    return steps.stream()
        .map(s ->
            s.completedAt().filter(at -> at.isAfter(now)).isPresent()
                ? new OrderedStep(
                    s.key(), s.kind(), s.description(), s.dueAt(), s.interval(), Optional.of(now))
                : s)
        .toList();
  }

  /**
   * careloop's id for a plan from its practice and source key: stable, so the same source gives the
   * same id, and two practices' equal EHR ids give two plans.
   */
  public static String planId(String practiceId, String sourceKey) {
    return "pl-" + hash(practiceId + "|" + sourceKey);
  }

  /** careloop's id for a patient from its practice and source key, like {@link #planId}. */
  public static String patientId(String practiceId, String sourceKey) {
    return "pt-" + hash(practiceId + "|" + sourceKey);
  }

  static String hash(String text) {
    try {
      var digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event a presented (not yet accepted) treatment plan starts its program with. */
  static final String TREATMENT_PRESENTED = "treatment-plan-presented";

  /** Events whose appointment is the cause of the plan, not a step of it. */
  static final java.util.Set<String> EVENT_PLANS =
      java.util.Set.of("encounter-finished", "discharge", "appointment-no-show");

  /** Events that start a plan only where the practice chose a protocol for them. */
  static final java.util.Set<String> OPT_IN =
      java.util.Set.of("encounter-finished", "appointment-no-show", "discharge");

  /** How far a long import has come: called every {@link #PROGRESS_EVERY} patients and plans. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} of {@code total} {@code what} ("patient(s)" or "plan(s)") are in. */
    void done(String what, int done, int total);

    Progress NONE = (what, done, total) -> {};
  }

  /** How often a long import reports its progress. */
  public static final int PROGRESS_EVERY = 5000;

  public ImportResult importBatch(ImportBatch batch, Instant now) {
    return importBatch(batch, now, Progress.NONE);
  }

  /** Imports the batch in one transaction, all or nothing, telling {@code progress} on the way. */
  public ImportResult importBatch(ImportBatch batch, Instant now, Progress progress) {
    return store.inTransaction(tx -> {
      tx.planEachStatement();
      return run(tx, batch, now, progress);
    });
  }

  private ImportResult run(Store.Tx tx, ImportBatch batch, Instant now, Progress progress) {
    // Everything in a batch is one practice's: every lookup below names it, so another practice's
    // patient or plan with the same EHR id is never matched, updated or even seen.
    String practice = batch.practiceId();
    for (var p : batch.patients())
      if (!p.practiceId().equals(practice))
        throw new IllegalArgumentException(
            "a patient of practice " + p.practiceId() + " in a batch of practice " + practice);
    var notes = new ArrayList<String>(batch.warnings());
    var patientIds = new HashMap<String, String>();
    int upserted = 0;
    for (var p : batch.patients()) {
      patientIds.put(p.sourceKey(), tx.upsertPatient(p));
      if (++upserted % PROGRESS_EVERY == 0)
        progress.done("patient(s)", upserted, batch.patients().size());
    }
    int created = 0, updated = 0, unchanged = 0, appointmentEvents = 0;
    var defaultProtocol = engine.protocols().latest(protocolId);
    // One read (and lock) of the batch's patients for every plan it starts.
    var contacts = new HashMap<>(tx.contacts(patientIds.values(), now));
    var chosen = new HashMap<String, Optional<String>>();
    var notChosen = new java.util.TreeMap<String, Integer>();
    var visitPlans = new java.util.HashSet<String>();
    var held = new ArrayList<String>();
    var plansOf = new HashMap<String, Integer>();
    for (var plan : batch.plans()) plansOf.merge(plan.patientSourceKey(), 1, Integer::sum);
    // Visits first: a visit's follow-up order followed as its post-visit step is not a plan of
    // its own as well.
    var ordered = new ArrayList<>(batch.plans());
    ordered.sort(
        java.util.Comparator.comparing(p ->
            p.trigger()
                .filter(t -> t.equals("encounter-finished") || t.equals("discharge"))
                .isEmpty()));
    var covered = new java.util.HashSet<String>();
    // A finished visit that was a step of a plan careloop already follows (its appointment is
    // that plan's) starts no post-visit plan: the plan it belongs to goes on from it.
    var stepOf = new HashMap<String, String>();
    for (var appt : batch.appointments())
      appt.visitPlan()
          .ifPresent(visitPlan ->
              tx.appointment(practice, appt.sourceKey())
                  .map(AppointmentRef::planId)
                  .ifPresent(owner -> stepOf.put(visitPlan, owner)));
    int seen = 0;
    for (var plan : ordered) {
      if (++seen % PROGRESS_EVERY == 0) progress.done("plan(s)", seen, ordered.size());
      if (covered.contains(plan.sourceKey())) {
        notes.add(plan.where() + ": followed up as the next step of its visit's post-visit plan");
        continue;
      }
      // An order already followed as a step of a care plan, read again on its own (a later poll,
      // an appointment's order fetched with it): that plan goes on following it.
      var asStep =
          tx.planIdBySource(practice, plan.sourceKey()).isPresent()
              ? Optional.<Store.Appointments.OrderStep>empty()
              : tx.stepOfOrder(practice, plan.sourceKey());
      if (asStep.isPresent()) {
        notes.add(
            plan.where()
                + ": followed as step "
                + asStep.get().stepKey()
                + " of plan "
                + asStep.get().planId());
        continue;
      }
      var followedElsewhere = followedElsewhere(tx, practice, plan, stepOf);
      if (followedElsewhere.isPresent()) {
        notes.add(plan.where() + ": " + followedElsewhere.get() + "; no post-visit plan");
        continue;
      }
      // Events a practice must opt into (every finished visit would otherwise start a plan):
      // passed over, before any database work, unless the practice chose a protocol for them.
      if (plan.trigger().filter(OPT_IN::contains).isPresent()) {
        String event = plan.trigger().get();
        if (chosen
            .computeIfAbsent(practice + "|" + event, k -> tx.practiceProtocol(practice, event))
            .isEmpty()) {
          notChosen.merge(event, 1, Integer::sum);
          continue;
        }
      }
      String patientId =
          Optional.ofNullable(patientIds.get(plan.patientSourceKey()))
              .or(() -> tx.patientIdBySource(practice, plan.patientSourceKey()))
              .orElseThrow(() ->
                  new InputRejected(
                      plan.where(),
                      "patient "
                          + plan.patientSourceKey()
                          + " is neither in this input nor already known"));
      var existing = tx.planIdBySource(practice, plan.sourceKey());
      if (existing.isEmpty()
          && plan.trigger().filter("appointment-no-show"::equals).isPresent()
          && !tx.activePlansOfPatient(patientId).isEmpty()) {
        // The patient's plan handles the miss itself (outreach, rebooking, provider review).
        continue;
      }
      if (existing.isEmpty()) {
        if (!plan.active()) {
          notes.add(plan.where() + ": not active at the source, not followed up");
          continue;
        }
        // The follow-up ordered at a visit whose post-visit plan came first: one plan tracks it.
        var postVisit = VisitFollowUps.of(tx, practice, plan);
        if (postVisit.filter(VisitFollowUps.PostVisit::booked).isPresent()) {
          tx.linkOrders(
              practice,
              postVisit.get().planId(),
              java.util.Map.of(plan.sourceKey(), VisitFollowUps.STEP));
          notes.add(
              plan.where()
                  + ": the follow-up ordered at the visit is booked in its post-visit plan "
                  + postVisit.get().planId()
                  + ", which follows it");
          continue;
        }
        var patient = tx.patient(patientId).orElseThrow();
        var protocol =
            plan.trigger()
                .map(t ->
                    chosen
                        .computeIfAbsent(
                            patient.practiceId() + "|" + t,
                            k -> tx.practiceProtocol(patient.practiceId(), t))
                        .map(engine.protocols()::latest)
                        .or(() -> engine.protocols().forTrigger(t, protocolId))
                        .orElseThrow(() ->
                            new InputRejected(
                                plan.where(), "no protocol is started by " + t + " plans")))
                .orElse(defaultProtocol);
        var unmet =
            protocol
                .enrolWhen()
                .flatMap(w ->
                    w.unmetBy(plan.valueCents(), true).or(() -> w.tooOld(plan.orderedAt(), now)));
        if (unmet.isPresent()) {
          notes.add(plan.where() + ": not followed up by " + protocol.id() + ", " + unmet.get());
          continue;
        }
        var order =
            new PlanOrder(
                planId(practice, plan.sourceKey()),
                patient.practiceId(),
                patientId,
                plan.orderedAt(),
                doneBy(plan.steps(), now),
                plan.flags(),
                patient.reach(),
                plan.valueCents());
        if (!contacts.containsKey(patientId)) contacts.putAll(tx.contacts(List.of(patientId), now));
        // A patient's plans started together fire once all are stored (one intake, one
        // cadence); a patient's only plan fires at once.
        if (plansOf.getOrDefault(plan.patientSourceKey(), 0) > 1
            || !tx.activePlansOfPatient(patientId).isEmpty()) {
          engine.activateHeld(
              tx, order, protocol, plan.sourceKey(), plan.provider(), now, contacts);
          held.add(order.planId());
        } else {
          engine.activate(tx, order, protocol, plan.sourceKey(), plan.provider(), now, contacts);
        }
        tx.linkOrders(practice, order.planId(), plan.orders());
        // A plan started by a visit or a no-show: that appointment itself is not its next step.
        if (plan.trigger().filter(EVENT_PLANS::contains).isPresent())
          visitPlans.add(order.planId());
        covered.addAll(plan.covers());
        if (postVisit.isPresent()) {
          engine.applyAll(
              tx,
              postVisit.get().planId(),
              List.of(
                  new PlanEvent.PlanEnded(
                      "the follow-up ordered at the visit is followed by plan " + order.planId(),
                      now)),
              now);
          notes.add(
              plan.where()
                  + ": the visit's post-visit plan "
                  + postVisit.get().planId()
                  + " ends; this order's plan follows up instead");
        }
        created++;
        continue;
      }
      covered.addAll(plan.covers());
      tx.linkOrders(practice, existing.get(), plan.orders());
      var stored = tx.lockPlan(existing.get()).orElseThrow();
      var events = new ArrayList<PlanEvent>();
      for (var step : doneBy(plan.steps(), now)) {
        var m = stored.state().milestone(step.key());
        if (step.completedAt().isPresent() && m.isPresent() && !m.get().status().isClosed()) {
          events.add(new PlanEvent.StepCompleted(step.key(), step.completedAt().get()));
        } else if (step.dueAt().isPresent()
            && m.isPresent()
            && !m.get().status().isClosed()
            // A visit that counts from the previous one keeps its time: the order's date was
            // only where it started.
            && m.get().interval().isEmpty()
            && !step.dueAt().get().equals(m.get().dueAt())) {
          events.add(new PlanEvent.StepRescheduled(step.key(), step.dueAt().get()));
        }
      }
      var accepted =
          plan.acceptance()
              .filter(a ->
                  engine.protocols().of(stored.state()).triggers().contains(TREATMENT_PRESENTED));
      if (accepted.isPresent()) {
        // A presented treatment plan the patient said yes to: its goal, not its end; sent again
        // (the next export) it changes nothing unless it went further (scheduled, completed).
        if (stored.state().status() == org.careloop.core.PlanStatus.ACTIVE
            && stored.state().acceptance().filter(r -> r.compareTo(accepted.get()) >= 0).isEmpty())
          events.add(new PlanEvent.TreatmentAccepted(accepted.get(), now));
      } else if (!plan.active() && stored.state().status() == org.careloop.core.PlanStatus.ACTIVE) {
        events.add(
            new PlanEvent.PlanEnded(plan.endReason().orElse("status changed at the source"), now));
      }
      if (events.isEmpty()) {
        unchanged++;
      } else {
        engine.applyAll(tx, existing.get(), events, now);
        updated++;
      }
    }
    // The held plans fire once all are stored: plans started together send one intake and one
    // cadence.
    engine.fireHeld(tx, held, now);
    notChosen.forEach((event, n) ->
        notes.add(
            batch.source()
                + ": "
                + n
                + " "
                + event
                + " event(s) not followed up: the practice has not chosen a protocol for them"
                + " (careloop practice protocol "
                + event
                + " PROTOCOL)"));
    for (var appt : batch.appointments()) {
      var event = appointments.apply(tx, practice, appt, patientIds, now, notes, visitPlans);
      if (event.isPresent()) appointmentEvents++;
    }
    return new ImportResult(
        batch.source(),
        batch.patients().size(),
        created,
        updated,
        unchanged,
        appointmentEvents,
        notes);
  }

  /**
   * Why a finished visit starts no post-visit plan when it does not: the visit was itself a step of
   * a plan careloop follows, or the follow-up ordered at it already is one. A post-visit plan never
   * tracks what another plan tracks.
   */
  private static Optional<String> followedElsewhere(
      Store.Tx tx,
      String practice,
      ImportBatch.IncomingPlan plan,
      java.util.Map<String, String> stepOf) {
    if (tx.planIdBySource(practice, plan.sourceKey()).isPresent()) return Optional.empty();
    if (stepOf.containsKey(plan.sourceKey()))
      return Optional.of(
          "the visit was a step of plan "
              + stepOf.get(plan.sourceKey())
              + ", which goes on from it");
    for (String order : plan.covers()) {
      var owner =
          tx.stepOfOrder(practice, order)
              .map(Store.Appointments.OrderStep::planId)
              .or(() -> tx.planIdBySource(practice, order));
      if (owner.isPresent())
        return Optional.of(
            "the follow-up ordered at the visit is already followed by plan " + owner.get());
    }
    return Optional.empty();
  }
}
