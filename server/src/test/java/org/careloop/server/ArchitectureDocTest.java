package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/ARCHITECTURE.md's table of where each rule lives names files that exist. */
class ArchitectureDocTest {
  @Test
  void everyFileTheRuleTableNames_exists() throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String doc = Files.readString(root.resolve("docs/ARCHITECTURE.md"));
    String table =
        doc.substring(
            doc.indexOf("## Where each rule lives"), doc.indexOf("## Timers are derived"));
    var named = new ArrayList<String>();
    var file =
        Pattern.compile("`((?:core|app|adapters|server)/src/[^`]+\\.(?:java|yaml))`")
            .matcher(table);
    while (file.find()) named.add(file.group(1));
    assertThat(named).as("files the table names").hasSizeGreaterThan(20);
    assertThat(named).allSatisfy(f -> assertThat(root.resolve(f)).as(f).isRegularFile());
  }
}
