package org.careloop.server;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.adapters.Secrets;
import org.careloop.app.EhrConnection;
import org.careloop.server.AdminCommands.ActorMixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code careloop ehr}: a practice's connections to its EHR's FHIR API. */
final class EhrCommands {
  private EhrCommands() {}

  @Command(
      name = "ehr",
      description = "Connects careloop to the practice's EHR (FHIR R4) and polls it.",
      subcommands = {
        Connect.class,
        ListCmd.class,
        Show.class,
        Test.class,
        Poll.class,
        Disconnect.class,
        Keys.class
      })
  static final class EhrCmd implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  /** The practice a command acts for. */
  static final class PracticeMixin {
    @Option(names = "--practice", description = "the practice's id (default: the first practice)")
    String practice = Careloop.DEFAULT_PRACTICE;
  }

  /** What an athenahealth connection asks for: the athenaNet API. */
  static final String ATHENA_SCOPE = "athena/service/Athenanet.MDP.*";

  /**
   * What a SMART connection asks for unless told otherwise: reading what careloop follows, and
   * creating what it writes back.
   */
  static final String DEFAULT_SCOPE =
      "system/Patient.rs system/CarePlan.rs system/ServiceRequest.rs system/Appointment.rs"
          + " system/Encounter.rs system/DocumentReference.c system/Communication.c"
          + " system/Flag.cru system/Task.cru";

  /** A command on one named connection of the practice, on an opened database. */
  abstract static class OnConnection implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Mixin PracticeMixin practice;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the connection's name")
    String name = "";

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        return run(c, spec.commandLine().getOut());
      }
    }

    abstract int run(Careloop c, java.io.PrintWriter out);
  }

  @Command(
      name = "connect",
      description =
          "Connects (or changes) an EHR connection: where its FHIR API is and how careloop signs"
              + " in. Secrets are read from the environment or a file when used, never stored.")
  static final class Connect extends OnConnection {
    @Option(names = "--fhir-base", description = "the FHIR R4 base URL")
    Optional<String> fhirBase = Optional.empty();

    @Option(
        names = "--healthie-api",
        description =
            "instead of --fhir-base: Healthie's GraphQL API (https://api.gethealthie.com/graphql;"
                + " its sandbox https://staging-api.gethealthie.com/graphql)")
    Optional<String> healthieApi = Optional.empty();

    @Option(
        names = "--athena-api",
        description =
            "instead of --fhir-base: athenaOne's API with the practice's id"
                + " (https://api.platform.athenahealth.com/v1/195900; its preview"
                + " https://api.preview.platform.athenahealth.com/v1/195900), read by its"
                + " changed-data feeds")
    Optional<String> athenaApi = Optional.empty();

    @Option(
        names = "--auth",
        description =
            "none, bearer, smart-backend or client-secret (default: none); api-key for Healthie"
                + " (its default); client-secret (default) or smart-backend for athenahealth")
    Optional<String> auth = Optional.empty();

    @Option(
        names = {"--token-env", "--api-key-env", "--client-secret-env"},
        description =
            "bearer: the environment variable holding the token (Healthie: the API key;"
                + " client-secret: the secret)")
    Optional<String> tokenEnv = Optional.empty();

    @Option(
        names = {"--token-file", "--api-key-file", "--client-secret-file"},
        description = "bearer: the file holding the token (Healthie: the API key)")
    Optional<String> tokenFile = Optional.empty();

    @Option(
        names = "--client-id",
        description = "smart-backend: the client id the EHR gave careloop's backend app")
    Optional<String> clientId = Optional.empty();

    @Option(
        names = "--scope",
        description =
            "smart-backend: the scopes asked for (default: read of what careloop follows)")
    Optional<String> scope = Optional.empty();

    @Option(
        names = "--token-endpoint",
        description =
            "smart-backend: the token endpoint, when the EHR's .well-known/smart-configuration"
                + " does not name it")
    Optional<String> tokenEndpoint = Optional.empty();

    @Option(
        names = "--notify-secret-env",
        description =
            "notifications: the environment variable holding the secret the EHR's notifications"
                + " carry (without one the connection takes no notifications; it is polled)")
    Optional<String> notifySecretEnv = Optional.empty();

    @Option(names = "--notify-secret-file", description = "notifications: the file holding it")
    Optional<String> notifySecretFile = Optional.empty();

    @Option(
        names = "--notify-check",
        description =
            "notifications: header (the subscription's channel header carries the secret,"
                + " default), hub-signature (X-Hub-Signature: an HMAC of the body, athenahealth)"
                + " or healthie (Healthie's signed webhooks, its secret the webhook's; the default"
                + " and only check of a Healthie connection)")
    Optional<String> notifyCheck = Optional.empty();

    @Option(
        names = "--notify-header",
        defaultValue = "Authorization",
        description =
            "notifications, header: the header the subscription sends (default Authorization:"
                + " its value the secret, or Bearer and the secret)")
    String notifyHeader = "Authorization";

    @Option(
        names = "--staff-tasks",
        defaultValue = "careloop",
        description =
            "where the staff's tasks are kept: careloop (its worklist, default) or ehr (each case"
                + " is written to the EHR's task list as a FHIR Task too, completed there when it"
                + " closes)")
    String staffTasks = "careloop";

    /** How the connection's notifications prove they are the EHR's, when it takes any. */
    Optional<EhrConnection.Notifications> notifications(EhrConnection.Api api) {
      if (notifySecretEnv.isPresent() && notifySecretFile.isPresent())
        throw new IllegalArgumentException(
            "give --notify-secret-env or --notify-secret-file, not both");
      if (api == EhrConnection.Api.ATHENA
          && (notifySecretEnv.isPresent() || notifySecretFile.isPresent()))
        throw new IllegalArgumentException(
            "athenahealth's changed-data feeds are polled; its event notifications come to a FHIR"
                + " connection (--fhir-base its FHIR R4 API, --notify-check hub-signature)");
      boolean healthie = api == EhrConnection.Api.HEALTHIE;
      var check = EhrConnection.Check.of(notifyCheck.orElse(healthie ? "healthie" : "header"));
      if (healthie != (check == EhrConnection.Check.HEALTHIE))
        throw new IllegalArgumentException(
            healthie
                ? "a Healthie connection's webhooks are checked by their signature"
                    + " (--notify-check healthie)"
                : "--notify-check healthie goes with a Healthie connection (--healthie-api)");
      if (!notifyHeader.matches("[A-Za-z0-9-]{1,100}"))
        throw new IllegalArgumentException(
            "--notify-header '" + notifyHeader + "' is not a header name");
      return notifySecretEnv
          .map(v -> "env:" + v)
          .or(() -> notifySecretFile.map(f -> "file:" + f))
          .map(Secrets::where)
          .map(ref -> new EhrConnection.Notifications(check, notifyHeader, ref));
    }

    @Override
    int run(Careloop c, java.io.PrintWriter out) {
      int given =
          (fhirBase.isPresent() ? 1 : 0)
              + (healthieApi.isPresent() ? 1 : 0)
              + (athenaApi.isPresent() ? 1 : 0);
      if (given != 1)
        throw new IllegalArgumentException(
            "give --fhir-base URL (a FHIR R4 server), --healthie-api URL (Healthie) or"
                + " --athena-api URL (athenahealth's changed-data feeds), one of them");
      var api =
          healthieApi.isPresent()
              ? EhrConnection.Api.HEALTHIE
              : athenaApi.isPresent() ? EhrConnection.Api.ATHENA : EhrConnection.Api.FHIR;
      var how =
          EhrConnection.Auth.of(
              auth.orElse(
                  switch (api) {
                    case HEALTHIE -> "api-key";
                    case ATHENA -> "client-secret";
                    case FHIR -> "none";
                  }));
      if ((api == EhrConnection.Api.HEALTHIE) != (how == EhrConnection.Auth.API_KEY))
        throw new IllegalArgumentException(
            api == EhrConnection.Api.HEALTHIE
                ? "a Healthie connection signs in with its API key (--auth api-key)"
                : "--auth api-key goes with a Healthie connection (--healthie-api)");
      if (api == EhrConnection.Api.ATHENA
          && how != EhrConnection.Auth.CLIENT_SECRET
          && how != EhrConnection.Auth.SMART_BACKEND)
        throw new IllegalArgumentException(
            "an athenahealth connection signs in by client credentials: --auth client-secret"
                + " (default) or smart-backend");
      String base =
          switch (api) {
            case HEALTHIE -> AdminCommands.url("--healthie-api", healthieApi.orElseThrow().trim());
            case ATHENA -> {
              String b =
                  AdminCommands.url("--athena-api", athenaApi.orElseThrow().trim())
                      .replaceAll("/+$", "");
              if (!b.matches("https?://[^/]+/v1/[0-9]{1,12}"))
                throw new IllegalArgumentException(
                    "--athena-api is athenaOne's base with the practice's id:"
                        + " https://api.platform.athenahealth.com/v1/195900");
              yield b;
            }
            case FHIR ->
                AdminCommands.url("--fhir-base", fhirBase.orElseThrow().trim())
                    .replaceAll("/+$", "");
          };
      Optional<String> secret =
          tokenEnv
              .map(v -> "env:" + v)
              .or(() -> tokenFile.map(f -> "file:" + f))
              .map(Secrets::where);
      if (tokenEnv.isPresent() && tokenFile.isPresent())
        throw new IllegalArgumentException("give --token-env or --token-file, not both");
      switch (how) {
        case NONE -> {
          if (secret.isPresent())
            throw new IllegalArgumentException("--auth none takes no --token-env or --token-file");
        }
        case BEARER -> {
          if (secret.isEmpty())
            throw new IllegalArgumentException(
                "--auth bearer needs --token-env NAME or --token-file PATH");
        }
        case API_KEY -> {
          if (secret.isEmpty())
            throw new IllegalArgumentException(
                "a Healthie connection needs --api-key-env NAME or --api-key-file PATH");
        }
        case CLIENT_SECRET -> {
          if (secret.isEmpty())
            throw new IllegalArgumentException(
                "--auth client-secret needs --client-secret-env NAME or --client-secret-file PATH");
          if (clientId.filter(v -> !v.isBlank()).isEmpty())
            throw new IllegalArgumentException(
                "--auth client-secret needs --client-id (the id the EHR gave careloop's app)");
        }
        case SMART_BACKEND -> {
          if (secret.isPresent())
            throw new IllegalArgumentException(
                "--auth smart-backend signs with careloop's own key (careloop ehr keys generate),"
                    + " not a token");
          if (clientId.filter(v -> !v.isBlank()).isEmpty())
            throw new IllegalArgumentException(
                "--auth smart-backend needs --client-id (the id the EHR gave careloop's app)");
        }
      }
      boolean oauth =
          how == EhrConnection.Auth.SMART_BACKEND || how == EhrConnection.Auth.CLIENT_SECRET;
      if (!oauth && (clientId.isPresent() || tokenEndpoint.isPresent() || scope.isPresent()))
        throw new IllegalArgumentException(
            "--client-id, --scope and --token-endpoint go with --auth smart-backend or"
                + " client-secret");
      if (how == EhrConnection.Auth.CLIENT_SECRET
          && api == EhrConnection.Api.FHIR
          && tokenEndpoint.isEmpty())
        throw new IllegalArgumentException(
            "--auth client-secret needs --token-endpoint URL (the EHR's OAuth token endpoint)");
      if (api == EhrConnection.Api.ATHENA) {
        // athenaOne's token endpoint is on the API's host; its scope is the athenaNet API's.
        var host = java.net.URI.create(base);
        if (tokenEndpoint.isEmpty())
          tokenEndpoint =
              Optional.of(host.getScheme() + "://" + host.getRawAuthority() + "/oauth2/v1/token");
        if (scope.isEmpty()) scope = Optional.of(ATHENA_SCOPE);
      }
      tokenEndpoint.ifPresent(t -> AdminCommands.url("--token-endpoint", t));
      var notifications = notifications(api);
      var now = c.clock().instant();
      c.ehrSetup()
          .connect(
              actor.actor(),
              new EhrConnection(
                  practice.practice,
                  name,
                  base,
                  how,
                  clientId.map(String::trim),
                  oauth ? Optional.of(scope.orElse(DEFAULT_SCOPE)) : Optional.empty(),
                  tokenEndpoint.map(String::trim),
                  secret,
                  notifications,
                  now,
                  Optional.empty(),
                  switch (staffTasks) {
                    case "careloop" -> false;
                    case "ehr" -> {
                      if (api != EhrConnection.Api.FHIR)
                        throw new IllegalArgumentException(
                            "careloop writes nothing to "
                                + (api == EhrConnection.Api.HEALTHIE ? "Healthie" : "athenaOne")
                                + ": its staff's tasks stay in careloop's worklist"
                                + " (--staff-tasks careloop)");
                      yield true;
                    }
                    default ->
                        throw new IllegalArgumentException(
                            "--staff-tasks '" + staffTasks + "' is not one of careloop, ehr");
                  },
                  api),
              now);
      out.println(
          "EHR connection "
              + name
              + ": "
              + base
              + " ("
              + switch (api) {
                case FHIR -> "";
                case HEALTHIE -> "Healthie, ";
                case ATHENA -> "athenahealth, ";
              }
              + how.words()
              + "); try it with: careloop ehr test "
              + name);
      if (notifications.isPresent())
        out.println(
            "notifications to "
                + EhrNotificationController.url(practice.practice, name)
                + " ("
                + notifications.get().check().words()
                + ")");
      return 0;
    }
  }

  @Command(name = "list", description = "Lists the practice's EHR connections.")
  static final class ListCmd extends ListingCommands.Listing {
    @CommandLine.Mixin PracticeMixin practice;

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var all = c.ehrSetup().connections(practice.practice);
        print(
            all,
            () -> {
              if (all.isEmpty()) out().println("no EHR connections (careloop ehr connect NAME …)");
              for (var e : all)
                out()
                    .println(
                        e.name()
                            + "  "
                            + e.fhirBase()
                            + "  "
                            + e.auth().words()
                            + (e.active() ? "" : "  (disconnected)"));
            });
        return 0;
      }
    }
  }

  @Command(name = "show", description = "Shows an EHR connection and how far polling has read it.")
  static final class Show extends ListingCommands.Listing {
    @CommandLine.Mixin PracticeMixin practice;

    @Parameters(index = "0", description = "the connection's name")
    String name = "";

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var shown =
            c.ehrSetup()
                .show(practice.practice, name)
                .orElseThrow(
                    () -> new IllegalArgumentException("no EHR connection '" + name + "'"));
        print(
            shown,
            () -> {
              var e = shown.connection();
              out().println("EHR connection " + e.name() + " of practice " + e.practiceId());
              out()
                  .println(
                      (e.api() == EhrConnection.Api.HEALTHIE
                              ? "  healthie api  "
                              : "  fhir base     ")
                          + e.fhirBase());
              out().println("  sign-in       " + e.auth().words());
              out().println("  secret from   " + e.secretRef().orElse("-"));
              out().println("  connected     " + e.createdAt());
              e.disconnectedAt().ifPresent(at -> out().println("  disconnected  " + at));
              out()
                  .println(
                      "  notifications "
                          + e.notifications()
                              .map(n ->
                                  EhrNotificationController.url(e.practiceId(), e.name())
                                      + " ("
                                      + n.check().words()
                                      + (n.check() == EhrConnection.Check.HEADER
                                          ? " " + n.header()
                                          : "")
                                      + ", secret from "
                                      + n.secretRef()
                                      + ")")
                              .orElse("none taken (polled only)"));
              shown
                  .subscription()
                  .ifPresent(sub ->
                      out()
                          .println(
                              "  last notified "
                                  + sub.at()
                                  + " ("
                                  + sub.type()
                                  + sub.eventsSeen().map(n -> ", event " + n).orElse("")
                                  + ")"));
              out()
                  .println(
                      "  staff tasks   "
                          + (e.staffTasks()
                              ? "written to the EHR's task list (FHIR Task)"
                              : "careloop's worklist only"));
              out().println("  events to work " + shown.pending());
              if (shown.cursors().isEmpty()) out().println("  polled        never");
              shown
                  .cursors()
                  .forEach((type, at) -> out().printf("  %-14s read up to %s%n", type, at));
            });
        return 0;
      }
    }
  }

  @Command(
      name = "test",
      description =
          "Tries an EHR connection: its sign-in, its capability statement and a search; says"
              + " what works. Exit code 1 when a step fails.")
  static final class Test extends OnConnection {
    @Override
    int run(Careloop c, java.io.PrintWriter out) {
      var connection = c.ehrPolling().active(practice.practice, name);
      boolean ok = true;
      for (var check : c.ehrClient().check(connection)) {
        out.println((check.ok() ? "ok    " : "FAIL  ") + check.step() + ": " + check.detail());
        ok &= check.ok();
      }
      return ok ? 0 : 1;
    }
  }

  @Command(
      name = "poll",
      description =
          "Polls an EHR connection once now: imports what changed since the last poll (everything"
              + " the first time).")
  static final class Poll extends OnConnection {
    @Override
    int run(Careloop c, java.io.PrintWriter out) {
      var result = c.ehrPolling().poll(practice.practice, name, c.clock().instant());
      out.println(
          "read "
              + result.read().entrySet().stream()
                  .map(e -> e.getValue() + " " + e.getKey())
                  .collect(java.util.stream.Collectors.joining(", ")));
      out.println(result.imported().map(r -> r.summary()).orElse("nothing changed"));
      result.notes().forEach(n -> out.println("  note: " + n));
      return 0;
    }
  }

  @Command(
      name = "disconnect",
      description = "Stops polling an EHR connection; its settings and cursors stay.")
  static final class Disconnect extends OnConnection {
    @Override
    int run(Careloop c, java.io.PrintWriter out) {
      c.ehrSetup().disconnect(actor.actor(), practice.practice, name, c.clock().instant());
      out.println("EHR connection " + name + " disconnected");
      return 0;
    }
  }

  @Command(
      name = "keys",
      description =
          "careloop's keys for SMART Backend Services: published at"
              + " $CARELOOP_PUBLIC_URL/.well-known/jwks.json.",
      subcommands = {KeyGenerate.class, KeyList.class, KeyRetire.class})
  static final class Keys implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  @Command(
      name = "generate",
      description =
          "Makes a new signing key; careloop signs with the newest. Keep the old one until every"
              + " EHR has fetched the JWKS again, then retire it.")
  static final class KeyGenerate implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Mixin PracticeMixin practice;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--alg", defaultValue = "RS384", description = "RS384 (default) or ES384")
    String alg = "RS384";

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var now = c.clock().instant();
        var key = org.careloop.adapters.smart.SmartKeys.generate(practice.practice, alg, now);
        c.ehrSetup().addKey(actor.actor(), key, now);
        spec.commandLine()
            .getOut()
            .println(
                "signing key "
                    + key.kid()
                    + " ("
                    + key.alg()
                    + "), published at "
                    + Careloop.publicUrl()
                    + "/.well-known/jwks.json");
        return 0;
      }
    }
  }

  @Command(name = "list", description = "Lists the practice's signing keys, newest first.")
  static final class KeyList extends ListingCommands.Listing {
    @CommandLine.Mixin PracticeMixin practice;

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var keys =
            c.ehrSetup().keys(practice.practice).stream()
                .map(k ->
                    new KeyShown(
                        k.kid(),
                        k.alg(),
                        k.createdAt(),
                        k.retiredAt().map(Object::toString).orElse("")))
                .toList();
        print(
            keys,
            () -> {
              if (keys.isEmpty()) out().println("no signing keys (careloop ehr keys generate)");
              for (var k : keys)
                out()
                    .println(
                        k.kid()
                            + "  "
                            + k.alg()
                            + "  made "
                            + k.createdAt()
                            + (k.retiredAt().isEmpty() ? "" : "  retired " + k.retiredAt()));
            });
        return 0;
      }
    }

    /** A key as listed: never its private part. */
    record KeyShown(String kid, String alg, java.time.Instant createdAt, String retiredAt) {}
  }

  @Command(name = "retire", description = "Stops signing with a key and takes it out of the JWKS.")
  static final class KeyRetire implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Mixin PracticeMixin practice;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "the key's kid")
    String kid = "";

    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        c.ehrSetup().retireKey(actor.actor(), practice.practice, kid, c.clock().instant());
        spec.commandLine().getOut().println("signing key " + kid + " retired");
        return 0;
      }
    }
  }
}
