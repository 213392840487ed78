package org.careloop.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps dependencies pointing inward (adapters → app → core) and the core free of clocks. */
class ArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // The adapters' test classes reach the server's tests as a jar of their own.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("org.careloop");

  @Test
  void core_dependsOnNothingButTheJdk() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.core..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("org.careloop.core..", "java..", "org.jspecify..")
        .check(CLASSES);
  }

  @Test
  void core_neverReadsTheClockOrDrawsRandomness() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.core..")
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(java.time.LocalDate.class, "now")
        .orShould()
        .callMethod(java.time.LocalDateTime.class, "now")
        .orShould()
        .callMethod(java.time.ZonedDateTime.class, "now")
        .orShould()
        .callMethod(java.time.LocalTime.class, "now")
        .orShould()
        .callMethod(java.time.OffsetDateTime.class, "now")
        .orShould()
        .callMethod(java.time.OffsetTime.class, "now")
        .orShould()
        .callMethod(java.time.Year.class, "now")
        .orShould()
        .callMethod(java.time.YearMonth.class, "now")
        .orShould()
        .callMethod(java.time.Clock.class, "systemUTC")
        .orShould()
        .callMethod(java.time.Clock.class, "systemDefaultZone")
        .orShould()
        .callMethod(java.time.ZoneId.class, "systemDefault")
        .orShould()
        .callMethod(java.util.UUID.class, "randomUUID")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(Math.class, "random")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.util.Random.class)
        .check(CLASSES);
  }

  @Test
  void crypto_isJdkCryptoAlone_knowingNoStorage() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.adapters.crypto..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(
            "org.careloop.adapters.crypto..", "java..", "javax..", "org.jspecify..")
        .check(CLASSES);
  }

  @Test
  void app_doesNotKnowAdaptersOrServer() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.careloop.adapters..", "org.careloop.server..")
        .check(CLASSES);
  }

  @Test
  void adapters_doNotKnowTheServer() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.adapters..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.careloop.server..")
        .check(CLASSES);
  }

  @Test
  void hapiFhir_staysInTheFhirAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackage("org.careloop.adapters.fhir..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("ca.uhn.fhir..")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("org.hl7.fhir..")
        .check(CLASSES);
  }

  /** Each outside library is used in the one adapter package made for it. */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0} only in {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "com.twilio.., org.careloop.adapters.twilio..",
    "jakarta.mail.., org.careloop.adapters.mail..",
    "org.eclipse.angus.., org.careloop.adapters.mail..",
    "org.yaml.snakeyaml.., org.careloop.adapters.protocol..",
    "org.apache.commons.csv.., org.careloop.adapters.csv..",
    "org.h2.., org.careloop.adapters.jdbc..",
    "com.zaxxer.hikari.., org.careloop.adapters.jdbc..",
    "org.flywaydb.., org.careloop.adapters.jdbc..",
    "org.postgresql.., org.careloop.adapters.jdbc..",
    "com.google.i18n.phonenumbers.., org.careloop.adapters.contact.."
  })
  void anOutsideLibrary_staysInItsAdapter(String library, String adapter) {
    noClasses()
        .that()
        .resideOutsideOfPackage(adapter)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(library)
        .check(CLASSES);
  }

  /** Intake, messaging and casework use the engine; the engine knows none of them. */
  @Test
  void theEngine_knowsNoUseCaseAboveIt() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.app.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.careloop.app.intake..",
            "org.careloop.app.messaging..",
            "org.careloop.app.casework..",
            "org.careloop.app.admin..",
            "org.careloop.app.reports..")
        .check(CLASSES);
  }

  /** The weekly report reads and stores through the ports and sends by a channel; no engine. */
  @Test
  void reports_useThePortsAndAChannel_only() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.app.reports..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.careloop.app.engine..",
            "org.careloop.app.intake..",
            "org.careloop.app.casework..",
            "org.careloop.app.admin..")
        .check(CLASSES);
  }

  /**
   * The server reaches the database through {@link Careloop}'s ports, never a JDBC class: only the
   * composition root ({@code Careloop}, {@code DatabaseSetup}, the channel wiring) and the key
   * rotation, which runs on a database before careloop opens it, touch {@code adapters.jdbc}.
   */
  @Test
  void onlyTheCompositionRoot_touchesJdbc() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.server..")
        .and()
        .doNotHaveSimpleName("Careloop")
        .and()
        .doNotHaveSimpleName("DatabaseSetup")
        .and()
        .doNotHaveSimpleName("Channels")
        .and()
        .haveNameNotMatching("org\\.careloop\\.server\\.KeyCommands.*")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.careloop.adapters.jdbc..")
        .check(CLASSES);
  }

  /** The admin use cases need only the ports. */
  @Test
  void administration_usesOnlyThePorts() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.app.admin..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.careloop.app.engine..",
            "org.careloop.app.intake..",
            "org.careloop.app.messaging..",
            "org.careloop.app.casework..")
        .check(CLASSES);
  }

  /** The ports and their values (the app package itself) know no use case. */
  @Test
  void thePorts_knowNoUseCase() {
    noClasses()
        .that()
        .resideInAPackage("org.careloop.app")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.careloop.app.engine..",
            "org.careloop.app.intake..",
            "org.careloop.app.messaging..",
            "org.careloop.app.casework..",
            "org.careloop.app.admin..",
            "org.careloop.app.reports..")
        .check(CLASSES);
  }

  @Test
  void packages_haveNoCycles() {
    com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
        .matching("org.careloop.(**)")
        .should()
        .beFreeOfCycles()
        .check(CLASSES);
  }
}
