package org.careloop.core;

import java.time.Instant;
import java.util.List;

/**
 * Something the engine must do because of a decision. Effects are commands; the application stores
 * them in the same transaction as the state and carries them out afterwards.
 *
 * <p>{@link #key()} is unique within the plan; with the plan id it is the idempotency key.
 */
public sealed interface Effect {

  /** Unique within the plan: the same effect is never produced twice. */
  String key();

  /** Why a message is sent; marketing needs the patient's recorded consent. */
  enum Purpose {
    CARE,
    APPOINTMENT,
    BILLING,
    MARKETING
  }

  /**
   * Which template a touchpoint renders, by name, and its declared purpose. The wording lives with
   * the application; protocols name templates.
   */
  record Template(String name, Purpose purpose) {
    /** Confirms the plan and the step the patient owns next. */
    public static final Template INTAKE = new Template("INTAKE", Purpose.CARE);

    /** A check-in between steps. */
    public static final Template CHECK_IN = new Template("CHECK_IN", Purpose.CARE);

    /** The reminder well after the last step when the next is still not booked. */
    public static final Template REMINDER = new Template("REMINDER", Purpose.APPOINTMENT);

    /** Sent the day an appointment is missed: booking link or the practice's phone. */
    public static final Template MISSED_APPOINTMENT =
        new Template("MISSED_APPOINTMENT", Purpose.APPOINTMENT);

    /** After a cancellation not rebooked: no "we missed you" to a patient who called to cancel. */
    public static final Template CANCELLED_REBOOK =
        new Template("CANCELLED_REBOOK", Purpose.APPOINTMENT);

    /** The second automated outreach once a step is past due. */
    public static final Template CARE_GAP = new Template("CARE_GAP", Purpose.CARE);

    /** A financing offer for a treatment the patient has not accepted. */
    public static final Template FINANCING_OFFER =
        new Template("FINANCING_OFFER", Purpose.MARKETING);

    public Template {
      if (!name.matches("[A-Z][A-Z0-9_]*"))
        throw new IllegalArgumentException(
            "a template name is upper case letters, digits and _, got '" + name + "'");
    }
  }

  /** Why a task is escalated the moment it is made. */
  enum Escalation {
    NONE,
    /** The patient reports worse symptoms. */
    WORSE_SYMPTOMS,
    /** Messages to the patient failed again and again. */
    REPEATED_FAILED_CONTACT
  }

  /**
   * Send one message to the patient.
   *
   * @param alsoNamed the next steps of the patient's other plans of the same visit that the message
   *     names beside its own ({@link Cadence})
   */
  record SendTouchpoint(
      String key,
      Channel channel,
      Template template,
      String milestoneKey,
      StepKind stepKind,
      List<StepKind> alsoNamed)
      implements Effect {

    public SendTouchpoint {
      alsoNamed = List.copyOf(alsoNamed);
    }

    /** A message about its own step only. */
    public SendTouchpoint(
        String key, Channel channel, Template template, String milestoneKey, StepKind stepKind) {
      this(key, channel, template, milestoneKey, stepKind, List.of());
    }
  }

  /**
   * What a task is for. A plan has at most one open task per (step, need): a newer fact about the
   * same need updates the open one; the need's own end (the step booked or done, the plan ended)
   * resolves it.
   */
  enum Need {
    /** A flagged plan started: a person reviews it and reaches the patient. */
    FLAGGED_START,
    /** The patient asked to book: the front desk books them. */
    BOOKING_REQUEST,
    /** The patient reports worse symptoms: a call now. Never resolved by the plan's progress. */
    WORSE_SYMPTOMS,
    /** The patient wrote free text: a person reads and answers. */
    REPLY,
    /** An appointment was missed and the outreach after it brought nothing. */
    MISSED_APPOINTMENT,
    /** Messages cannot do it (cap reached, opted out, no mobile or email): call the patient. */
    CALL_PATIENT,
    /** The step is still not booked (a between-steps call, each care-gap tier). */
    NOT_BOOKED,
    /** Messages keep failing: the contact details need checking. */
    FAILED_CONTACT,
    /** A booked visit's time passed and no outcome came: a person confirms whether it was kept. */
    CONFIRM_OUTCOME,
    /** The provider decides the plan's next step. */
    PROVIDER_REVIEW;

    /** Whether the step being booked or done ends the need. */
    public boolean endsWhenBooked() {
      return switch (this) {
        case BOOKING_REQUEST, MISSED_APPOINTMENT, CALL_PATIENT, NOT_BOOKED -> true;
        case FLAGGED_START,
            WORSE_SYMPTOMS,
            REPLY,
            FAILED_CONTACT,
            CONFIRM_OUTCOME,
            PROVIDER_REVIEW ->
            false;
      };
    }

    /** Whether the visit's outcome becoming known (kept, missed, cancelled) ends the need. */
    public boolean endsWithTheOutcome() {
      return this == CONFIRM_OUTCOME;
    }

    /** Whether the plan ending ends the need: all but worse symptoms, which a person must hear. */
    public boolean endsWithThePlan() {
      return this != WORSE_SYMPTOMS;
    }
  }

  /**
   * Put work on a person's list.
   *
   * @param need what it is for: one open task per (plan, step, need)
   * @param escalateNow why the task goes up at once rather than when its window passes
   */
  record CreateTask(
      String key,
      Need need,
      Lane lane,
      Priority priority,
      String title,
      String detail,
      Instant respondBy,
      String milestoneKey,
      Escalation escalateNow)
      implements Effect {

    /** A task escalated only if its window passes. */
    public CreateTask(
        String key,
        Need need,
        Lane lane,
        Priority priority,
        String title,
        String detail,
        Instant respondBy,
        String milestoneKey) {
      this(key, need, lane, priority, title, detail, respondBy, milestoneKey, Escalation.NONE);
    }
  }

  /** A message into the provider's EHR inbox. */
  record NotifyProvider(String key, String milestoneKey, String message) implements Effect {}

  /** A short note written back to the EHR. */
  record WriteBackNote(String key, String milestoneKey, String note) implements Effect {}

  /** An entry on the coordinators' board of plans. */
  record PostToBoard(String key, String summary) implements Effect {}

  /** Put the patient on the provider review queue. */
  record FlagForProviderReview(String key, String reason) implements Effect {}
}
