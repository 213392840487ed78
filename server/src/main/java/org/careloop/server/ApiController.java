package org.careloop.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.InputRejected;
import org.careloop.app.Reads;
import org.careloop.app.Utf8Text;
import org.careloop.app.intake.ImportResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP API: FHIR and CSV in, plans, tasks, outbox and care gaps out, always as JSON (a browser
 * asking for HTML gets JSON too, never another converter's attempt).
 */
@RestController
@org.springframework.web.bind.annotation.RequestMapping(produces = MediaType.APPLICATION_JSON_VALUE)
public class ApiController {
  private final Careloop careloop;

  public ApiController(Careloop careloop) {
    this.careloop = careloop;
  }

  /** A FHIR R4 Bundle or single resource, as JSON. */
  @PostMapping(
      path = "/fhir",
      consumes = {"application/fhir+json", MediaType.APPLICATION_JSON_VALUE})
  public ImportResult fhir(@RequestBody byte[] body, java.security.Principal principal) {
    return audited(
        principal,
        "import.fhir",
        careloop.importBatch(
            careloop
                .fhirReader(practiceOf(principal))
                .read(Utf8Text.decode(body, "HTTP body"), "HTTP body")));
  }

  /** The weekly CSV export. */
  @PostMapping(path = "/import/csv", consumes = "text/csv")
  public ImportResult csv(@RequestBody byte[] body, java.security.Principal principal) {
    return audited(
        principal,
        "import.csv",
        careloop.importBatch(
            careloop
                .csvReader(practiceOf(principal))
                .read(
                    Utf8Text.decode(body, "HTTP body"), "HTTP body", careloop.clock().instant())));
  }

  /** A feed's import changed patient data: who sent it, into which practice, and how much. */
  private ImportResult audited(
      java.security.Principal principal, String action, ImportResult result) {
    careloop
        .administration()
        .audit(
            principal.getName(),
            Optional.of(practiceOf(principal)),
            action,
            result.patients()
                + " patient(s), "
                + result.plansCreated()
                + " plan(s) created, "
                + result.plansUpdated()
                + " updated",
            careloop.clock().instant());
    return result;
  }

  private String practiceOf(java.security.Principal principal) {
    return careloop
        .administration()
        .person(principal.getName())
        .map(u -> u.practiceId())
        .orElseThrow(() -> new IllegalStateException("signed in but unknown"));
  }

  /** The plans of the signed-in administrator's practice: the API shows no other practice's. */
  private java.util.Set<String> plansOf(java.security.Principal principal) {
    return careloop.workspace().planIds(practiceOf(principal));
  }

  @GetMapping("/api/plans")
  public List<Reads.PlanRow> plans(java.security.Principal principal) {
    return careloop.read().plans(Optional.of(practiceOf(principal)));
  }

  @GetMapping("/api/plans/{id}")
  public ResponseEntity<Reads.PlanView> plan(
      @PathVariable String id, java.security.Principal principal) {
    if (!plansOf(principal).contains(id)) return ResponseEntity.notFound().build();
    return careloop
        .read()
        .plan(id)
        .map(ResponseEntity::ok)
        .orElse(ResponseEntity.notFound().build());
  }

  @GetMapping("/api/tasks")
  public List<Reads.TaskRow> tasks(java.security.Principal principal) {
    return careloop.read().tasks(Optional.of(practiceOf(principal)));
  }

  @GetMapping("/api/outbox")
  public List<Reads.OutboxRow> outbox(java.security.Principal principal) {
    return careloop.read().outbox(Optional.of(practiceOf(principal)));
  }

  @GetMapping("/api/sandbox")
  public List<Reads.SandboxRow> sandbox(java.security.Principal principal) {
    return careloop.read().sandbox(200, Optional.of(practiceOf(principal)));
  }

  @GetMapping("/api/care-gaps")
  public List<Reads.GapRow> careGaps(java.security.Principal principal) {
    return careloop
        .read()
        .careGaps(
            careloop.clock().instant(),
            careloop.protocols()::of,
            Optional.of(practiceOf(principal)));
  }

  @ExceptionHandler(InputRejected.class)
  public ResponseEntity<Map<String, String>> rejected(InputRejected e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .body(Map.of("error", e.getMessage(), "where", e.where()));
  }
}
