package org.careloop.app.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.careloop.app.OutboxItem;
import org.careloop.app.Protocols;
import org.careloop.app.Store;
import org.careloop.app.StoredPlan;
import org.careloop.app.TaskRecord;
import org.careloop.core.Contact;
import org.careloop.core.Decision;
import org.careloop.core.Effect;
import org.careloop.core.PlanDecider;
import org.careloop.core.PlanEvent;
import org.careloop.core.PlanOrder;
import org.careloop.core.PlanState;
import org.careloop.core.Protocol;
import org.careloop.core.TimelineEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs decisions: loads a plan, asks the core, and stores state, effects, wake-up and timeline in
 * the caller's transaction, so they commit together or not at all.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private final Protocols protocols;
  private final LaneRules lanes;

  /** An engine with the default coordinator lanes. */
  public Engine(Protocols protocols) {
    this(protocols, LaneRules.defaults());
  }

  public Engine(Protocols protocols, LaneRules lanes) {
    this.protocols = protocols;
    this.lanes = lanes;
  }

  public LaneRules lanes() {
    return lanes;
  }

  public Protocols protocols() {
    return protocols;
  }

  /** Activates a plan; the caller has checked the source key is new. */
  public PlanState activate(
      Store.Tx tx,
      PlanOrder order,
      Protocol protocol,
      String sourceKey,
      Optional<String> provider,
      Instant now) {
    return activate(
        tx,
        order,
        protocol,
        sourceKey,
        provider,
        now,
        new HashMap<>(tx.contacts(List.of(order.patientId()), now)));
  }

  /**
   * Activates a plan with contacts the caller read (and locked) for a whole batch; the map learns
   * the plan's outreach, so the next plan of the same patient sees it.
   */
  public PlanState activate(
      Store.Tx tx,
      PlanOrder order,
      Protocol protocol,
      String sourceKey,
      Optional<String> provider,
      Instant now,
      Map<String, Contact> contacts) {
    return activate(tx, order, protocol, sourceKey, provider, now, contacts, true);
  }

  /**
   * Stores a new plan of a batch without firing its agenda: once the batch's plans are all stored,
   * {@link #fireHeld} fires them together, so plans of one patient's visit see each other and send
   * one intake and one cadence.
   */
  public PlanState activateHeld(
      Store.Tx tx,
      PlanOrder order,
      Protocol protocol,
      String sourceKey,
      Optional<String> provider,
      Instant now,
      Map<String, Contact> contacts) {
    return activate(tx, order, protocol, sourceKey, provider, now, contacts, false);
  }

  /** Fires, at {@code now}, the plans {@link #activateHeld} stored, in plan id order. */
  public void fireHeld(Store.Tx tx, java.util.Collection<String> planIds, Instant now) {
    var plans = new ArrayList<StoredPlan>();
    for (String id : new TreeSet<>(planIds))
      plans.add(tx.lockPlan(id).orElseThrow(() -> new IllegalStateException("no plan " + id)));
    var patients = new TreeSet<String>();
    plans.forEach(p -> patients.add(p.state().patientId()));
    var contacts = new HashMap<>(tx.contacts(patients, now));
    var outreach = new ArrayList<Store.Outreach>();
    for (var p : plans) decideAndStore(tx, p, new PlanEvent.TimerFired(), now, contacts, outreach);
    tx.recordOutreach(outreach);
  }

  private PlanState activate(
      Store.Tx tx,
      PlanOrder order,
      Protocol protocol,
      String sourceKey,
      Optional<String> provider,
      Instant now,
      Map<String, Contact> contacts,
      boolean fire) {
    var contact = contactOrThrow(contacts.get(order.patientId()), order.patientId());
    Decision d =
        fire
            ? PlanDecider.start(order, now, protocol, contact)
            : PlanDecider.open(order, now, protocol, contact);
    tx.insertPlan(new StoredPlan(d.state(), 0, d.nextWakeupAt()), sourceKey, provider, now);
    var outreach = new ArrayList<Store.Outreach>();
    record(tx, d, now, outreach, contact);
    tx.recordOutreach(outreach);
    learn(contacts, contact, d, now);
    return d.state();
  }

  /** Applies one event to a stored plan, locking it for the rest of the transaction. */
  public PlanState apply(Store.Tx tx, String planId, PlanEvent event, Instant now) {
    var stored =
        tx.lockPlan(planId).orElseThrow(() -> new IllegalStateException("no plan " + planId));
    String patientId = stored.state().patientId();
    var contacts = new HashMap<>(tx.contacts(List.of(patientId), now));
    var outreach = new ArrayList<Store.Outreach>();
    var state = decideAndStore(tx, stored, event, now, contacts, outreach);
    tx.recordOutreach(outreach);
    return state;
  }

  /** The patient's contact, on the practice's working week (the lanes' business hours). */
  private Contact contactOrThrow(@Nullable Contact contact, String patientId) {
    if (contact == null) throw new IllegalStateException("no patient " + patientId);
    var hours = lanes.hours();
    return new Contact(
        contact.reach(),
        contact.optedOut(),
        contact.recentOutreach(),
        contact.marketingConsent(),
        contact.rules().withBusinessHours(hours.days(), hours.close()),
        contact.activePlans());
  }

  /** Fires the wake-ups of up to {@code limit} due plans in one transaction; returns how many. */
  public int fireDue(Store store, Instant now, int limit) {
    try {
      return store.inTransaction(tx -> fire(tx, now, limit, false));
    } catch (RuntimeException batchFailed) {
      // One plan's failure must not hold back the rest of its batch: run the batch again with
      // each plan isolated. Failures are rare, so the fast path stays without savepoints.
      return store.inTransaction(tx -> fire(tx, now, limit, true));
    }
  }

  /** How long a plan whose wake-up failed waits before it is tried again. */
  public static final Duration FAILED_WAKEUP_RETRY = Duration.ofMinutes(5);

  private int fire(Store.Tx tx, Instant now, int limit, boolean isolateEach) {
    var due = tx.claimDuePlans(now, limit);
    // One read (and lock) of every patient in the batch; plans of one patient then see each
    // other's outreach through the map.
    var patients = new TreeSet<String>();
    for (var claimed : due) {
      try {
        patients.add(claimed.load().state().patientId());
      } catch (RuntimeException unreadable) {
        if (!isolateEach) throw unreadable;
      }
    }
    var contacts = new HashMap<>(tx.contacts(patients, now));
    var outreach = new ArrayList<Store.Outreach>();
    for (var claimed : due) {
      if (!isolateEach) {
        decideAndStore(tx, claimed.load(), new PlanEvent.TimerFired(), now, contacts, outreach);
        continue;
      }
      try {
        tx.isolated(() -> {
          var own = new ArrayList<Store.Outreach>();
          decideAndStore(tx, claimed.load(), new PlanEvent.TimerFired(), now, contacts, own);
          tx.recordOutreach(own);
        });
      } catch (RuntimeException e) {
        Instant retry = now.plus(FAILED_WAKEUP_RETRY);
        tx.deferPlan(claimed.planId(), retry);
        tx.appendTimeline(
            claimed.planId(),
            List.of(
                new TimelineEntry(
                    now,
                    "error",
                    "wake-up failed ("
                        + e.getClass().getSimpleName()
                        + "); retrying at "
                        + retry)));
        // The class only: a message could quote stored patient data.
        log.warn(
            "plan {} wake-up failed ({}); retrying at {}",
            claimed.planId(),
            e.getClass().getName(),
            retry);
      }
    }
    tx.recordOutreach(outreach);
    return due.size();
  }

  private PlanState decideAndStore(
      Store.Tx tx,
      StoredPlan stored,
      PlanEvent event,
      Instant now,
      Map<String, Contact> contacts,
      List<Store.Outreach> outreach) {
    var state = stored.state();
    var contact = contactOrThrow(contacts.get(state.patientId()), state.patientId());
    Decision d = PlanDecider.decide(state, event, now, protocols.of(state), contact);
    tx.updatePlan(new StoredPlan(d.state(), stored.version() + 1, d.nextWakeupAt()), now);
    record(tx, d, now, outreach, contact);
    CaseLifecycle.follow(tx, state, d.state(), now);
    learn(contacts, contact, d, now);
    return d.state();
  }

  /** The patient's contact, as the next decision in this transaction must see it. */
  static void learn(Map<String, Contact> contacts, Contact contact, Decision d, Instant now) {
    var known = contact.withPlan(d.state());
    if (d.outreach().isEmpty()) {
      if (!contact.activePlans().isEmpty()) contacts.put(d.state().patientId(), known);
      return;
    }
    var sent = new ArrayList<>(contact.recentOutreach());
    for (int i = 0; i < d.outreach().size(); i++) sent.add(now);
    contacts.put(
        d.state().patientId(),
        new Contact(
            contact.reach(),
            contact.optedOut(),
            sent,
            contact.marketingConsent(),
            contact.rules(),
            known.activePlans()));
  }

  /**
   * The outbox's step kinds: the message's own, then the other steps of the visit it names, e.g.
   * {@code LAB,REFERRAL}.
   */
  static String stepKinds(Effect.SendTouchpoint t) {
    var names = new ArrayList<String>();
    names.add(t.stepKind().name());
    t.alsoNamed().forEach(k -> names.add(k.name()));
    return String.join(",", names);
  }

  private void record(
      Store.Tx tx, Decision d, Instant now, List<Store.Outreach> outreachLog, Contact contact) {
    var state = d.state();
    String planId = state.planId();
    String patientId = state.patientId();
    for (String key : d.outreach())
      outreachLog.add(new Store.Outreach(patientId, planId, key, now));
    var outbox = new ArrayList<OutboxItem>();
    var tasks = new ArrayList<TaskRecord>();
    var board = new ArrayList<String>();
    for (Effect effect : d.effects()) {
      String key = planId + ":" + effect.key();
      switch (effect) {
        case Effect.SendTouchpoint t ->
            outbox.add(
                item(
                    key,
                    planId,
                    patientId,
                    OutboxItem.Kind.MESSAGE,
                    Optional.of(t.channel().name()),
                    Optional.of(t.template().name()),
                    Optional.of(stepKinds(t)),
                    Optional.empty(),
                    now));
        case Effect.NotifyProvider n ->
            outbox.add(
                item(
                    key,
                    planId,
                    patientId,
                    OutboxItem.Kind.EHR_INBOX,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(n.message()),
                    now));
        case Effect.WriteBackNote n ->
            outbox.add(
                item(
                    key,
                    planId,
                    patientId,
                    OutboxItem.Kind.EHR_NOTE,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(n.note()),
                    now));
        case Effect.CreateTask t ->
            tasks.add(
                new TaskRecord(
                    key,
                    planId,
                    patientId,
                    t.lane().name(),
                    t.priority().name(),
                    t.title(),
                    t.detail(),
                    t.respondBy(),
                    now,
                    "OPEN",
                    Optional.of(t.milestoneKey()),
                    "",
                    "",
                    switch (t.escalateNow()) {
                      case NONE -> Optional.empty();
                      case WORSE_SYMPTOMS -> Optional.of(lanes.worseSymptomsTo());
                      case REPEATED_FAILED_CONTACT ->
                          Optional.of(lanes.rule(t.lane()).escalateTo());
                    },
                    Optional.of(t.need().name())));
        case Effect.FlagForProviderReview f ->
            tasks.add(
                new TaskRecord(
                    key,
                    planId,
                    patientId,
                    "PROVIDER_REVIEW",
                    "HIGH",
                    "Provider review: " + f.reason(),
                    f.reason() + ". Decide the next step for this plan.",
                    now.plus(Duration.ofDays(1)),
                    now,
                    "OPEN",
                    Optional.empty(),
                    "",
                    "",
                    Optional.empty(),
                    Optional.of(Effect.Need.PROVIDER_REVIEW.name())));
        case Effect.PostToBoard b -> board.add(b.summary());
      }
    }
    tx.appendTimeline(planId, d.timeline());
    if (!outbox.isEmpty()) tx.enqueue(outbox);
    if (!tasks.isEmpty())
      CaseLifecycle.open(
          tx,
          planId,
          tasks.stream()
              .map(t -> lanes.shape(t, contact.rules().zone(), contact.rules().holidays()))
              .toList(),
          now);
    if (!board.isEmpty()) tx.insertBoardEntries(planId, board, now);
  }

  private static OutboxItem item(
      String key,
      String planId,
      String patientId,
      OutboxItem.Kind kind,
      Optional<String> channel,
      Optional<String> template,
      Optional<String> stepKind,
      Optional<String> text,
      Instant now) {
    return new OutboxItem(
        0,
        key,
        Optional.of(planId),
        Optional.of(patientId),
        kind,
        channel,
        template,
        stepKind,
        text,
        OutboxItem.Status.PENDING,
        0,
        now,
        now,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** For callers that build events from many sources: apply each in order. */
  public void applyAll(Store.Tx tx, String planId, List<PlanEvent> events, Instant now) {
    for (var e : events) apply(tx, planId, e, now);
  }
}
