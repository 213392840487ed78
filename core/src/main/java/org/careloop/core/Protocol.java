package org.careloop.core;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The declared cadence of a follow-up program. A running plan keeps the protocol version it started
 * with.
 *
 * @param betweenSteps check-ins counted in days from the last completed step (or the plan's start),
 *     sent only while the next step is still ahead and not booked
 * @param defaultStepInterval due interval of a step the source gave no timing for
 * @param lateImportWindow a plan whose source start is older than this is anchored at import, not
 *     at its historical start
 * @param missedAppointment what a missed or cancelled appointment sets off: the outreach, the wait
 *     for a reply, the coordinator's task, the provider review after repeated misses
 * @param outcomeCheck when a booked visit with no outcome from the source gets a person's task
 * @param gapTiers the day a care gap enters each tier
 * @param gapActions what each tier does, in the same order; by default tier 1 a second outreach,
 *     tier 2 a coordinator task, tier 3 the provider told, tier 4 the weekly care-gap report
 * @param touchCap automated messages per milestone; past it a person gets the case
 * @param sendWindow the protocol's own window for automated messages, in the practice's zone
 * @param positiveReplyPause how long a positive reply (BOOK, a booking-link click) pauses the
 *     patient's messages while the booking reaches the EHR
 * @param triggers the events that start this protocol (care-plan-created, csv-row-imported, …)
 * @param intake the first message when a plan starts; none for programs whose first touch comes
 *     later
 * @param expireAfter a plan still open this long after its start ends as expired
 * @param onPositiveReply a task for the front desk when the patient wants to book (re-engaged)
 * @param enrolWhen which plans the protocol takes on (a dental plan worth at least $500)
 * @param touchesFromFirstMessage count the touches between steps from the plan's first message (a
 *     recall's "no answer 24 h after the text") instead of from the last progress
 * @param afterAcceptance for a presented treatment plan: accepted is not done; the accepted
 *     treatment becomes a procedure step due to be scheduled within this long, watched until the
 *     practice system says it is completed (without it, the patient's yes completes the plan)
 * @param cycleCap at most so many automated messages and people's touches per cycle of a step (from
 *     when it needs booking until it is booked, missed or cancelled); past it the step waits on the
 *     care-gap report
 * @param series how the visits of an order that asks for several (a FHIR Timing's dates) are due
 */
public record Protocol(
    String id,
    int version,
    List<Touch> betweenSteps,
    Duration defaultStepInterval,
    Duration lateImportWindow,
    MissedAppointment missedAppointment,
    OutcomeCheck outcomeCheck,
    List<Integer> gapTiers,
    int touchCap,
    AllowedHours allowedHours,
    Optional<SendWindow> sendWindow,
    Duration positiveReplyPause,
    List<String> triggers,
    Optional<Intake> intake,
    Optional<Duration> expireAfter,
    Optional<StaffTask> onPositiveReply,
    Optional<Condition> enrolWhen,
    boolean touchesFromFirstMessage,
    List<GapAction> gapActions,
    Optional<CycleCap> cycleCap,
    Optional<Duration> afterAcceptance,
    Series series) {

  /**
   * How the visits of a series (six PT sessions a week apart, a lab every month) are due: each on
   * its own date as ordered, or each the ordered gap after the previous visit took place, so that
   * one visit late moves the rest with it.
   */
  public enum Series {
    /** Each visit is due on the date the order gives it. */
    CALENDAR,
    /** Each visit after the first is due the ordered gap after the previous one is done. */
    AFTER_PREVIOUS
  }

  /**
   * What a protocol file that leaves a setting out gets: the one place the defaults live (the
   * parser and lint read them from here).
   */
  public static final class Defaults {
    private Defaults() {}

    /** How long BOOK or a booking-link click pauses the messages. */
    public static final Duration POSITIVE_REPLY_PAUSE = Duration.ofDays(7);

    /** When a step the EHR gave no timing for is due. */
    public static final Duration STEP_INTERVAL = Duration.ofDays(42);

    /** A plan that started longer ago than this is anchored at import. */
    public static final Duration LATE_IMPORT_WINDOW = Duration.ofDays(14);

    /** How long a missed-appointment outreach waits for the patient before a person gets it. */
    public static final Duration MISSED_REPLY_WINDOW = Duration.ofDays(2);

    /** How long a cancellation may stay unrebooked before it counts as missed. */
    public static final Duration REBOOK_GRACE = Duration.ofHours(2);

    /** Consecutive misses that flag the patient for provider review. */
    public static final int PROVIDER_REVIEW_AFTER_MISSES = 2;

    /** The day past due each care-gap tier starts; its actions are {@link GapAction#DEFAULTS}. */
    public static final List<Integer> GAP_TIER_DAYS = List.of(1, 8, 15, 31);

    /** A care-gap tier's task: its priority and response window when the file names none. */
    public static final Priority GAP_TASK_PRIORITY = Priority.HIGH;

    public static final Duration GAP_TASK_RESPOND_WITHIN = Duration.ofDays(1);

    /** The missed outreach goes out on these channels. */
    public static final List<Channel> MISSED_OUTREACH_CHANNELS = List.of(Channel.SMS);

    /** The coordinator's task when a missed-appointment outreach brings no reply. */
    public static final StaffTask MISSED_NO_REPLY_TASK =
        new StaffTask(
            Lane.MISSED_APPOINTMENT,
            Priority.HIGH,
            "Care plan step missed, outreach unsuccessful",
            Duration.ofDays(1));

    /** Business days a booked visit's outcome may take to arrive before a person is asked. */
    public static final int OUTCOME_GRACE_BUSINESS_DAYS = 1;

    /** The task that asks a person whether the patient came. */
    public static final StaffTask OUTCOME_TASK =
        new StaffTask(
            Lane.MONITORING, Priority.HIGH, "Confirm the visit outcome", Duration.ofDays(1));

    /** A protocol file with no {@code missed-appointment} section. */
    public static final MissedAppointment MISSED_APPOINTMENT =
        new MissedAppointment(
            MISSED_REPLY_WINDOW,
            REBOOK_GRACE,
            PROVIDER_REVIEW_AFTER_MISSES,
            MISSED_OUTREACH_CHANNELS,
            MISSED_NO_REPLY_TASK);

    /** A protocol file with no {@code outcome-check} section. */
    public static final OutcomeCheck OUTCOME_CHECK =
        new OutcomeCheck(OUTCOME_GRACE_BUSINESS_DAYS, OUTCOME_TASK);
  }

  /**
   * What a missed appointment sets off: a same-day outreach on {@code outreachChannels}, then, with
   * no reply within {@code replyWindow} of it, {@code noReplyTask}; a cancellation not rebooked
   * within {@code rebookGrace} counts as missed; {@code providerReviewAfterMisses} misses in a row
   * flag the patient for provider review.
   */
  public record MissedAppointment(
      Duration replyWindow,
      Duration rebookGrace,
      int providerReviewAfterMisses,
      List<Channel> outreachChannels,
      StaffTask noReplyTask) {
    public MissedAppointment {
      outreachChannels = List.copyOf(outreachChannels);
      if (outreachChannels.isEmpty())
        throw new IllegalArgumentException("the missed-appointment outreach needs a channel");
      if (providerReviewAfterMisses < 1)
        throw new IllegalArgumentException("provider-review-after-misses must be at least 1");
      if (!replyWindow.isPositive())
        throw new IllegalArgumentException("the reply window must be longer than zero");
      if (rebookGrace.isNegative())
        throw new IllegalArgumentException("the rebook grace must not be negative");
    }
  }

  /**
   * The outcome watch: a booked visit whose outcome has not come from the source by the close of
   * the {@code graceBusinessDays}-th business day after it gets {@code task}; still unknown, the
   * step enters the care-gap tiers.
   */
  public record OutcomeCheck(int graceBusinessDays, StaffTask task) {
    public OutcomeCheck {
      if (graceBusinessDays < 1 || graceBusinessDays > 10)
        throw new IllegalArgumentException(
            "the outcome grace is 1 to 10 business days, got " + graceBusinessDays);
    }
  }

  /** What a care-gap tier does when a step enters it. */
  public sealed interface GapAction {
    /** A message to the patient on {@code channels} (SMS ⇄ email fallback, as every touch). */
    record Message(Effect.Template template, List<Channel> channels) implements GapAction {
      public Message {
        channels = List.copyOf(channels);
        if (channels.isEmpty()) throw new IllegalArgumentException("a message needs a channel");
      }
    }

    /**
     * A task for a person; without a lane, a referral's goes to the referral lane and every other
     * to monitoring.
     */
    record Task(Optional<Lane> lane, Priority priority, Duration respondWithin)
        implements GapAction {}

    /** The provider is told. */
    record NotifyProvider() implements GapAction {}

    /** The patient goes on the weekly care-gap report. */
    record Report() implements GapAction {}

    /** The shipped programs' tiers: outreach, coordinator task, provider, report. */
    List<GapAction> DEFAULTS =
        List.of(
            new Message(Effect.Template.CARE_GAP, List.of(Channel.SMS)),
            new Task(
                Optional.empty(), Defaults.GAP_TASK_PRIORITY, Defaults.GAP_TASK_RESPOND_WITHIN),
            new NotifyProvider(),
            new Report());
  }

  /**
   * One touch between steps, {@code after} the last progress (or, with {@code beforeDue}, that long
   * before the step is due: a recall sequence): a message on {@code channels} with {@code
   * template}, or, with {@code task}, a person's task instead (a staff call on day 7).
   */
  public record Touch(
      Duration after,
      Set<Channel> channels,
      Optional<Effect.Template> template,
      Optional<StaffTask> task,
      Optional<Condition> when,
      List<Variant> variants,
      boolean beforeDue) {
    public Touch {
      channels = Set.copyOf(channels);
      variants = List.copyOf(variants);
      if (after.isNegative() || after.isZero())
        throw new IllegalArgumentException("a touch comes after the last progress, got " + after);
      if (template.isPresent() == task.isPresent())
        throw new IllegalArgumentException("a touch sends a template or makes a task, not both");
      if (template.isPresent() && channels.isEmpty())
        throw new IllegalArgumentException("a message touch needs a channel");
    }

    /** A touch for every plan, with no variants. */
    public Touch(
        Duration after,
        Set<Channel> channels,
        Optional<Effect.Template> template,
        Optional<StaffTask> task) {
      this(after, channels, template, task, Optional.empty(), List.of(), false);
    }

    /** A message touch on whole days. */
    public Touch(int day, Set<Channel> channels, Effect.Template template) {
      this(Duration.ofDays(day), channels, Optional.of(template), Optional.empty());
    }

    /**
     * Its part of agenda keys: {@code d7} for whole days, {@code h48} for hours, else minutes;
     * {@code due-d30} for a touch 30 days before the step is due.
     */
    public String offsetKey() {
      String prefix = beforeDue ? "due-" : "";
      if (after.toHours() % 24 == 0 && after.toMinutes() % 60 == 0)
        return prefix + "d" + after.toDays();
      if (after.toMinutes() % 60 == 0) return prefix + "h" + after.toHours();
      return prefix + "m" + after.toMinutes();
    }

    /** In words for the timeline: "day-7", "48-hour", "30-minute". */
    public String offsetWords() {
      String k = offsetKey();
      if (beforeDue) {
        String n = k.substring(5);
        return n
            + switch (k.charAt(4)) {
              case 'd' -> " days";
              case 'h' -> " hours";
              default -> " minutes";
            }
            + " before due:";
      }
      return switch (k.charAt(0)) {
        case 'd' -> "day-" + k.substring(1);
        case 'h' -> k.substring(1) + "-hour";
        default -> k.substring(1) + "-minute";
      };
    }

    /** Whether it messages the patient (and so needs allowed hours). */
    public boolean sendsMessage() {
      return template.isPresent();
    }
  }

  /** Another template for the touch, used when its condition holds (the first that holds wins). */
  public record Variant(Condition when, Effect.Template template) {}

  /** The first message of a plan. */
  public record Intake(Set<Channel> channels, Effect.Template template) {
    public Intake {
      channels = Set.copyOf(channels);
      if (channels.isEmpty()) throw new IllegalArgumentException("an intake needs a channel");
    }
  }

  /**
   * The most touches one cycle of a step gets: {@code automated} messages to the patient and {@code
   * human} touches by people (a staff call, a care-gap task, the provider told). A patient's own
   * reply or booking request always reaches a person.
   */
  public record CycleCap(int automated, int human) {
    public CycleCap {
      if (automated < 1 || human < 0)
        throw new IllegalArgumentException(
            "a cycle cap allows at least 1 automated message and 0 or more people's touches, got "
                + automated
                + "/"
                + human);
    }
  }

  /** A task for a person, made by a touch. */
  public record StaffTask(Lane lane, Priority priority, String title, Duration respondWithin) {}

  public Protocol {
    betweenSteps = List.copyOf(betweenSteps);
    gapTiers = List.copyOf(gapTiers);
    gapActions = List.copyOf(gapActions);
    if (gapActions.size() != gapTiers.size())
      throw new IllegalArgumentException(
          "each of the " + gapTiers.size() + " care-gap tiers needs an action, got " + gapActions);
    if (gapTiers.size() != 4) {
      throw new IllegalArgumentException(
          "a protocol declares exactly 4 care-gap tiers, got " + gapTiers);
    }
    for (int i = 1; i < gapTiers.size(); i++) {
      if (gapTiers.get(i) <= gapTiers.get(i - 1)) {
        throw new IllegalArgumentException("care-gap tiers must rise: " + gapTiers);
      }
    }
    if (touchCap < 1) throw new IllegalArgumentException("touchCap must be at least 1");
    if (positiveReplyPause.isNegative())
      throw new IllegalArgumentException("positiveReplyPause must not be negative");
    triggers = List.copyOf(triggers);
  }

  /** The care-gap tier of a step {@code daysOverdue} whole days past due: 0 before the first. */
  public int gapTierOn(long daysOverdue) {
    int tier = 0;
    for (int i = 0; i < gapTiers.size(); i++) if (daysOverdue >= gapTiers.get(i)) tier = i + 1;
    return tier;
  }

  /**
   * The days past due tier {@code tier} spans, in words: {@code 8–14}, the last one {@code 31+}.
   */
  public String gapTierRange(int tier) {
    return tier < gapTiers.size()
        ? gapTiers.get(tier - 1) + "–" + (gapTiers.get(tier) - 1)
        : gapTiers.get(gapTiers.size() - 1) + "+";
  }

  /** What care-gap tier {@code tier} (1 for the first) does. */
  public GapAction gapAction(int tier) {
    return gapActions.get(tier - 1);
  }

  /** A copy with another send window. */
  public Protocol withSendWindow(Optional<SendWindow> window) {
    return copy(betweenSteps, window);
  }

  /** A copy with other touches between steps. */
  public Protocol withTouches(List<Touch> touches) {
    return copy(touches, sendWindow);
  }

  private Protocol copy(List<Touch> touches, Optional<SendWindow> window) {
    return new Protocol(
        id,
        version,
        touches,
        defaultStepInterval,
        lateImportWindow,
        missedAppointment,
        outcomeCheck,
        gapTiers,
        touchCap,
        allowedHours,
        window,
        positiveReplyPause,
        triggers,
        intake,
        expireAfter,
        onPositiveReply,
        enrolWhen,
        touchesFromFirstMessage,
        gapActions,
        cycleCap,
        afterAcceptance,
        series);
  }
}
