package org.careloop.app;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.careloop.app.messaging.Links;
import org.careloop.core.Channel;
import org.careloop.core.Contact;
import org.careloop.core.TimelineEntry;
import org.jspecify.annotations.Nullable;

/**
 * The engine's persistent state. Every use case runs inside one {@link Tx}, which is the sum of
 * ports named for what they store ({@link Plans}, {@link Patients}, {@link Outbox}, {@link
 * OptOutLedger}, {@link Tasks}, …); a helper that needs only some of them takes just those.
 */
public interface Store {

  /** Runs {@code work} in one transaction: all of it commits, or none of it. */
  <T extends @Nullable Object> T inTransaction(Function<Tx, T> work);

  /** One automated outreach (one agenda item's touchpoint, on one or more channels). */
  record Outreach(String patientId, String planId, String itemKey, Instant at) {}

  /** A plan locked for its wake-up. */
  interface Claimed {
    String planId();

    /** Decodes the stored plan; throws when it cannot be read. */
    StoredPlan load();
  }

  /** A task past its response window. */
  record OverdueTask(
      long id, String planId, String lane, String priority, String title, Instant respondBy) {}

  /**
   * The practices: their settings, the program each chose per event, the numbers they send from.
   */
  interface Practices {
    Practice practice(String practiceId);

    /** Every practice's id. */
    List<String> practiceIds();

    /** The protocol the practice chose for an event, if it chose one. */
    Optional<String> practiceProtocol(String practiceId, String event);

    /**
     * The practices a patient reaches by texting {@code to} (a number) or {@code service} (a
     * Messaging Service SID): those that send from it, else those on careloop's default sender.
     */
    List<String> practicesSendingFrom(String to, Optional<String> service);
  }

  /** The patients: upserted by source key, their contact points as the rules see them. */
  interface Patients {
    /** Inserts or updates a patient by source key; returns careloop's patient id. */
    String upsertPatient(PatientRecord patient);

    Optional<PatientRecord> patient(String patientId);

    /** The practice's patient with this source key; another practice's is never found. */
    Optional<String> patientIdBySource(String practiceId, String sourceKey);

    /** The number or address proved unusable: the patient's reach no longer includes it. */
    void markContactPointDead(String patientId, Channel channel, String reason, Instant at);

    /**
     * What the core needs to know of these patients to decide (contact points that work, opt-outs,
     * the last 7 days of automated outreach, consent, the practice's rules), locking the patients
     * until the transaction ends. Locks are taken in id order, so two engines deciding for the same
     * patients never deadlock.
     */
    Map<String, Contact> contacts(Collection<String> patientIds, Instant now);
  }

  /** The plans: their state, wake-ups, timeline and board. */
  interface Plans {
    /** The practice's plan with this source key; another practice's is never found. */
    Optional<String> planIdBySource(String practiceId, String sourceKey);

    /** The plan, locked for update until the transaction ends. */
    Optional<StoredPlan> lockPlan(String planId);

    /** The ids of the practice's plans. */
    java.util.Set<String> planIdsOfPractice(String practiceId);

    /** The newest active plan of a patient, if any. */
    default Optional<String> activePlanOfPatient(String patientId) {
      return activePlansOfPatient(patientId).stream().findFirst();
    }

    /** The patient's active plans, newest first. */
    List<String> activePlansOfPatient(String patientId);

    /** A priced plan's value (a dental treatment plan's total), read without locking. */
    Optional<Long> planValueCents(String planId);

    /** Plans with a wake-up due by {@code until}, read without locking (for a preview). */
    List<StoredPlan> plansWakingBy(Instant until);

    /**
     * Locks up to {@code limit} plans whose wake-up is due, skipping plans others hold. A plan that
     * cannot be decoded is still claimed; its {@link Claimed#load()} throws, so it fails alone.
     */
    List<Claimed> claimDuePlans(Instant now, int limit);

    /** Moves a plan's wake-up without touching its state (after a failed wake-up). */
    void deferPlan(String planId, Instant until);

    void insertPlan(StoredPlan plan, String sourceKey, Optional<String> provider, Instant now);

    /**
     * Stores the plan's new state and wake-up.
     *
     * @throws IllegalStateException when the stored version is not {@code plan.version() - 1}
     */
    void updatePlan(StoredPlan plan, Instant now);

    void appendTimeline(String planId, List<TimelineEntry> entries);

    void insertBoardEntries(String planId, List<String> summaries, Instant at);

    /** The plan whose message on {@code channel} most recently went to one of these patients. */
    Optional<String> lastPlanMessaged(List<String> patientIds, Channel channel);
  }

  /** The coordinator tasks. */
  interface Tasks {
    void insertTasks(List<TaskRecord> tasks);

    /** Open tasks past their response window and not yet escalated, locked for this transaction. */
    List<OverdueTask> overdueTasks(Instant now, int limit);

    /** Marks a task escalated: to whom, why, when. */
    void escalateTask(long taskId, String to, String reason, Instant at);

    /** An open task with a need, as the case lifecycle sees it. */
    record OpenCase(
        long id, Optional<String> milestoneKey, String need, String priority, Instant respondBy) {}

    /** The plan's open tasks that have a need, locked for this transaction. */
    List<OpenCase> openCasesOfPlan(String planId);

    /** A newer fact about an open case: its words, priority and respond-by change. */
    void refreshCase(long taskId, String title, String detail, String priority, Instant respondBy);

    /**
     * A case as its copy in the EHR shows it: what it asks, of which role, by when, and whether it
     * is still open.
     *
     * @param key the case's own key (its task's idempotency key)
     * @param closeReason why it closed, when it did
     */
    record CaseState(
        long id,
        String key,
        String practiceId,
        String planId,
        String patientId,
        String lane,
        String priority,
        String title,
        String detail,
        String ownerRole,
        Instant createdAt,
        Instant respondBy,
        Optional<Instant> closedAt,
        Optional<String> closeReason) {
      public boolean open() {
        return closedAt.isEmpty();
      }
    }

    /** The case of this key. */
    Optional<CaseState> caseState(String key);

    /** The case of this id. */
    Optional<CaseState> caseState(long taskId);
  }

  /** Appointments by the source's key, and the step each serves. */
  interface Appointments {
    Optional<AppointmentRef> appointment(String practiceId, String sourceKey);

    void saveAppointment(String practiceId, AppointmentRef ref);

    /**
     * The step of a plan an order (a ServiceRequest a CarePlan's activity points at) stands for.
     */
    record OrderStep(String planId, String stepKey) {}

    /** The step the order with this source key stands for, in the practice. */
    Optional<OrderStep> stepOfOrder(String practiceId, String orderSourceKey);

    /** Records which step of the plan each order (by source key) stands for. */
    void linkOrders(String practiceId, String planId, java.util.Map<String, String> stepByOrder);
  }

  /** The outbox: each message and write-back, sent once, with its delivery reports. */
  interface Outbox {
    void enqueue(List<OutboxItem> items);

    /** Locks up to {@code limit} pending outbox items due by {@code now}, skipping held ones. */
    List<OutboxItem> claimDueOutbox(Instant now, int limit);

    /**
     * Marks a claimed item as being handed to its channel, at {@code attemptAt} by the wall clock;
     * committed before the channel is called.
     */
    void markSending(long outboxId, Instant attemptAt);

    /** An item left SENDING, and when its attempt began (wall clock). */
    record Sending(OutboxItem item, Instant attemptedAt) {}

    /** Items left SENDING since before {@code before} (a crash mid-send), locked, oldest first. */
    List<Sending> staleSending(Instant before, int limit);

    /** The send-time re-check stopped the item for good. */
    void markWithheld(long outboxId, String reason);

    /** Puts an item back to wait until {@code at} without counting an attempt. */
    void markPending(long outboxId, Instant at, Optional<String> why);

    /** Marks an item sent, with the channel's id for it when it gave one. */
    void markSent(long outboxId, Instant at, Optional<String> providerId);

    Optional<OutboxItem> outboxByProviderId(String providerId);

    /** Whether an item of this key is in the outbox already. */
    boolean queued(String idempotencyKey);

    /** Records the channel's latest delivery report (queued, sent, delivered, failed…). */
    void recordDeliveryStatus(long outboxId, String status, Optional<String> errorCode);

    void markRetry(long outboxId, int attempts, Instant nextAttemptAt, String error);

    void markDead(long outboxId, int attempts, String error);
  }

  /** The opt-out ledger: contact points by keyed hash, opted out of or back into a channel. */
  interface OptOutLedger {
    /**
     * The key a contact point is known by in the opt-out ledger: a keyed hash of the normalised
     * number or address, never the value itself.
     */
    String addressKey(Channel channel, String address);

    /** The ledger key of a patient's current contact point on {@code channel}. */
    Optional<String> patientAddressKey(String patientId, Channel channel);

    /** The patients whose contact point on {@code channel} has this key. */
    List<String> patientsByAddressKey(Channel channel, String addressKey);

    /**
     * Opts a contact point out of (or back into) a channel, keeping the change in the ledger's
     * history.
     *
     * @return whether anything changed
     */
    boolean setOptOut(
        Channel channel, String addressKey, boolean optedOut, String source, Instant at);

    boolean optedOut(Channel channel, String addressKey);
  }

  /** Tracked links and signed tokens. */
  interface Links {
    /**
     * A short code that redirects to {@code target} and records clicks for this message; the same
     * message always gets the same code.
     */
    String trackedLink(
        String outboxKey, Optional<String> planId, String purpose, String target, Instant now);

    /**
     * {@code data} with a signature appended: a token careloop can later trust (see {@link
     * #verifiedToken}).
     */
    String signedToken(String data);

    /** The data of a token {@link #signedToken} made, when its signature holds. */
    Optional<String> verifiedToken(String token);

    /**
     * Records a click on a tracked link.
     *
     * @return the link, or empty when the code is unknown
     */
    Optional<TrackedLink> clickLink(String code, boolean pixel, Instant at);
  }

  /**
   * What comes back from patients and channels: their messages and bounce reports, each stored
   * once.
   */
  interface Inbox {
    /**
     * Records a bounce report once.
     *
     * @return false when the report was recorded before
     */
    boolean recordBounce(String reportId, Optional<Long> outboxId, String status, Instant at);

    /**
     * Stores a message from a patient (body encrypted).
     *
     * @return false when a message with this provider id was stored before (a repeated webhook)
     */
    boolean recordInbound(InboundMessage message);
  }

  /** Automated outreach per patient, against the frequency caps. */
  interface OutreachLog {
    /** Records automated outreaches against the patients' caps. */
    void recordOutreach(List<Outreach> outreach);

    /** Removes an outreach that never reached the patient from the caps. */
    void forgetOutreach(String planId, String itemKey);

    /**
     * When automated outreaches actually went to the patient since {@code since}, from any plan:
     * one time per outreach (a text and its email twin are one), leaving out {@code except} (the
     * idempotency key of the message being sent, without its channel). A message another dispatcher
     * has claimed and is sending ({@code SENDING}) counts as sent at {@code now}: it is on its way,
     * and two engines must not both let a capped message go because neither has finished yet.
     */
    List<Instant> sentOutreach(String patientId, String except, Instant since, Instant now);

    /**
     * When people's one-off messages to the patient were queued since {@code since}, from any plan
     * and any person, leaving out those that failed for good or were held back.
     */
    List<Instant> personMessages(String patientId, Instant since);
  }

  /** The audit trail: who did what with which data, each event chained to the one before. */
  interface Audit {
    void audit(
        String actor,
        @Nullable String practiceId,
        String action,
        String subject,
        @Nullable String detail,
        Instant at);

    /** The newest {@code limit} events, newest first. */
    List<AuditEvent> auditTrail(int limit);
  }

  /** One open transaction, holding every port. */
  interface Tx
      extends Practices,
          Patients,
          Plans,
          Tasks,
          Appointments,
          Outbox,
          OptOutLedger,
          Links,
          Inbox,
          OutreachLog,
          Audit,
          Cases,
          People,
          Settings,
          CareGapReports,
          EhrConnections,
          EhrEvents,
          SigningKeys {
    /** Runs {@code work} so that when it throws, only its own changes are undone (a savepoint). */
    void isolated(Runnable work);

    /**
     * For the rest of this transaction, plans each statement for its own values: a bulk import that
     * fills a table it keeps looking up must not run on a plan made while the table was empty.
     */
    void planEachStatement();

    /**
     * Erases message bodies (sent messages, sandbox copies, patients' texts) older than {@code
     * before}, keeping who, when, which channel and what came of it.
     *
     * @return how many bodies were erased
     */
    int purgeBodies(Instant before, Instant now);

    /** The earliest plan wake-up or outbox retry, for the simulated clock. */
    Optional<Instant> earliestDue();
  }
}
