package org.careloop.server;

import java.time.Instant;
import org.careloop.core.Protocol;
import org.springframework.web.util.HtmlUtils;

/** A plain overview page: counts, the ranked task list and the care gaps. */
final class StatusPage {
  private StatusPage() {}

  static String esc(Object o) {
    return HtmlUtils.htmlEscape(String.valueOf(o));
  }

  static String render(Careloop c) {
    Instant now = c.clock().instant();
    var tasks = c.read().tasks();
    var gaps = c.read().careGaps(now, Protocol.treatmentPlanFollowUp().gapTiers());
    var html = new StringBuilder();
    html.append("<!doctype html><html lang=en><head><meta charset=utf-8><title>careloop</title>")
        .append(
            "<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:1100px}table{border-collapse:collapse;width:100%;margin-bottom:2rem}")
        .append(
            "td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}.n{font-size:1.6rem;font-weight:600}.k{display:inline-block;margin-right:2.5rem}</style></head><body>")
        .append("<h1>careloop</h1><p>Clock: ")
        .append(esc(now))
        .append(c.isSimulated() ? " (simulated)" : "")
        .append("</p><div>");
    metric(html, "active plans", c.read().activePlanCount());
    metric(html, "open tasks", tasks.size());
    metric(html, "open care gaps", gaps.size());
    metric(html, "messages sent", c.read().sentMessageCount());
    html.append(
        "</div><h2>Worklist</h2><table><tr><th>Priority</th><th>Lane</th><th>Patient</th><th>Task</th><th>Respond by</th></tr>");
    tasks.stream()
        .limit(50)
        .forEach(t ->
            html.append("<tr><td>")
                .append(esc(t.priority()))
                .append("</td><td>")
                .append(esc(t.lane()))
                .append("</td><td>")
                .append(esc(t.patient()))
                .append("</td><td>")
                .append(esc(t.title()))
                .append("</td><td>")
                .append(esc(t.respondBy()))
                .append("</td></tr>"));
    html.append(
        "</table><h2>Care gaps</h2><table><tr><th>Tier</th><th>Days overdue</th><th>Patient</th><th>Step</th><th>Plan</th></tr>");
    gaps.stream()
        .limit(50)
        .forEach(g ->
            html.append("<tr><td>")
                .append(g.tier())
                .append("</td><td>")
                .append(g.daysOverdue())
                .append("</td><td>")
                .append(esc(g.patient()))
                .append("</td><td>")
                .append(esc(g.step()))
                .append("</td><td><a href=\"/api/plans/")
                .append(esc(g.planId()))
                .append("\">")
                .append(esc(g.planId()))
                .append("</a></td></tr>"));
    html.append(
        "</table><p>API: <a href=/api/plans>/api/plans</a> · <a href=/api/tasks>/api/tasks</a> · <a href=/api/outbox>/api/outbox</a> · <a href=/api/care-gaps>/api/care-gaps</a></p></body></html>");
    return html.toString();
  }

  private static void metric(StringBuilder html, String label, long n) {
    html.append("<span class=k><span class=n>")
        .append(n)
        .append("</span><br>")
        .append(esc(label))
        .append("</span>");
  }
}
