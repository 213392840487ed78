package org.careloop.adapters.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.jdbc.ProtocolVersions;
import org.careloop.app.InputRejected;
import org.careloop.app.Protocols;
import org.careloop.core.Protocol;

/**
 * The protocols careloop runs: the shipped files, the practice's own folder, and every version
 * stored before. Read and checked at start; a file with a problem stops the start with its
 * file:line. A version is stored the first time it is read; the same id and version with other
 * content is refused (a change needs a new version), so a running plan is always decided by the
 * exact protocol it started on.
 */
public final class ProtocolLibrary {
  /** The protocol files careloop ships, under {@code /protocols/} on the class path. */
  public static final List<String> SHIPPED =
      List.of(
          "treatment-plan-follow-up.v1.yaml",
          "dental-unaccepted-treatment.v1.yaml",
          "dental-unaccepted-treatment.v2.yaml",
          "weekly-recall.v1.yaml",
          "post-visit.v1.yaml",
          "post-visit.v2.yaml");

  /**
   * The protocol a plan runs on when no trigger of another claims it: the shipped treatment-plan
   * follow-up. Its content is only ever the file's; there is no copy of it in code.
   */
  public static final String DEFAULT_PROTOCOL = "treatment-plan-follow-up";

  /** The coordinator lanes' file, shipped and optionally in the practice's folder. */
  public static final String LANES = "lanes.yaml";

  private ProtocolLibrary() {}

  /**
   * The coordinator lanes: the practice's {@code lanes.yaml} when its folder has one, else the
   * shipped file.
   *
   * @throws InputRejected naming file and line when the file has problems
   */
  public static org.careloop.app.engine.LaneRules lanes(Optional<Path> folder) {
    String file = LANES;
    String text = shipped(LANES);
    if (folder.isPresent() && Files.exists(folder.get().resolve(LANES))) {
      file = folder.get().resolve(LANES).toString();
      try {
        text = Files.readString(folder.get().resolve(LANES));
      } catch (IOException e) {
        throw new InputRejected(file, "cannot read: " + e.getMessage(), e);
      }
    }
    var r = LaneFile.read(file, text);
    if (r.rules().isEmpty())
      throw new InputRejected(
          file,
          "lane problems:\n  "
              + String.join("\n  ", r.problems().stream().map(Object::toString).toList()));
    return r.rules().get();
  }

  /** The shipped files and the {@code .yaml} files of {@code folder}, read and checked. */
  public static List<ProtocolFile.Result> read(Optional<Path> folder) {
    var results = new ArrayList<ProtocolFile.Result>();
    for (String name : SHIPPED) results.add(ProtocolFile.read(name, shipped(name)));
    if (folder.isPresent()) {
      if (!Files.isDirectory(folder.get()))
        throw new InputRejected(folder.get().toString(), "the protocols folder does not exist");
      try (var files = Files.list(folder.get())) {
        for (var f :
            files
                .filter(p -> p.toString().endsWith(".yaml"))
                .filter(p -> !p.getFileName().toString().equals(LANES))
                .sorted()
                .toList()) results.add(ProtocolFile.read(f.toString(), Files.readString(f)));
      } catch (IOException e) {
        throw new InputRejected(folder.get().toString(), "cannot read: " + e.getMessage(), e);
      }
    }
    return results;
  }

  /**
   * One shipped protocol file, read and checked.
   *
   * @throws IllegalStateException when the shipped file has problems (a defect of the build)
   */
  public static Protocol shippedProtocol(String name) {
    var r = ProtocolFile.read(name, shipped(name));
    return r.protocol()
        .orElseThrow(() ->
            new IllegalStateException(
                "shipped protocol " + name + " has problems: " + r.problems()));
  }

  static String shipped(String name) {
    try (InputStream in = ProtocolLibrary.class.getResourceAsStream("/protocols/" + name)) {
      if (in == null) throw new IllegalStateException("shipped protocol " + name + " is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read shipped protocol " + name, e);
    }
  }

  /**
   * Reads the files, stores versions seen for the first time, and returns every stored version.
   *
   * @throws InputRejected naming file and line when a file has problems, or when a version was
   *     stored before with other content
   */
  public static Protocols load(ProtocolVersions versions, Optional<Path> folder, Instant now) {
    var results = read(folder);
    var problems = new ArrayList<String>();
    for (var r : results) r.problems().forEach(p -> problems.add(p.toString()));
    if (!problems.isEmpty())
      throw new InputRejected(
          results.stream().filter(r -> !r.ok()).findFirst().orElseThrow().file(),
          "protocol problems:\n  " + String.join("\n  ", problems));
    for (var r : results) {
      var p = r.protocol().orElseThrow();
      String sha = sha256(r.source());
      var stored = versions.find(p.id(), p.version());
      if (stored.isEmpty()) {
        versions.insert(
            new ProtocolVersions.Stored(p.id(), p.version(), sha, r.source(), r.file(), now));
      } else if (!stored.get().sha256().equals(sha)) {
        throw new InputRejected(
            r.file(),
            p.id()
                + " v"
                + p.version()
                + " was loaded before (from "
                + stored.get().file()
                + " at "
                + stored.get().loadedAt()
                + ") with other content; plans run on it, so a change needs a new version");
      }
    }
    var all = new ArrayList<Protocol>();
    for (var s : versions.all()) {
      var r = ProtocolFile.read(s.file(), s.source());
      // Stored text was checked when stored; a newer careloop that reads it otherwise must say so.
      all.add(
          r.protocol()
              .orElseThrow(() ->
                  new IllegalStateException(
                      "stored protocol "
                          + s.protocolId()
                          + " v"
                          + s.version()
                          + " no longer reads: "
                          + r.problems())));
    }
    return new Protocols(all);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
