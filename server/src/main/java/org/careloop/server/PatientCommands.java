package org.careloop.server;

import java.util.concurrent.Callable;
import org.careloop.server.AdminCommands.ActorMixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code careloop consent} and {@code careloop resume}: what a person records for one patient or
 * plan.
 */
final class PatientCommands {

  private PatientCommands() {}

  @Command(
      name = "consent",
      description =
          "Records or withdraws a patient's consent to marketing messages (financing offers).")
  static final class Consent implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        paramLabel = "PATIENT",
        description = "careloop's patient id or the EHR's key (e.g. MRN1001)")
    String patient;

    @Option(names = "--marketing", required = true, description = "yes or no")
    String marketing;

    @Option(
        names = "--practice",
        defaultValue = Careloop.DEFAULT_PRACTICE,
        description = "the patient's practice (default: ${DEFAULT-VALUE})")
    String practice;

    @Override
    public Integer call() {
      boolean consent =
          switch (marketing) {
            case "yes" -> true;
            case "no" -> false;
            default ->
                throw new IllegalArgumentException(
                    "--marketing takes yes or no, not '" + marketing + "'");
          };
      try (var c = dbm.open(2)) {
        String id =
            c.administration()
                .marketingConsent(actor.actor(), practice, patient, consent, c.clock().instant());
        spec.commandLine()
            .getOut()
            .println(
                "patient " + id + ": marketing consent " + (consent ? "recorded" : "withdrawn"));
        return 0;
      }
    }
  }

  @Command(
      name = "resume",
      description =
          "Lets a paused plan's automated messages go on (after a patient's free-text reply is handled).")
  static final class Resume implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PLAN")
    String plan;

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        c.resume(plan, actor.actor());
        spec.commandLine().getOut().println("plan " + plan + ": automated messages resumed");
        return 0;
      }
    }
  }
}
