package org.careloop.server;

import java.util.List;
import java.util.Map;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.app.ImportResult;
import org.careloop.app.InputRejected;
import org.careloop.core.Protocol;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The HTTP API: FHIR and CSV in, plans, tasks, outbox and care gaps out. */
@RestController
public class ApiController {
  private final Careloop careloop;

  public ApiController(Careloop careloop) {
    this.careloop = careloop;
  }

  /** A FHIR R4 Bundle or single resource, as JSON. */
  @PostMapping(
      path = "/fhir",
      consumes = {"application/fhir+json", MediaType.APPLICATION_JSON_VALUE})
  public ImportResult fhir(@RequestBody String body) {
    return careloop.importBatch(careloop.fhirReader().read(body, "HTTP body"));
  }

  /** The weekly CSV export. */
  @PostMapping(
      path = "/import/csv",
      consumes = {"text/csv", MediaType.TEXT_PLAIN_VALUE})
  public ImportResult csv(@RequestBody String body) {
    return careloop.importBatch(
        careloop.csvReader().read(body, "HTTP body", careloop.clock().instant()));
  }

  @GetMapping("/api/plans")
  public List<ReadModel.PlanRow> plans() {
    return careloop.read().plans();
  }

  @GetMapping("/api/plans/{id}")
  public ResponseEntity<ReadModel.PlanView> plan(@PathVariable String id) {
    return careloop
        .read()
        .plan(id)
        .map(ResponseEntity::ok)
        .orElse(ResponseEntity.notFound().build());
  }

  @GetMapping("/api/tasks")
  public List<ReadModel.TaskRow> tasks() {
    return careloop.read().tasks();
  }

  @GetMapping("/api/outbox")
  public List<ReadModel.OutboxRow> outbox() {
    return careloop.read().outbox();
  }

  @GetMapping("/api/sandbox")
  public List<ReadModel.SandboxRow> sandbox() {
    return careloop.read().sandbox(200);
  }

  @GetMapping("/api/care-gaps")
  public List<ReadModel.GapRow> careGaps() {
    return careloop
        .read()
        .careGaps(careloop.clock().instant(), Protocol.treatmentPlanFollowUp().gapTiers());
  }

  @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
  public String home() {
    return StatusPage.render(careloop);
  }

  @ExceptionHandler(InputRejected.class)
  public ResponseEntity<Map<String, String>> rejected(InputRejected e) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .body(Map.of("error", e.getMessage(), "where", e.where()));
  }
}
