package org.careloop.app.intake;

import java.util.List;

/** What an import did. */
public record ImportResult(
    String source,
    int patients,
    int plansCreated,
    int plansUpdated,
    int plansUnchanged,
    int appointmentEvents,
    List<String> notes) {

  public ImportResult {
    notes = List.copyOf(notes);
  }

  /** One line for the command line. */
  public String summary() {
    return source
        + ": "
        + patients
        + " patient(s), "
        + plansCreated
        + " plan(s) created, "
        + plansUpdated
        + " updated, "
        + plansUnchanged
        + " unchanged, "
        + appointmentEvents
        + " appointment event(s)";
  }
}
