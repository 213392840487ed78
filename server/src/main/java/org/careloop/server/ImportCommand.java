package org.careloop.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.careloop.adapters.csv.SyntheaExportReader;
import org.careloop.app.InputRejected;
import org.careloop.app.Utf8Text;
import org.careloop.app.intake.ImportBatch;
import org.careloop.app.intake.Importer;
import org.careloop.server.CareloopCommand.DbMixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code careloop import}: plans from FHIR R4 JSON or the weekly CSV export. */
final class ImportCommand {

  private ImportCommand() {}

  @Command(
      name = "import",
      description = "Imports plans from FHIR R4 JSON or the weekly CSV export.",
      subcommands = {Import.Fhir.class, Import.Csv.class})
  static final class Import implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "say what to import: fhir PATH or csv PATH");
    }

    /** Files under PATH with the extension, sorted; PATH itself when it is a file. */
    static List<Path> files(Path path, String ext) {
      if (!Files.exists(path)) throw new InputRejected(path.toString(), "no such file or folder");
      if (Files.isRegularFile(path)) return List.of(path);
      try (Stream<Path> s = Files.walk(path)) {
        return s.filter(Files::isRegularFile)
            .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext))
            .sorted()
            .toList();
      } catch (IOException e) {
        throw new InputRejected(path.toString(), "cannot read: " + e.getMessage(), e);
      }
    }

    static String text(Path p) {
      try {
        return Utf8Text.decode(Files.readAllBytes(p), p.toString());
      } catch (IOException e) {
        throw new InputRejected(p.toString(), "cannot read: " + e.getMessage(), e);
      }
    }

    /** Whether this process talks to a terminal (Console.isTerminal from JDK 22 on). */
    @SuppressWarnings("SystemConsoleNull") // on JDK 21 it still returns null without a terminal
    static boolean onTerminal() {
      var console = System.console();
      if (console == null) return false;
      try {
        return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
      } catch (ReflectiveOperationException e) {
        return true; // JDK 21: a console exists only for a terminal
      }
    }

    /** Reads every file first, so one bad file stops the import before anything is stored. */
    static int importAll(Careloop c, List<ImportBatch> batches, PrintWriter out) {
      // A person at a terminal sees a long import move; a script's output stays the summary.
      Importer.Progress progress =
          onTerminal()
              ? (what, done, total) ->
                  System.err.println("careloop: " + done + " of " + total + " " + what + "…")
              : Importer.Progress.NONE;
      for (var b : batches) {
        var result = c.importBatch(b, progress);
        out.println(result.summary());
        for (var note : result.notes()) out.println("  note: " + note);
      }
      return 0;
    }

    /** An import of the files at PATH: read them all first, then import each. */
    abstract static class FileImport implements Callable<Integer> {
      @CommandLine.Mixin DbMixin dbm;

      @Parameters(paramLabel = "PATH")
      Path path;

      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      abstract List<ImportBatch> read(Careloop c);

      @Override
      public Integer call() {
        try (var c = dbm.open(2)) {
          return importAll(c, read(c), spec.commandLine().getOut());
        }
      }
    }

    @Command(
        name = "fhir",
        description =
            "Imports a FHIR R4 JSON file (Bundle or single resource) or every .json under a folder.")
    static final class Fhir extends FileImport {
      @Override
      List<ImportBatch> read(Careloop c) {
        var reader = c.fhirReader();
        var batches = new ArrayList<ImportBatch>();
        for (var f : files(path, ".json")) batches.add(reader.read(text(f), f.toString()));
        return batches;
      }
    }

    @Command(
        name = "csv",
        description =
            "Imports the weekly follow-up CSV export (a file, or every .csv under a folder).")
    static final class Csv extends FileImport {
      @Override
      List<ImportBatch> read(Careloop c) {
        var reader = c.csvReader();
        var batches = new ArrayList<ImportBatch>();
        var texts = new java.util.LinkedHashMap<Path, String>();
        for (var f : files(path, ".csv")) texts.put(f, text(f));
        // Folders whose careplans.csv is a Synthea export: their other files are not read.
        var syntheaFolders = new java.util.HashSet<Path>();
        texts.forEach((f, text) -> {
          if (f.getFileName().toString().equals("careplans.csv")
              && SyntheaExportReader.isCarePlans(text))
            syntheaFolders.add(f.toAbsolutePath().getParent());
        });
        for (var entry : texts.entrySet()) {
          var f = entry.getKey();
          String text = entry.getValue();
          if (SyntheaExportReader.isCarePlans(text)) {
            // A Synthea CSV export: careplans.csv joined to the patients.csv beside it.
            var patients = f.resolveSibling("patients.csv");
            if (!Files.isRegularFile(patients)) {
              throw new InputRejected(
                  f.toString(), "is a Synthea careplans.csv; its patients.csv must be beside it");
            }
            String patientsText =
                texts.containsKey(patients) ? texts.get(patients) : text(patients);
            batches.add(
                c.syntheaReader().read(text, f.toString(), patientsText, patients.toString()));
          } else if (syntheaFolders.contains(f.toAbsolutePath().getParent())) {
            spec.commandLine()
                .getOut()
                .println(
                    f + ": part of a Synthea export; only careplans.csv and patients.csv are read");
          } else {
            batches.add(reader.read(text, f.toString(), c.clock().instant()));
          }
        }
        return batches;
      }
    }
  }
}
