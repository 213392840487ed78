package org.careloop.app.casework;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.app.CaseNote;
import org.careloop.app.Person;
import org.careloop.app.Reads;
import org.careloop.app.Store;
import org.careloop.app.WorkItem;
import org.careloop.app.engine.Engine;
import org.careloop.core.Lane;
import org.careloop.core.Protocol;

/**
 * The coordinator workspace: the practice's open cases ranked for work, one case with its plan and
 * history, the provider's review queue, and what a person does on a case (see {@link Casework}).
 * Everything is scoped to the practice of the person asking; a case of another practice does not
 * exist for them. Every view of patient data writes an audit event.
 */
public final class Workspace {
  private final Store store;
  private final Reads reads;
  private final Engine engine;
  private final Casework casework;
  private final ProviderDecisions decisions;
  private final OneOffMessages messages;

  public Workspace(Store store, Reads reads, Engine engine) {
    this.store = store;
    this.reads = reads;
    this.engine = engine;
    this.casework = new Casework(store, engine);
    this.decisions = new ProviderDecisions(store, engine);
    this.messages = new OneOffMessages(store, engine);
  }

  /** The person as the use cases see them. */
  public static Casework.Actor actor(Person p) {
    return new Casework.Actor(p.id(), p.username(), p.practiceId(), p.displayName(), p.role());
  }

  /** The ids of the practice's plans. */
  public Set<String> planIds(String practiceId) {
    return store.inTransaction(tx -> tx.planIdsOfPractice(practiceId));
  }

  /** See {@link Casework#recordBooking}. */
  public void recordBooking(Person by, long taskId, Instant start, Instant now) {
    casework.recordBooking(actor(by), taskId, start, now);
  }

  /** See {@link OneOffMessages#sendMessage}. */
  public void sendMessage(Person by, long taskId, String channel, String template, Instant now) {
    messages.sendMessage(actor(by), taskId, channel, template, now);
  }

  /** See {@link OneOffMessages#sendOwnWords}. */
  public void sendOwnWords(Person by, long taskId, String channel, String text, Instant now) {
    messages.sendOwnWords(actor(by), taskId, channel, text, now);
  }

  /** See {@link Casework#escalate}. */
  public void escalate(Person by, long taskId, String to, String why, Instant now) {
    casework.escalate(actor(by), taskId, to, why, now);
  }

  /** See {@link Casework#assign}. */
  public void assign(
      Person by, long taskId, String ownerUsername, Optional<String> backupUsername, Instant now) {
    casework.assign(actor(by), taskId, ownerUsername, backupUsername, now);
  }

  /** See {@link Casework#assignAll}. */
  public int assignAll(Person by, List<Long> taskIds, String ownerUsername, Instant now) {
    return casework.assignAll(actor(by), taskIds, ownerUsername, now);
  }

  /** See {@link ProviderDecisions#record}. */
  public void decide(Person by, long taskId, String decision, Optional<String> note, Instant now) {
    decisions.record(actor(by), taskId, decision, note, now);
  }

  /** See {@link Casework#document}. */
  public void document(
      Person by, long taskId, CaseNote note, Optional<String> closeReason, Instant now) {
    casework.document(actor(by), taskId, note, closeReason, now);
  }

  /**
   * A provider takes up a plan from the care-gap part of the queue: it becomes a review case (one
   * open at a time per plan) for their decision.
   *
   * @return the case's id
   */
  public long reviewGap(Person by, String planId, Instant now) {
    return casework.reviewGap(actor(by), planId, now);
  }

  /** The practice's open cases, ranked by priority tier, then respond-by time. */
  public List<WorkItem> worklist(String practiceId, WorkItem.Filter f, Instant now) {
    return store.inTransaction(tx -> tx.worklist(practiceId, f, now));
  }

  /**
   * The provider review queue: review cases and cases escalated to a provider, and the plans whose
   * care gap is in the tier where their own protocol version tells the provider.
   */
  public record Review(List<WorkItem> cases, List<Reads.GapRow> gaps) {}

  public Review reviewQueue(Person by, Instant now) {
    var cases =
        worklist(by.practiceId(), WorkItem.Filter.NONE, now).stream()
            .filter(i ->
                // A decision that sent the case to the coordinators took it off the queue.
                (i.lane().equals(Lane.PROVIDER_REVIEW.name())
                        && i.escalatedTo().filter(ProviderDecisions.STAFF_ROLE::equals).isEmpty())
                    || i.escalatedTo().filter("provider"::equals).isPresent())
            .toList();
    var protocols = engine.protocols();
    var gaps =
        reads.careGaps(now, protocols::of, Optional.of(by.practiceId())).stream()
            .filter(g ->
                protocols.version(g.protocolId(), g.protocolVersion()).gapAction(g.tier())
                    instanceof Protocol.GapAction.NotifyProvider)
            .toList();
    audit(by, "review.view", cases.size() + " case(s), " + gaps.size() + " gap(s)", now);
    return new Review(cases, gaps);
  }

  /** A case as a person opens it. */
  public record Case(
      long taskId,
      String status,
      String lane,
      String priority,
      String title,
      String detail,
      Instant respondBy,
      Optional<String> owner,
      Optional<String> closeReason,
      Reads.PlanView plan,
      List<CaseNote> notes,
      PatientCard patient,
      Optional<org.careloop.app.Cases.Escalation> escalation,
      List<org.careloop.app.Cases.TextLine> texts) {

    /** The timeline, newest first. */
    public List<Reads.TimelineRow> timelineNewestFirst() {
      return plan.timeline().reversed();
    }

    /** The timeline, newest first, in a coordinator's words. */
    public List<TimelineWords.Line> timelineInWords() {
      return timelineNewestFirst().stream().map(TimelineWords::of).toList();
    }
  }

  /**
   * A case of the practice, audited as viewed by {@code user}; empty for a case of another practice
   * (and that attempt is audited too).
   */
  public Optional<Case> open(Person user, long taskId, Instant now) {
    record Opened(
        org.careloop.app.Cases.CaseFile file,
        List<CaseNote> notes,
        PatientCard card,
        List<org.careloop.app.Cases.TextLine> texts) {}
    var found =
        store.inTransaction(tx -> {
          var file = tx.caseOfPractice(user.practiceId(), taskId);
          tx.audit(
              user.username(),
              user.practiceId(),
              file.isPresent() ? "case.view" : "case.view.refused",
              "task " + taskId,
              null,
              now);
          // The patient's card in the same read as the case.
          return file.map(f ->
              new Opened(
                  f,
                  tx.caseNotes(user.practiceId(), taskId),
                  PatientCard.of(tx, f.patientId()).orElseThrow(),
                  tx.textThread(user.practiceId(), f.patientId())));
        });
    return found.map(o -> {
      var f = o.file();
      return new Case(
          taskId,
          f.status(),
          f.lane(),
          f.priority(),
          f.title(),
          f.detail(),
          f.respondBy(),
          f.owner(),
          f.closeReason(),
          reads.plan(f.planId()).orElseThrow(),
          o.notes(),
          o.card(),
          f.escalation(),
          o.texts());
    });
  }

  private void audit(Person by, String action, String subject, Instant now) {
    store.inTransaction(tx -> {
      tx.audit(by.username(), by.practiceId(), action, subject, null, now);
      return null;
    });
  }
}
