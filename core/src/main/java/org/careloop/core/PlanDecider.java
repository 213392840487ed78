package org.careloop.core;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The treatment-plan follow-up program as a pure function: {@code (state, event, now, protocol) →
 * decision}. Activation, appointments kept and missed, check-ins between steps and care-gap tiers
 * all live here; the application only stores and carries out what it returns.
 */
public final class PlanDecider {

  private PlanDecider() {}

  /** Activates a new plan: milestones, intake message, board entry, alert when flagged. */
  public static Decision start(PlanOrder order, Instant now, Protocol protocol, Contact contact) {
    var run = new Run(now, protocol, contact);
    Instant oldest = now.minus(protocol.lateImportWindow());
    Instant anchor = order.orderedAt().isBefore(oldest) ? now : order.orderedAt();
    run.note(
        now,
        "event",
        "plan ordered with "
            + order.steps().size()
            + " step(s), protocol "
            + protocol.id()
            + " v"
            + protocol.version());
    if (!anchor.equals(order.orderedAt())) {
      run.note(
          now,
          "decision",
          "plan started "
              + day(order.orderedAt())
              + ", older than "
              + protocol.lateImportWindow().toDays()
              + " days: step intervals count from import");
    }
    var milestones = new ArrayList<Milestone>();
    Instant previous = anchor;
    int seq = 0;
    for (var step : order.steps()) {
      Optional<Duration> interval =
          step.dueAt().isPresent()
              ? Optional.empty()
              : Optional.of(step.interval().orElse(protocol.defaultStepInterval()));
      Instant base = previous;
      Instant due = step.dueAt().orElseGet(() -> base.plus(interval.orElseThrow()));
      var status =
          step.completedAt().isPresent() ? MilestoneStatus.COMPLETED : MilestoneStatus.PENDING;
      milestones.add(
          new Milestone(
              step.key(),
              seq++,
              step.kind(),
              step.description(),
              due,
              interval,
              status,
              Optional.empty(),
              Optional.empty(),
              step.completedAt(),
              Optional.empty(),
              Optional.empty(),
              now,
              0,
              0,
              Optional.empty(),
              Optional.empty()));
      previous = step.completedAt().orElse(due);
    }
    run.state =
        new PlanState(
            order.planId(),
            order.practiceId(),
            order.patientId(),
            protocol.id(),
            protocol.version(),
            PlanStatus.ACTIVE,
            now,
            anchor,
            order.flags(),
            contact.reach(),
            milestones,
            0,
            false,
            new TreeSet<>(),
            Optional.empty(),
            Optional.empty(),
            order.valueCents(),
            Optional.empty());
    var next = run.state.current();
    run.effects.add(
        new Effect.PostToBoard(
            "board:start",
            next.map(m ->
                    "Plan started; next step " + m.kind().patientWords() + " due " + day(m.dueAt()))
                .orElse("Plan started with every step already completed")));
    if (order.flags().any() && next.isPresent()) {
      run.effects.add(
          new Effect.CreateTask(
              "activation-alert",
              Lane.MONITORING,
              Priority.HIGH,
              "Flagged plan started (" + order.flags().describe() + ")",
              "Review the plan and reach the patient personally. First step: "
                  + next.get().kind().patientWords()
                  + " due "
                  + day(next.get().dueAt())
                  + ".",
              now.plus(Duration.ofDays(1)),
              next.get().key()));
    }
    run.completeIfAllClosed(now);
    run.fireDue();
    return run.finish();
  }

  /** Applies one event at {@code now}, then fires every agenda item due by {@code now}. */
  public static Decision decide(
      PlanState state, PlanEvent event, Instant now, Protocol protocol, Contact contact) {
    var run = new Run(now, protocol, contact);
    run.state = state;
    run.refreshReach();
    if (state.status() != PlanStatus.ACTIVE) {
      if (!(event instanceof PlanEvent.TimerFired)) {
        run.note(
            now,
            "event",
            describe(event) + ": ignored, plan is " + state.status().name().toLowerCase());
      }
      return run.finish();
    }
    switch (event) {
      case PlanEvent.AppointmentBooked e -> run.booked(e);
      case PlanEvent.AppointmentKept e -> run.kept(e.appointmentId(), e.milestoneKey(), e.at());
      case PlanEvent.AppointmentMissed e -> run.missed(e);
      case PlanEvent.AppointmentCancelled e -> run.cancelled(e);
      case PlanEvent.StepCompleted e -> run.stepCompleted(e);
      case PlanEvent.StepRescheduled e -> run.rescheduled(e);
      case PlanEvent.ReplyReceived e -> run.replied(e);
      case PlanEvent.DeliveryFailed e -> run.deliveryFailed(e);
      case PlanEvent.SequenceResumed e -> run.resumed(e);
      case PlanEvent.PlanEnded e -> run.ended(e);
      case PlanEvent.TimerFired e -> {}
    }
    run.fireDue();
    return run.finish();
  }

  static String describe(PlanEvent event) {
    return switch (event) {
      case PlanEvent.AppointmentBooked e ->
          "appointment " + e.appointmentId() + " booked for " + e.start();
      case PlanEvent.AppointmentKept e -> "appointment " + e.appointmentId() + " kept";
      case PlanEvent.AppointmentMissed e ->
          "appointment " + e.appointmentId() + " missed (no-show)";
      case PlanEvent.AppointmentCancelled e -> "appointment " + e.appointmentId() + " cancelled";
      case PlanEvent.StepCompleted e -> "step " + e.milestoneKey() + " reported completed";
      case PlanEvent.StepRescheduled e ->
          "step " + e.milestoneKey() + " now due " + day(e.dueAt()) + " at the source";
      case PlanEvent.ReplyReceived e ->
          "patient replied by "
              + e.channel()
              + switch (e.kind()) {
                case POSITIVE -> " (wants to book)";
                case WORSE_SYMPTOMS -> " (reports worse symptoms)";
                case FREE_TEXT -> " (free text)";
              };
      case PlanEvent.DeliveryFailed e ->
          e.channel() + " message " + e.effectKey() + " failed for good: " + e.reason();
      case PlanEvent.SequenceResumed e -> "automated messages resumed by " + e.by();
      case PlanEvent.PlanEnded e -> "plan ended at the source: " + e.reason();
      case PlanEvent.TimerFired e -> "wake-up";
    };
  }

  static String day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
  }

  /** Failed deliveries on one plan after which a person is asked, escalated at once. */
  static final int REPEATED_FAILURES = 2;

  /** One decision in the making: the state as it changes, and what it produced. */
  private static final class Run {
    private final Instant now;
    private final Protocol protocol;
    private final Contact contact;

    /** The patient's automated outreach across plans, with what this decision adds. */
    private final List<Instant> outreach;

    private final List<String> outreachKeys = new ArrayList<>();

    /** The sending rules' verdict for now; it only changes when this decision sends. */
    private SendGate.@Nullable Open gate;

    private PlanState state;
    private final List<Effect> effects = new ArrayList<>();
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final TreeSet<String> done = new TreeSet<>();

    @SuppressWarnings("NullAway.Init")
    Run(Instant now, Protocol protocol, Contact contact) {
      this.now = now;
      this.protocol = protocol;
      this.contact = contact;
      this.outreach = new ArrayList<>(contact.recentOutreach());
    }

    /** The patient's contact points may have changed since the last decision: use today's. */
    void refreshReach() {
      if (!state.reach().equals(contact.reach())) {
        state = with(contact.reach(), state.pause());
      }
    }

    private PlanState with(Reach reach, Optional<PlanState.Pause> pause) {
      return copy(
          state.milestones(),
          state.status(),
          state.consecutiveMisses(),
          state.providerReviewFlagged(),
          state.done(),
          state.lastReplyAt(),
          reach,
          pause);
    }

    void note(Instant at, String kind, String text) {
      timeline.add(new TimelineEntry(at, kind, text));
    }

    Decision finish() {
      if (!done.isEmpty()) {
        var all = new TreeSet<>(state.done());
        all.addAll(done);
        state =
            copy(
                state.milestones(),
                state.status(),
                state.consecutiveMisses(),
                state.providerReviewFlagged(),
                all,
                state.lastReplyAt());
        done.clear();
      }
      Optional<Instant> next =
          Agenda.of(state, protocol).stream()
              .filter(i -> !state.done().contains(i.key()))
              .map(i -> deferred(i) && !i.at().isAfter(now) ? openAt().at() : i.at())
              .min(Instant::compareTo);
      return new Decision(state, effects, next, timeline, outreachKeys);
    }

    private PlanState copy(
        List<Milestone> milestones,
        PlanStatus status,
        int consecutiveMisses,
        boolean reviewFlagged,
        java.util.Set<String> doneKeys,
        Optional<Instant> lastReply) {
      return copy(
          milestones,
          status,
          consecutiveMisses,
          reviewFlagged,
          doneKeys,
          lastReply,
          state.reach(),
          state.pause());
    }

    private PlanState withStatus(PlanStatus status) {
      return copy(
          state.milestones(),
          status,
          state.consecutiveMisses(),
          state.providerReviewFlagged(),
          state.done(),
          state.lastReplyAt());
    }

    /** The one place a changed state is built: the plan's identity stays, the rest is given. */
    private PlanState copy(
        List<Milestone> milestones,
        PlanStatus status,
        int consecutiveMisses,
        boolean reviewFlagged,
        java.util.Set<String> doneKeys,
        Optional<Instant> lastReply,
        Reach reach,
        Optional<PlanState.Pause> pause) {
      return new PlanState(
          state.planId(),
          state.practiceId(),
          state.patientId(),
          state.protocolId(),
          state.protocolVersion(),
          status,
          state.activatedAt(),
          state.anchorAt(),
          state.flags(),
          reach,
          milestones,
          consecutiveMisses,
          reviewFlagged,
          doneKeys,
          lastReply,
          pause,
          state.valueCents(),
          state.firstMessageAt());
    }

    private boolean isDone(String key) {
      return state.done().contains(key) || done.contains(key);
    }

    private void replace(Milestone m) {
      var list = new ArrayList<>(state.milestones());
      list.set(indexOf(m.key()), m);
      state =
          copy(
              list,
              state.status(),
              state.consecutiveMisses(),
              state.providerReviewFlagged(),
              state.done(),
              state.lastReplyAt());
    }

    private int indexOf(String key) {
      for (int i = 0; i < state.milestones().size(); i++) {
        if (state.milestones().get(i).key().equals(key)) return i;
      }
      throw new IllegalStateException("no milestone " + key);
    }

    /** The step an appointment belongs to: the one that holds it, the named one, or the current. */
    private Optional<Milestone> target(String appointmentId, Optional<String> milestoneKey) {
      var holding =
          state.milestones().stream()
              .filter(m -> m.appointmentId().filter(appointmentId::equals).isPresent())
              .findFirst();
      if (holding.isPresent()) return holding;
      if (milestoneKey.isPresent()) return state.milestone(milestoneKey.get());
      return state.current();
    }

    void booked(PlanEvent.AppointmentBooked e) {
      var m = target(e.appointmentId(), e.milestoneKey());
      if (m.isEmpty() || m.get().status().isClosed()) {
        note(now, "event", describe(e) + ": no open step to attach it to");
        return;
      }
      replace(m.get().booked(e.appointmentId(), e.start(), now));
      note(
          now,
          "event",
          describe(e) + "; step " + m.get().key() + " is scheduled, its reminders stop");
    }

    void kept(String appointmentId, Optional<String> milestoneKey, Instant at) {
      var m = target(appointmentId, milestoneKey);
      if (m.isEmpty() || m.get().status().isClosed()) {
        note(now, "event", "appointment " + appointmentId + " kept: no open step to attach it to");
        return;
      }
      complete(m.get(), at, "appointment " + appointmentId + " kept");
    }

    void rescheduled(PlanEvent.StepRescheduled e) {
      var m = state.milestone(e.milestoneKey());
      if (m.isEmpty() || m.get().status().isClosed()) {
        note(now, "event", describe(e) + ": already closed or unknown");
        return;
      }
      replace(m.get().withDueAt(e.dueAt()));
      note(now, "event", describe(e) + "; its reminders and care-gap tiers follow the new date");
    }

    void stepCompleted(PlanEvent.StepCompleted e) {
      var m = state.milestone(e.milestoneKey());
      if (m.isEmpty() || m.get().status().isClosed()) {
        note(now, "event", describe(e) + ": already closed or unknown");
        return;
      }
      complete(m.get(), e.at(), "step reported completed");
    }

    private void complete(Milestone m, Instant at, String why) {
      long overdue = m.daysOverdue(at);
      boolean wasGap =
          m.status() == MilestoneStatus.OVERDUE || overdue >= protocol.gapTiers().get(0);
      replace(m.completed(at));
      state =
          copy(
              state.milestones(),
              state.status(),
              0,
              state.providerReviewFlagged(),
              state.done(),
              state.lastReplyAt());
      note(now, "event", why + ": step " + m.key() + " completed");
      if (wasGap)
        note(
            now,
            "decision",
            "care gap on step " + m.key() + " closed after " + overdue + " day(s)");
      // The next step that counts from this one starts now: its due time moves to match.
      var next =
          state.milestones().stream()
              .filter(x -> x.seq() == m.seq() + 1 && !x.status().isClosed())
              .findFirst();
      next.ifPresent(n -> {
        if (n.interval().isPresent()) {
          var due = at.plus(n.interval().get());
          replace(n.withDueAt(due));
          note(now, "decision", "next step " + n.key() + " starts: due " + day(due));
        }
      });
      String nextText =
          state
              .current()
              .map(c -> " Next: " + c.kind().patientWords() + " due " + day(c.dueAt()) + ".")
              .orElse("");
      effects.add(
          new Effect.WriteBackNote(
              "note:completed:" + m.key(),
              m.key(),
              "careloop: " + m.description() + " completed " + day(at) + "." + nextText));
      completeIfAllClosed(at);
    }

    /** The protocol's time is up with the plan still open: it ends as expired. */
    private void expire(Agenda.Item item) {
      state = withStatus(PlanStatus.ENDED);
      note(
          now,
          "decision",
          "expired: still open "
              + protocol.expireAfter().orElseThrow().toDays()
              + " days after the start; follow-up ends");
      effects.add(new Effect.PostToBoard("board:expired", "Plan expired " + day(item.at())));
    }

    void completeIfAllClosed(Instant at) {
      if (state.status() == PlanStatus.ACTIVE && state.current().isEmpty()) {
        state = withStatus(PlanStatus.COMPLETED);
        note(now, "decision", "every step is completed: plan completed, follow-up ends");
        effects.add(new Effect.PostToBoard("board:completed", "Plan completed " + day(at)));
      }
    }

    void missed(PlanEvent.AppointmentMissed e) {
      var m = target(e.appointmentId(), e.milestoneKey());
      if (m.isEmpty() || m.get().status().isClosed()) {
        note(now, "event", describe(e) + ": no open step to attach it to");
        return;
      }
      note(now, "event", describe(e) + " for step " + m.get().key());
      countMiss(m.get(), e.at());
    }

    private void countMiss(Milestone m, Instant at) {
      replace(m.missed(at));
      int misses = state.consecutiveMisses() + 1;
      boolean flag =
          misses >= protocol.providerReviewAfterMisses() && !state.providerReviewFlagged();
      state =
          copy(
              state.milestones(),
              state.status(),
              misses,
              state.providerReviewFlagged() || flag,
              state.done(),
              state.lastReplyAt());
      if (flag) {
        effects.add(
            new Effect.FlagForProviderReview(
                "provider-review:" + m.key() + ":" + m.misses(),
                misses + " consecutive missed steps"));
        note(
            now,
            "decision",
            misses + " consecutive missed steps: patient flagged for provider review");
      }
    }

    void cancelled(PlanEvent.AppointmentCancelled e) {
      var m = target(e.appointmentId(), e.milestoneKey());
      if (m.isEmpty() || m.get().status().isClosed()) {
        note(now, "event", describe(e) + ": no open step to attach it to");
        return;
      }
      if (m.get().appointmentId().filter(id -> !id.equals(e.appointmentId())).isPresent()) {
        note(
            now,
            "event",
            describe(e)
                + ": step "
                + m.get().key()
                + " holds another appointment, nothing changes");
        return;
      }
      replace(m.get().cancelledAppointment(e.at()));
      note(
          now,
          "event",
          describe(e)
              + " for step "
              + m.get().key()
              + "; counts as missed unless rebooked within "
              + protocol.rebookGrace().toMinutes()
              + " min");
    }

    void replied(PlanEvent.ReplyReceived e) {
      state =
          copy(
              state.milestones(),
              state.status(),
              state.consecutiveMisses(),
              state.providerReviewFlagged(),
              state.done(),
              Optional.of(e.at()));
      note(now, "event", describe(e));
      var step = state.current();
      if (e.kind() == PlanEvent.ReplyKind.POSITIVE) {
        if (state.pause().filter(p -> p.until().isEmpty()).isPresent()) {
          note(
              now, "decision", "an earlier reply still awaits a coordinator: messages stay paused");
          return;
        }
        var until = now.plus(protocol.positiveReplyPause());
        state =
            with(
                state.reach(),
                Optional.of(new PlanState.Pause("patient wants to book", now, Optional.of(until))));
        note(now, "decision", "patient wants to book: automated messages paused until " + until);
        protocol
            .onPositiveReply()
            .filter(t -> !isDone("reengaged:" + e.at().toEpochMilli()))
            .ifPresent(t -> {
              done.add("reengaged:" + e.at().toEpochMilli());
              note(now, "decision", "re-engaged: the front desk is asked to book the patient");
              effects.add(
                  new Effect.CreateTask(
                      "task:reengaged:" + e.at().toEpochMilli(),
                      t.lane(),
                      t.priority(),
                      t.title(),
                      "The patient "
                          + (e.channel() == Channel.SMS ? "replied to book" : "clicked to book")
                          + " ("
                          + e.channel()
                          + ")"
                          + step.map(m -> " for the " + m.kind().patientWords()).orElse("")
                          + ". Book them and record the appointment.",
                      now.plus(t.respondWithin()),
                      step.map(Milestone::key).orElse("")));
            });
        return;
      }
      state =
          with(
              state.reach(),
              Optional.of(
                  new PlanState.Pause(
                      "patient reply awaits a coordinator", now, Optional.empty())));
      if (e.kind() == PlanEvent.ReplyKind.WORSE_SYMPTOMS) {
        effects.add(
            new Effect.CreateTask(
                "task:worse:" + e.at().toEpochMilli(),
                Lane.MONITORING,
                Priority.URGENT,
                "Patient reports worse symptoms: call now",
                "Reply by "
                    + e.channel()
                    + ": \""
                    + e.text().orElse("")
                    + "\". The provider was told. Automated messages are paused until you resume"
                    + " them.",
                now.plus(Duration.ofHours(1)),
                step.map(Milestone::key).orElse(""),
                Effect.Escalation.WORSE_SYMPTOMS));
        effects.add(
            new Effect.NotifyProvider(
                "notify:worse:" + e.at().toEpochMilli(),
                step.map(Milestone::key).orElse(""),
                "careloop: the patient reports worse symptoms ("
                    + e.channel()
                    + " reply at "
                    + e.at()
                    + "): \""
                    + e.text().orElse("")
                    + "\". A coordinator was asked to call now."));
        note(
            now,
            "decision",
            "reply reports worse symptoms: urgent call task, provider notified, automated messages"
                + " paused");
        return;
      }
      effects.add(
          new Effect.CreateTask(
              "task:reply:" + e.at().toEpochMilli(),
              step.map(m -> m.kind() == StepKind.REFERRAL ? Lane.REFERRAL : Lane.MONITORING)
                  .orElse(Lane.MONITORING),
              Priority.HIGH,
              "Patient replied: read and answer",
              "Reply by "
                  + e.channel()
                  + ": \""
                  + e.text().orElse("")
                  + "\". Automated messages for this plan are paused until you resume them.",
              now.plus(Duration.ofDays(1)),
              step.map(Milestone::key).orElse("")));
      note(
          now,
          "decision",
          "free-text reply: coordinator task, automated messages paused until a coordinator resumes them");
    }

    void resumed(PlanEvent.SequenceResumed e) {
      if (state.pause().isEmpty()) {
        note(now, "event", describe(e) + ": nothing was paused");
        return;
      }
      state = with(state.reach(), Optional.empty());
      note(now, "event", describe(e));
    }

    void deliveryFailed(PlanEvent.DeliveryFailed e) {
      note(now, "event", describe(e));
      done.add("failed:" + e.effectKey());
      long failures =
          java.util.stream.Stream.concat(state.done().stream(), done.stream())
              .filter(k -> k.startsWith("failed:"))
              .distinct()
              .count();
      if (failures >= REPEATED_FAILURES && !isDone("escalated:failed-contact")) {
        done.add("escalated:failed-contact");
        var m = state.current();
        effects.add(
            new Effect.CreateTask(
                "task:failed-contact",
                Lane.MONITORING,
                Priority.HIGH,
                "Repeated failed contact: reach the patient another way",
                failures
                    + " messages to the patient could not be delivered; the last: "
                    + e.reason()
                    + ". Check the contact details with the patient or their family.",
                now.plus(Duration.ofDays(1)),
                m.map(Milestone::key).orElse(""),
                Effect.Escalation.REPEATED_FAILED_CONTACT));
        note(
            now,
            "decision",
            failures + " failed deliveries: a task for a person, escalated at once");
      }
      String suffix = ":" + e.channel();
      if (!e.effectKey().endsWith(suffix)) {
        note(now, "decision", "not a message careloop knows; nothing resent");
        return;
      }
      String itemKey = e.effectKey().substring(0, e.effectKey().length() - suffix.length());
      if (!isDone(itemKey)) {
        note(now, "decision", "no touchpoint " + itemKey + " was sent; nothing resent");
        return;
      }
      var reached =
          java.util.Arrays.stream(Channel.values())
              .filter(c -> c != e.channel() && isDone(itemKey + ":" + c))
              .toList();
      if (!reached.isEmpty()) {
        note(now, "decision", itemKey + " also went by " + reached + ": nothing resent");
        return;
      }
      if (contact.canUse(e.channel())) {
        note(now, "decision", e.channel() + " is still on file for the patient: nothing resent");
        return;
      }
      var remaining = new TreeSet<>(state.done());
      remaining.remove(itemKey);
      done.remove(itemKey);
      state =
          copy(
              state.milestones(),
              state.status(),
              state.consecutiveMisses(),
              state.providerReviewFlagged(),
              remaining,
              state.lastReplyAt());
      note(now, "decision", itemKey + ": tried again on the patient's other channels");
    }

    void ended(PlanEvent.PlanEnded e) {
      state = withStatus(PlanStatus.ENDED);
      note(now, "event", describe(e) + "; follow-up ends");
    }

    /**
     * A message due while the patient's allowed hours are closed waits for them: a step that came
     * due retroactively (an appointment cancelled) or work caught up after downtime must not text
     * anyone at 3 a.m.
     */
    private boolean deferred(Agenda.Item item) {
      return item.sendsMessage()
          && item.skip().isEmpty()
          && !paused()
          && !openAt().at().equals(now);
    }

    /** The first minute from now every sending rule allows. */
    private SendGate.Open openAt() {
      var open = gate;
      if (open == null) gate = open = SendGate.next(now, protocol, contact, outreach);
      return open;
    }

    private boolean paused() {
      return state.pause().filter(p -> p.holds(now)).isPresent();
    }

    /** Fires every agenda item due by now, earliest first, recomputing after each. */
    void fireDue() {
      if (state.pause().isPresent() && !paused()) {
        note(
            now, "decision", "pause ended (" + state.pause().get().reason() + "): messages resume");
        state = with(state.reach(), Optional.empty());
      }
      while (true) {
        var due =
            Agenda.of(state, protocol).stream()
                .filter(i -> !isDone(i.key()) && !i.at().isAfter(now) && !deferred(i))
                .findFirst();
        if (due.isEmpty()) break;
        var item = due.get();
        done.add(item.key());
        if (item.skip().isPresent()) {
          note(item.at(), "skipped", item.key() + ": " + item.skip().get());
          continue;
        }
        if ((item.sendsMessage() || item.kind() == Agenda.Kind.BETWEEN_STEPS) && paused()) {
          note(
              now,
              "skipped",
              item.key()
                  + ": not sent, automated messages paused ("
                  + state.pause().get().reason()
                  + ")");
          continue;
        }
        fire(item);
      }
      noteDeferrals();
    }

    /** Every message held back says why and until when, once per hold. */
    private void noteDeferrals() {
      var held =
          Agenda.of(state, protocol).stream()
              .filter(i -> !isDone(i.key()) && !i.at().isAfter(now) && deferred(i))
              .toList();
      if (held.isEmpty()) return;
      var open = openAt();
      for (var item : held) {
        String mark = "held:" + item.key() + "@" + open.at().toEpochMilli();
        if (isDone(mark)) continue;
        done.add(mark);
        note(
            now,
            "deferred",
            item.key()
                + ": not sent now, "
                + open.why().orElse("sending rules")
                + "; deferred to "
                + open.at());
      }
    }

    private void fire(Agenda.Item item) {
      var m = state.milestone(item.milestoneKey()).orElseThrow();
      switch (item.kind()) {
        case INTAKE -> {
          var intake = protocol.intake().orElseThrow();
          touch(
              item,
              m,
              intake.channels().stream().sorted().toList(),
              intake.template(),
              "intake: plan confirmed, next step " + m.kind().patientWords());
        }
        case EXPIRE -> expire(item);
        case BETWEEN_STEPS -> {
          var rule = item.touch().orElseThrow();
          var unmet =
              rule.when()
                  .flatMap(w ->
                      w.unmetBy(state.valueCents(), contact.marketingConsent())
                          .or(() ->
                              w.unmetByTiming(Duration.between(state.anchorAt(), m.dueAt()))));
          if (unmet.isPresent()) {
            note(now, "skipped", item.key() + ": not for this plan, " + unmet.get());
            break;
          }
          if (rule.task().isPresent()) {
            var task = rule.task().get();
            note(
                item.at(),
                "decision",
                item.key()
                    + ": "
                    + rule.offsetWords()
                    + " mark without a booking: a task for a person");
            effects.add(
                new Effect.CreateTask(
                    "task:" + item.key(),
                    task.lane(),
                    task.priority(),
                    task.title(),
                    "The "
                        + m.kind().patientWords()
                        + " is still not booked "
                        + rule.after().toHours()
                        + " h after the last progress.",
                    now.plus(task.respondWithin()),
                    m.key()));
            break;
          }
          var template =
              rule.variants().stream()
                  .filter(v ->
                      v.when().unmetBy(state.valueCents(), contact.marketingConsent()).isEmpty())
                  .map(Protocol.Variant::template)
                  .findFirst()
                  .orElse(rule.template().orElseThrow());
          touch(
              item,
              m,
              channelsOf(rule),
              template,
              rule.offsetWords()
                  + " "
                  + template.name().toLowerCase().replace('_', '-')
                  + ": next step still not booked");
        }
        case MISSED_OUTREACH ->
            touch(
                item,
                m,
                List.of(Channel.SMS),
                Effect.Template.MISSED_APPOINTMENT,
                "same-day outreach after a missed appointment");
        case MISSED_NO_REPLY -> missedNoReply(item, m);
        case REBOOK_CHECK -> {
          note(
              item.at(),
              "decision",
              "appointment cancelled and not rebooked within "
                  + protocol.rebookGrace().toMinutes()
                  + " min: counts as missed");
          countMiss(m, item.at());
        }
        case GAP_TIER -> gapTier(item, m);
      }
    }

    private String unusable(Channel channel) {
      return contact.optedOut().contains(channel)
          ? "patient opted out of " + channel
          : "no " + channel + " on file";
    }

    private static List<Channel> channelsOf(Protocol.Touch rule) {
      return rule.channels().stream().sorted().toList();
    }

    private void missedNoReply(Agenda.Item item, Milestone m) {
      Instant missedAt = m.missedAt().orElseThrow();
      if (state.lastReplyAt().filter(r -> !r.isBefore(missedAt)).isPresent()) {
        note(
            item.at(),
            "decision",
            "patient replied after the missed appointment: no coordinator task");
        return;
      }
      String attempts =
          m.lastTouchAt()
              .map(t ->
                  m.automatedTouches()
                      + " automated message(s) for this step, the last on "
                      + day(t))
              .orElse("no message could be sent");
      effects.add(
          new Effect.CreateTask(
              "task:" + item.key(),
              Lane.MISSED_APPOINTMENT,
              Priority.HIGH,
              "Care plan step missed, outreach unsuccessful",
              m.kind().patientWords()
                  + " appointment missed "
                  + day(missedAt)
                  + ". Attempts: "
                  + attempts
                  + ". No reply within "
                  + protocol.missedReplyWindow().toHours()
                  + " h.",
              item.at().plus(Duration.ofDays(1)),
              m.key()));
      note(
          item.at(),
          "decision",
          "no reply within "
              + protocol.missedReplyWindow().toHours()
              + " h after the missed appointment: coordinator task");
    }

    private void gapTier(Agenda.Item item, Milestone m) {
      if (m.status() == MilestoneStatus.PENDING || m.status() == MilestoneStatus.MISSED) {
        replace(m.withStatus(MilestoneStatus.OVERDUE));
        m = state.milestone(m.key()).orElseThrow();
      }
      var tiers = protocol.gapTiers();
      String range =
          item.tier() < tiers.size()
              ? tiers.get(item.tier() - 1) + "–" + (tiers.get(item.tier()) - 1)
              : tiers.get(tiers.size() - 1) + "+";
      note(
          item.at(),
          "decision",
          "care gap on step "
              + m.key()
              + ": tier "
              + item.tier()
              + " ("
              + range
              + " days past due "
              + day(m.dueAt())
              + ")");
      switch (item.tier()) {
        case 1 -> {
          if (m.lastTouchAt().filter(t -> t.isAfter(now.minus(Duration.ofDays(1)))).isPresent()) {
            note(now, "skipped", "care-gap outreach: the patient was messaged in the last 24 h");
          } else {
            touch(
                item,
                m,
                List.of(Channel.SMS),
                Effect.Template.CARE_GAP,
                "second outreach: step past due");
          }
        }
        case 2 ->
            effects.add(
                new Effect.CreateTask(
                    "task:" + item.key(),
                    m.kind() == StepKind.REFERRAL ? Lane.REFERRAL : Lane.MONITORING,
                    Priority.HIGH,
                    "Care gap: " + m.kind().patientWords() + " " + range + " days past due",
                    m.description()
                        + " was due "
                        + day(m.dueAt())
                        + " and is not done. Automated messages so far: "
                        + m.automatedTouches()
                        + ".",
                    now.plus(Duration.ofDays(1)),
                    m.key()));
        case 3 ->
            effects.add(
                new Effect.NotifyProvider(
                    "provider:" + item.key(),
                    m.key(),
                    "Care gap: "
                        + m.description()
                        + " was due "
                        + day(m.dueAt())
                        + " and is not completed ("
                        + range
                        + " days)."));
        default -> note(item.at(), "decision", "patient is on the weekly care-gap report");
      }
    }

    /** A monitoring task for a person, at most once per {@code mark}. */
    private void taskOnce(
        String mark,
        Priority priority,
        String title,
        String detail,
        Duration respondWithin,
        Milestone m) {
      if (isDone(mark)) return;
      done.add(mark);
      effects.add(
          new Effect.CreateTask(
              "task:" + mark,
              Lane.MONITORING,
              priority,
              title,
              detail,
              now.plus(respondWithin),
              m.key()));
    }

    /**
     * Sends on the wanted channels the patient can receive, falling back SMS ⇄ email, and to a
     * phone-call task when neither works. The per-step cap hands the case to a person.
     */
    private void touch(
        Agenda.Item item, Milestone m, List<Channel> wanted, Effect.Template template, String why) {
      if (m.automatedTouches() >= protocol.touchCap()) {
        note(
            now,
            "skipped",
            item.key()
                + ": automated message cap of "
                + protocol.touchCap()
                + " reached for this step");
        taskOnce(
            "cap:" + m.key(),
            Priority.HIGH,
            "Automated outreach exhausted: call the patient",
            protocol.touchCap()
                + " automated messages for the "
                + m.kind().patientWords()
                + " brought no result.",
            Duration.ofDays(1),
            m);
        return;
      }
      if (template.purpose() == Effect.Purpose.MARKETING && !contact.marketingConsent()) {
        note(
            now,
            "skipped",
            item.key()
                + ": not sent, "
                + template.name().toLowerCase()
                + " is marketing and the patient has no marketing consent on file");
        return;
      }
      var reach = state.reach();
      // The patient's own choice of SMS or email comes before the protocol's channel.
      var preferred = reach.preferred().filter(c -> c != Channel.VOICE && contact.canUse(c));
      if (preferred.isPresent() && !wanted.equals(List.of(preferred.get()))) {
        note(
            now,
            "decision",
            item.key() + ": sent by " + preferred.get() + ", the patient's preferred channel");
        wanted = List.of(preferred.get());
      }
      var channels = new TreeSet<Channel>();
      for (var channel : wanted) {
        if (contact.canUse(channel)) {
          channels.add(channel);
        } else {
          var other = channel == Channel.SMS ? Channel.EMAIL : Channel.SMS;
          if (contact.canUse(other)) {
            channels.add(other);
            note(now, "decision", item.key() + ": " + unusable(channel) + ", sent by " + other);
          }
        }
      }
      // A touchpoint tried again after a failed delivery never repeats a channel it reached.
      channels.removeIf(c -> isDone(item.key() + ":" + c));
      var optedOut =
          List.of(Channel.SMS, Channel.EMAIL).stream()
              .filter(c -> reach.has(c) && contact.optedOut().contains(c))
              .toList();
      if (channels.isEmpty() && !optedOut.isEmpty()) {
        note(now, "skipped", item.key() + ": not sent, the patient opted out of " + optedOut);
        taskOnce(
            "optout:" + m.key(),
            Priority.ROUTINE,
            "Patient opted out of automated messages: reach them personally",
            "The patient opted out of "
                + optedOut
                + "; the "
                + m.kind().patientWords()
                + " still needs them.",
            Duration.ofDays(3),
            m);
        return;
      }
      if (channels.isEmpty()) {
        effects.add(
            new Effect.CreateTask(
                "task:call:" + item.key(),
                Lane.MONITORING,
                Priority.ROUTINE,
                "Call the patient: no mobile number or email on file",
                "Automated "
                    + template.name().toLowerCase().replace('_', ' ')
                    + " message could not be sent ("
                    + why
                    + ").",
                now.plus(Duration.ofDays(1)),
                m.key()));
        note(
            now,
            "decision",
            item.key() + ": no mobile number or email on file, phone-call task instead");
        return;
      }
      for (var channel : channels) {
        done.add(item.key() + ":" + channel);
        effects.add(
            new Effect.SendTouchpoint(
                item.key() + ":" + channel, channel, template, m.key(), m.kind()));
      }
      outreach.add(now);
      gate = null;
      outreachKeys.add(item.key());
      replace(m.touched(now));
      if (state.firstMessageAt().isEmpty()) state = state.withFirstMessageAt(now);
      note(
          now,
          "effect",
          template.name().toLowerCase().replace('_', '-') + " message by " + channels + ": " + why);
    }
  }
}
