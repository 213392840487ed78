package org.careloop.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.careloop.adapters.protocol.LaneFile;
import org.careloop.adapters.protocol.ProtocolFile;
import org.careloop.adapters.protocol.ProtocolLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code careloop protocol}: check protocol files, list the loaded versions, preview what fires.
 */
@Command(
    name = "protocol",
    description = "Protocols: lint files, list loaded versions, preview what would fire.",
    subcommands = {
      ProtocolCommands.Lint.class,
      ProtocolCommands.ListCmd.class,
      ProtocolCommands.PreviewCmd.class
    })
final class ProtocolCommands implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "lint",
      description =
          "Checks protocol files: prints file:line: problem for each mistake; exit 2 if any.")
  static final class Lint implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      int bad = 0;
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      for (var f : files) {
        String text;
        try {
          text = Files.readString(f);
        } catch (IOException e) {
          err.println(f + ": cannot read: " + e.getMessage());
          bad++;
          continue;
        }
        if (f.getFileName().toString().equals(ProtocolLibrary.LANES)) {
          var lanes = LaneFile.read(f.toString(), text);
          if (lanes.rules().isPresent()) out.println(f + ": ok (coordinator lanes)");
          else {
            bad++;
            lanes.problems().forEach(err::println);
          }
          continue;
        }
        var r = ProtocolFile.read(f.toString(), text);
        if (r.ok()) {
          var p = r.protocol().orElseThrow();
          out.println(
              f
                  + ": ok ("
                  + p.id()
                  + " v"
                  + p.version()
                  + ", "
                  + p.betweenSteps().size()
                  + " touches)");
        } else {
          bad++;
          r.problems().forEach(err::println);
        }
      }
      out.flush();
      err.flush();
      return bad == 0 ? 0 : 2;
    }
  }

  @Command(name = "list", description = "Lists the protocol versions this database has loaded.")
  static final class ListCmd extends ListingCommands.Listing {
    @Override
    public Integer call() {
      try (var c = dbm.open(2)) {
        var rows = c.loadedProtocols();
        print(
            rows.stream()
                .map(r ->
                    new TreeMap<>(
                        java.util.Map.of(
                            "protocol", r.protocolId(),
                            "version", r.version(),
                            "file", r.file(),
                            "loadedAt", r.loadedAt().toString(),
                            "sha256", r.sha256())))
                .toList(),
            () -> {
              var latest = new TreeMap<String, Integer>();
              rows.forEach(r -> latest.merge(r.protocolId(), r.version(), Math::max));
              for (var r : rows)
                out()
                    .printf(
                        "%-30s v%-3d %-8s loaded %s from %s%n",
                        r.protocolId(),
                        r.version(),
                        Objects.equals(latest.get(r.protocolId()), r.version())
                            ? "(latest)"
                            : "(older)",
                        r.loadedAt(),
                        r.file());
            });
        return 0;
      }
    }
  }

  @Command(
      name = "preview",
      description =
          "What would fire in the next N days across live plans, per day, protocol and channel;"
              + " nothing is sent. Assumes no replies and no EHR updates.")
  static final class PreviewCmd extends ListingCommands.Listing {
    @Option(names = "--days", defaultValue = "14", description = "how many days ahead (1-366)")
    int days;

    @Override
    public Integer call() {
      if (days < 1 || days > 366)
        throw new IllegalArgumentException("--days must be 1 to 366, got " + days);
      try (var c = dbm.open(2)) {
        var result = c.preview(days);
        print(
            result,
            () -> {
              out()
                  .printf(
                      "next %d day(s) from %s, %d live plan(s) waking; nothing is sent%n",
                      days, c.clock().instant(), result.plans());
              // One line per day and protocol, a column per channel.
              var table = new TreeMap<String, java.util.Map<String, Integer>>();
              for (var r : result.rows())
                table
                    .computeIfAbsent(r.day() + "  " + r.protocol(), k -> new java.util.HashMap<>())
                    .merge(r.what(), r.count(), Integer::sum);
              out()
                  .printf(
                      "%-44s %5s %5s %5s %8s%n",
                      "day         protocol", "SMS", "EMAIL", "TASK", "PROVIDER");
              table.forEach((k, v) ->
                  out()
                      .printf(
                          "%-44s %5d %5d %5d %8d%n",
                          k,
                          v.getOrDefault("SMS", 0),
                          v.getOrDefault("EMAIL", 0),
                          v.getOrDefault("TASK", 0),
                          v.getOrDefault("PROVIDER", 0)));
              int messages =
                  result.rows().stream()
                      .filter(r -> r.what().equals("SMS") || r.what().equals("EMAIL"))
                      .mapToInt(r -> r.count())
                      .sum();
              int tasks =
                  result.rows().stream()
                      .filter(r -> r.what().equals("TASK"))
                      .mapToInt(r -> r.count())
                      .sum();
              out().println(messages + " message(s), " + tasks + " task(s)");
            });
        return 0;
      }
    }
  }
}
