package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.careloop.app.reports.Dashboard;
import org.junit.jupiter.api.Test;

/** The README says what each dashboard figure means, in the words the page shows. */
class ReadmeFiguresTest {
  @Test
  void everyFigure_isInTheReadme_withItsDefinition() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    for (var m : Dashboard.METRICS)
      assertThat(readme)
          .as(m.id())
          .contains(
              "| "
                  + m.title()
                  + m.groupedBy().map(g -> " (by " + g + ")").orElse("")
                  + " | "
                  + m.definition()
                  + " |");
    assertThat(Path.of("../docs/dashboard.png")).exists();
  }
}
