package org.careloop.server;

import java.time.Instant;
import org.careloop.adapters.csv.WeeklyExportReader;

/**
 * Three high-risk follow-ups of the demo's second practice, Lakeside Dental: each starts a case at
 * once, so tests see that one practice's people never see another's.
 */
final class LakesideCases {
  private LakesideCases() {}

  static void load(Careloop careloop, Instant today) {
    String csv =
        """
        patient_id,name,phone,email,provider,follow_up_type,due_date,flags
        LK1,Omar Haddad,312-555-0141,,Dr. Singh,follow-up visit,2026-12-15,high risk
        LK2,Ines Duarte,312-555-0142,,Dr. Singh,imaging,2026-12-20,high risk
        LK3,Theo Grant,312-555-0143,,Dr. Singh,lab,2026-12-05,high risk
        """;
    careloop
        .importer()
        .importBatch(
            new WeeklyExportReader(DemoUsers.LAKESIDE, DemoPrograms.LAKESIDE_ZONE, "US")
                .read(csv, "lakeside.csv", today),
            today);
  }
}
