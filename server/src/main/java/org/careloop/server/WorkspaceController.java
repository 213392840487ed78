package org.careloop.server;

import java.security.Principal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.careloop.adapters.csv.CsvExport;
import org.careloop.app.AuditTrail;
import org.careloop.app.casework.CaseChoices;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The coordinator workspace: the practice's ranked worklist, one case with its plan and history,
 * and the documentation a person records. Everything is scoped to the signed-in person's practice,
 * and every view or change of patient data is audited.
 */
@Controller
public class WorkspaceController {
  private final Careloop careloop;

  public WorkspaceController(Careloop careloop) {
    this.careloop = careloop;
  }

  /** A case that is not the person's practice's: the same answer as one that does not exist. */
  @ResponseStatus(HttpStatus.NOT_FOUND)
  static final class NoSuchCase extends RuntimeException {
    NoSuchCase() {
      super("no such case");
    }
  }

  @ExceptionHandler({NoSuchCase.class, org.careloop.app.casework.Casework.NotYours.class})
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String noSuchCase(Model model) {
    model.addAttribute("message", "There is no such case in your practice.");
    return "notfound";
  }

  @ExceptionHandler(org.careloop.app.casework.Casework.NotAllowed.class)
  @ResponseStatus(HttpStatus.FORBIDDEN)
  String notAllowed(Model model) {
    model.addAttribute("status", 403);
    return "error";
  }

  private org.careloop.app.Person me(Principal principal) {
    return signedIn(careloop, principal);
  }

  /** The signed-in person (the security filter let only a known person of a practice in). */
  static org.careloop.app.Person signedIn(Careloop careloop, Principal principal) {
    return careloop
        .administration()
        .person(principal.getName())
        .orElseThrow(() -> new IllegalStateException("signed in but unknown"));
  }

  /** The front door: the workspace, which sends anyone not signed in to sign in. */
  @GetMapping("/")
  String home() {
    return "redirect:/work";
  }

  @GetMapping("/login")
  String login() {
    return "login";
  }

  @GetMapping("/work/cases/{id}")
  String openCase(Principal principal, @PathVariable long id, Model model) {
    var me = me(principal);
    var c =
        careloop.workspace().open(me, id, careloop.clock().instant()).orElseThrow(NoSuchCase::new);
    model.addAttribute("me", me);
    model.addAttribute("c", c);
    model.addAttribute("zone", careloop.practice(me.practiceId()).zone());
    model.addAttribute("users", careloop.administration().people(me.practiceId()));
    model.addAttribute("barriers", CaseChoices.BARRIERS);
    model.addAttribute("outcomes", CaseChoices.CALL_OUTCOMES);
    model.addAttribute("reasons", CaseChoices.CLOSE_REASONS);
    model.addAttribute("escalateTo", CaseChoices.ESCALATE_TO);
    model.addAttribute("templates", CaseChoices.ONE_OFF_TEMPLATES);
    return "case";
  }

  @PostMapping("/work/cases/{id}/assign")
  String assign(
      Principal principal,
      @PathVariable long id,
      @RequestParam String owner,
      @RequestParam Optional<String> backup,
      RedirectAttributes flash) {
    var me = me(principal);
    return act(
        id,
        flash,
        "Owner set.",
        () -> careloop.workspace().assign(me, id, owner, backup, careloop.clock().instant()));
  }

  @PostMapping("/work/cases/{id}/document")
  String document(
      Principal principal,
      @PathVariable long id,
      @RequestParam Optional<String> caseStatus,
      @RequestParam Optional<String> barrier,
      @RequestParam Optional<String> understood,
      @RequestParam Optional<String> nextAction,
      @RequestParam Optional<String> targetDate,
      @RequestParam Optional<String> escalationNeeded,
      @RequestParam Optional<String> outcome,
      @RequestParam Optional<String> closeReason,
      RedirectAttributes flash) {
    var me = me(principal);
    try {
      Optional<LocalDate> target;
      try {
        target = targetDate.filter(s -> !s.isBlank()).map(LocalDate::parse);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("target date '" + targetDate.get() + "' is not a date");
      }
      var note =
          new org.careloop.app.CaseNote(
              careloop.clock().instant(),
              me.displayName(),
              "",
              blank(caseStatus),
              blank(barrier),
              blank(understood),
              blank(nextAction),
              target,
              escalationNeeded.isPresent(),
              blank(outcome));
      var reason = blank(closeReason);
      careloop.workspace().document(me, id, note, reason, careloop.clock().instant());
      if (reason.isPresent()) {
        flash.addFlashAttribute("done", "Case " + id + " closed (" + reason.get() + ").");
        return "redirect:/work";
      }
      flash.addFlashAttribute("done", "Saved.");
    } catch (IllegalArgumentException | org.careloop.app.InputRejected e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/work/cases/" + id;
  }

  @PostMapping("/work/cases/{id}/booking")
  String booking(
      Principal principal,
      @PathVariable long id,
      @RequestParam String start,
      RedirectAttributes flash) {
    var me = me(principal);
    return act(
        id,
        flash,
        "Booking recorded: automated messages for this step stop.",
        () -> {
          java.time.Instant at;
          try {
            at =
                java.time.LocalDateTime.parse(start)
                    .atZone(careloop.practice(me.practiceId()).zone())
                    .toInstant();
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + start + "' is not a date and time");
          }
          careloop.workspace().recordBooking(me, id, at, careloop.clock().instant());
        });
  }

  @PostMapping("/work/cases/{id}/message")
  String message(
      Principal principal,
      @PathVariable long id,
      @RequestParam String channel,
      @RequestParam String template,
      @RequestParam Optional<String> ownWords,
      RedirectAttributes flash) {
    var me = me(principal);
    var words = blank(ownWords);
    return act(
        id,
        flash,
        "Message queued by " + channel + (words.isPresent() ? ", in your words." : "."),
        () -> {
          var now = careloop.clock().instant();
          if (words.isPresent())
            careloop.workspace().sendOwnWords(me, id, channel, words.get(), now);
          else careloop.workspace().sendMessage(me, id, channel, template, now);
        });
  }

  @PostMapping("/work/cases/{id}/escalate")
  String escalate(
      Principal principal,
      @PathVariable long id,
      @RequestParam String to,
      @RequestParam String why,
      RedirectAttributes flash) {
    var me = me(principal);
    return act(
        id,
        flash,
        "Escalated to the " + to + ".",
        () -> careloop.workspace().escalate(me, id, to, why, careloop.clock().instant()));
  }

  /** How many cases, and how many care gaps, one page of the review queue shows. */
  static final int REVIEW_PAGE = 25;

  /** One page of a list: its items, which page, how many pages, how many in all. */
  public record Paged<T>(java.util.List<T> items, int page, int pages, int total) {
    static <T> Paged<T> of(java.util.List<T> all, int page) {
      int pages = Math.max(1, (all.size() + REVIEW_PAGE - 1) / REVIEW_PAGE);
      int p = Math.min(Math.max(page, 1), pages);
      return new Paged<>(
          all.subList(
              Math.min((p - 1) * REVIEW_PAGE, all.size()), Math.min(p * REVIEW_PAGE, all.size())),
          p,
          pages,
          all.size());
    }
  }

  @GetMapping("/work/review")
  String review(
      Principal principal,
      @RequestParam Optional<Integer> cases,
      @RequestParam Optional<Integer> gaps,
      Model model) {
    var me = me(principal);
    var now = careloop.clock().instant();
    var review = careloop.workspace().reviewQueue(me, now);
    model.addAttribute("me", me);
    model.addAttribute("practice", careloop.practice(me.practiceId()));
    model.addAttribute("cases", Paged.of(review.cases(), cases.orElse(1)));
    model.addAttribute("gaps", Paged.of(review.gaps(), gaps.orElse(1)));
    model.addAttribute("decisions", org.careloop.app.casework.ProviderDecisions.DECISIONS);
    return "review";
  }

  /** A provider's decision on a case of the queue: recorded, audited, back to the queue. */
  @PostMapping("/work/review/cases/{id}/decision")
  String decide(
      Principal principal,
      @PathVariable long id,
      @RequestParam String decision,
      @RequestParam Optional<String> note,
      RedirectAttributes flash) {
    var me = me(principal);
    try {
      careloop.workspace().decide(me, id, decision, blank(note), careloop.clock().instant());
      flash.addFlashAttribute("done", "Decision recorded on case " + id + ": " + decision + ".");
    } catch (IllegalArgumentException | org.careloop.app.InputRejected e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/work/review";
  }

  @PostMapping("/work/review/gaps/{planId}")
  String takeGap(Principal principal, @PathVariable String planId) {
    var me = me(principal);
    return "redirect:/work/cases/"
        + careloop.workspace().reviewGap(me, planId, careloop.clock().instant());
  }

  /**
   * Carries out a case action and comes back to the case: what it did, or why it could not. Another
   * practice's case ends in "not found" (the handler above).
   */
  private static String act(long id, RedirectAttributes flash, String done, Runnable action) {
    try {
      action.run();
      flash.addFlashAttribute("done", done);
    } catch (IllegalArgumentException | org.careloop.app.InputRejected e) {
      flash.addFlashAttribute("error", e.getMessage());
    }
    return "redirect:/work/cases/" + id;
  }

  private static Optional<String> blank(Optional<String> v) {
    return v.map(String::trim).filter(s -> !s.isEmpty());
  }

  /** How many audit events one page shows. */
  static final int AUDIT_PAGE = 50;

  private AuditTrail.Query auditQuery(
      org.careloop.app.Person me,
      Optional<String> person,
      Optional<String> patient,
      Optional<String> from,
      Optional<String> to) {
    return new AuditTrail.Query(
        Optional.of(me.practiceId()),
        blank(person),
        blank(patient),
        date(from, "from"),
        date(to, "to"),
        careloop.practice(me.practiceId()).zone());
  }

  private static Optional<LocalDate> date(Optional<String> v, String field) {
    try {
      return blank(v).map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + ": '" + v.get() + "' is not a date (YYYY-MM-DD)");
    }
  }

  /** This practice's audit trail, newest first, a page at a time, by person, patient and dates. */
  @GetMapping("/work/audit")
  String audit(
      Principal principal,
      @RequestParam Optional<String> person,
      @RequestParam Optional<String> patient,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      @RequestParam Optional<Integer> page,
      Model model) {
    var me = me(principal);
    model.addAttribute("me", me);
    model.addAttribute("person", blank(person).orElse(""));
    model.addAttribute("patient", blank(patient).orElse(""));
    model.addAttribute("from", blank(from).orElse(""));
    model.addAttribute("to", blank(to).orElse(""));
    AuditTrail.Page events;
    try {
      events =
          careloop
              .auditLog()
              .page(auditQuery(me, person, patient, from, to), page.orElse(1), AUDIT_PAGE);
    } catch (IllegalArgumentException e) {
      model.addAttribute("error", e.getMessage());
      events = new AuditTrail.Page(java.util.List.of(), 0, 1, AUDIT_PAGE);
    }
    careloop
        .administration()
        .audit(
            me.username(),
            Optional.of(me.practiceId()),
            "audit.view",
            "page " + events.page() + ", " + events.events().size() + " event(s)",
            careloop.clock().instant());
    model.addAttribute("events", events);
    model.addAttribute("zone", careloop.practice(me.practiceId()).zone());
    return "audit";
  }

  /** The same events as a CSV file, every page of them. */
  @GetMapping(path = "/work/audit/export.csv", produces = "text/csv;charset=UTF-8")
  void auditCsv(
      Principal principal,
      @RequestParam Optional<String> person,
      @RequestParam Optional<String> patient,
      @RequestParam Optional<String> from,
      @RequestParam Optional<String> to,
      jakarta.servlet.http.HttpServletResponse response)
      throws java.io.IOException {
    var me = me(principal);
    var query = auditQuery(me, person, patient, from, to);
    var zone = careloop.practice(me.practiceId()).zone();
    var csv =
        new CsvExport(
            Downloads.attachment(response, "text/csv", "careloop-audit.csv"),
            "seq",
            "at",
            "person",
            "action",
            "subject",
            "patient",
            "detail");
    long rows =
        careloop
            .auditLog()
            .forEach(
                query,
                e ->
                    csv.row(
                        e.seq(),
                        e.at().atZone(zone).toOffsetDateTime().toString(),
                        e.actor(),
                        e.action(),
                        e.subject(),
                        e.patientId().orElse(""),
                        e.detail().orElse("")));
    csv.flush();
    careloop
        .administration()
        .audit(
            me.username(),
            Optional.of(me.practiceId()),
            "audit.export",
            rows + " event(s)",
            careloop.clock().instant());
  }
}
