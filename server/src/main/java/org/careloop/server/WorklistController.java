package org.careloop.server;

import java.security.Principal;
import java.util.Optional;
import org.careloop.app.WorkItem;
import org.careloop.app.casework.WorklistView;
import org.careloop.app.casework.Workload;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The practice's worklist, as a person works it (their cases or the team's, searched, sorted,
 * paged; cases reassigned in bulk), and its workload: open, overdue and due-today cases per person
 * and lane, and how long the open cases have waited (counts only: no patient is named).
 */
@Controller
public class WorklistController {
  private final Careloop careloop;

  public WorklistController(Careloop careloop) {
    this.careloop = careloop;
  }

  @GetMapping("/work")
  String worklist(
      Principal principal,
      @RequestParam Optional<String> lane,
      @RequestParam Optional<String> owner,
      @RequestParam Optional<String> priority,
      @RequestParam Optional<Integer> olderThanDays,
      @RequestParam Optional<String> view,
      @RequestParam Optional<String> q,
      @RequestParam Optional<String> sort,
      @RequestParam Optional<String> dir,
      @RequestParam Optional<Integer> page,
      Model model) {
    var me = WorkspaceController.signedIn(careloop, principal);
    var now = careloop.clock().instant();
    var filter =
        new org.careloop.app.WorkItem.Filter(
            lane.filter(s -> !s.isBlank()),
            owner.filter(s -> !s.isBlank()),
            priority.filter(s -> !s.isBlank()),
            olderThanDays);
    // A coordinator opens on their own cases; one owner asked for is that owner's, whoever's.
    boolean mine =
        filter.owner().isEmpty()
            && view.map("mine"::equals).orElseGet(() -> WorklistView.Query.mineByDefault(me));
    var query =
        new WorklistView.Query(
            mine,
            q.map(String::strip).filter(s -> !s.isEmpty()),
            WorklistView.Sort.of(sort),
            dir.filter("desc"::equals).isPresent(),
            page.orElse(1));
    var shown =
        WorklistView.of(careloop.workspace().worklist(me.practiceId(), filter, now), query, me);
    careloop
        .administration()
        .audit(
            me.username(),
            Optional.of(me.practiceId()),
            "worklist.view",
            shown.items().size() + " of " + shown.total() + " case(s)",
            now);
    model.addAttribute("me", me);
    model.addAttribute("practice", careloop.practice(me.practiceId()));
    model.addAttribute("shown", shown);
    model.addAttribute("items", shown.items());
    model.addAttribute("overdue", shown.overdue());
    model.addAttribute("overdueByTier", shown.overdueByTier());
    model.addAttribute("filter", filter);
    model.addAttribute("query", query);
    model.addAttribute("links", WorklistLinks.of(filter, query, shown));
    model.addAttribute("lanes", org.careloop.core.Lane.values());
    model.addAttribute("users", careloop.administration().people(me.practiceId()));
    model.addAttribute("now", now);
    return "worklist";
  }

  /** Gives the chosen cases to one person, all or none, and says so on the worklist. */
  @PostMapping("/work/assign")
  String assignAll(
      Principal principal,
      @RequestParam(name = "task", required = false) java.util.List<Long> tasks,
      @RequestParam Optional<String> owner,
      @RequestParam Optional<String> back,
      RedirectAttributes flash) {
    var me = WorkspaceController.signedIn(careloop, principal);
    try {
      String to =
          owner
              .filter(o -> !o.isBlank())
              .orElseThrow(() -> new IllegalArgumentException("choose the person to give them to"));
      int n =
          careloop
              .workspace()
              .assignAll(
                  me, tasks == null ? java.util.List.of() : tasks, to, careloop.clock().instant());
      String name = careloop.administration().person(to).map(p -> p.displayName()).orElse(to);
      flash.addFlashAttribute(
          "done", n + (n == 1 ? " case" : " cases") + " given to " + name + ".");
    } catch (IllegalArgumentException e) {
      flash.addFlashAttribute("error", e.getMessage());
    } catch (org.careloop.app.casework.Casework.NotYours e) {
      // Another practice's case: the same answer as one that does not exist; nothing changed.
      flash.addFlashAttribute("error", "There is no such case in your practice; nothing changed.");
    }
    // Back to the view the person was on (a worklist address only).
    return "redirect:" + back.filter(b -> b.matches("/work(\\?[^\\s]*)?")).orElse("/work");
  }

  @GetMapping("/work/workload")
  String workload(Principal principal, Model model) {
    var me = WorkspaceController.signedIn(careloop, principal);
    var now = careloop.clock().instant();
    var practice = careloop.practice(me.practiceId());
    var items = careloop.workspace().worklist(me.practiceId(), WorkItem.Filter.NONE, now);
    careloop
        .administration()
        .audit(
            me.username(),
            Optional.of(me.practiceId()),
            "workload.view",
            items.size() + " case(s)",
            now);
    model.addAttribute("me", me);
    model.addAttribute("practice", practice);
    model.addAttribute("workload", Workload.of(items, now, practice.zone()));
    model.addAttribute("now", now);
    return "workload";
  }
}
