package org.careloop.server;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.careloop.server.AdminCommands.ActorMixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code careloop user}: the people who sign in. */
final class UserCommands {

  private UserCommands() {}

  @Command(
      name = "user",
      description =
          "Adds a person who signs in to the workspace, or changes their name, role or password.")
  static final class UserCmd implements Callable<Integer> {
    @CommandLine.Mixin CareloopCommand.DbMixin dbm;
    @CommandLine.Mixin ActorMixin actor;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "add|out|back")
    String verb;

    @Parameters(index = "1", paramLabel = "USERNAME")
    String username;

    @Option(
        names = "--role",
        description = "coordinator, front-desk, nurse, provider, manager or admin")
    String role = "";

    @Option(names = "--name", description = "the name people see")
    String name = "";

    @Option(names = "--practice", defaultValue = Careloop.DEFAULT_PRACTICE)
    String practice;

    @Option(
        names = "--email",
        description = "their work email: managers get the weekly care-gap report's notice there")
    Optional<String> email = Optional.empty();

    @Option(names = "--password-stdin", description = "read the password from standard input")
    boolean passwordStdin;

    @Option(
        names = "--password",
        description = "the password (prefer --password-stdin: a command line is visible to others)")
    Optional<String> password = Optional.empty();

    @Override
    public Integer call() throws java.io.IOException {
      if (verb.equals("out") || verb.equals("back")) {
        try (var c = dbm.open(2)) {
          if (!c.administration().setOut(username, verb.equals("out")))
            throw new IllegalArgumentException("no user " + username);
          c.administration()
              .audit(
                  actor.actor(),
                  Optional.empty(),
                  "user." + verb,
                  "user " + username,
                  c.clock().instant());
          spec.commandLine()
              .getOut()
              .println(
                  username
                      + (verb.equals("out") ? " is out: cases go to their backups" : " is back"));
          return 0;
        }
      }
      if (!verb.equals("add"))
        throw new IllegalArgumentException("user takes add, out or back, not '" + verb + "'");
      String secret =
          passwordStdin
              ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                  .strip()
              : password.orElseThrow(
                  () -> new IllegalArgumentException("give --password-stdin or --password"));
      if (role.isBlank() || name.isBlank())
        throw new IllegalArgumentException("user add needs --role and --name");
      try (var c = dbm.open(2)) {
        Accounts.save(
            c,
            practice,
            username,
            name,
            role,
            secret,
            email.map(e -> AdminCommands.email("--email", e)));
        c.administration()
            .audit(
                actor.actor(),
                Optional.of(practice),
                "user.save",
                "user " + username,
                c.clock().instant());
        spec.commandLine()
            .getOut()
            .println("user " + username + " (" + role + ") saved in practice " + practice);
        return 0;
      }
    }
  }
}
