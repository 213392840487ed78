package org.careloop.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** {@code careloop serve}: the HTTP API and the poller that runs wake-ups and the outbox. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
  ApiController.class,
  JwksController.class,
  EhrNotificationController.class,
  MessagingController.class,
  WorkspaceController.class,
  WorklistController.class,
  ReportsController.class,
  DashboardController.class,
  SecurityConfig.class,
  ApiAudit.class
})
public class WebServer {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);

  @org.springframework.context.annotation.Bean
  org.springframework.boot.web.servlet.FilterRegistrationBean<BodyLimit> bodyLimit() {
    var registration =
        new org.springframework.boot.web.servlet.FilterRegistrationBean<>(
            new BodyLimit(BodyLimit.configured().toBytes()));
    registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @org.springframework.context.annotation.Bean
  org.springframework.boot.web.servlet.FilterRegistrationBean<QuietErrors> quietErrors() {
    var registration =
        new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new QuietErrors());
    registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** How often the poller looks for due wake-ups and outbox items. */
  static final Duration POLL = Duration.ofMillis(500);

  /** How often the bounce mailbox is read, when one is configured. */
  static final Duration BOUNCE_POLL = Duration.ofMinutes(2);

  /** How often careloop looks for a weekly care-gap report that is due. */
  static final Duration REPORT_POLL = Duration.ofMinutes(1);

  /** Starts the web server and the poller; returns when the JVM is asked to stop. */
  public static void run(Careloop careloop, int port) throws InterruptedException {
    var ctx = start(careloop, port);
    Thread.ofVirtual()
        .name("dashboard-warm-up")
        .start(() -> {
          try {
            DashboardController.warm(careloop);
          } catch (RuntimeException e) {
            // Only the first dashboard is slower for it; it names no patient.
            log.warn("warming the dashboards failed ({})", e.getClass().getName());
          }
        });
    startPoller(careloop, ctx);
  }

  /**
   * How often every connected EHR is polled: CARELOOP_EHR_POLL (a duration such as {@code PT5M} or
   * {@code 5m}), 5 minutes by default.
   */
  static java.time.Duration ehrPollEvery() {
    var v = Channels.env("CARELOOP_EHR_POLL").orElse("5m").trim();
    try {
      if (v.matches("\\d+[smh]"))
        return switch (v.charAt(v.length() - 1)) {
          case 's' -> java.time.Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
          case 'm' -> java.time.Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
          default -> java.time.Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
        };
      var d = java.time.Duration.parse(v);
      if (d.isNegative() || d.isZero()) throw new java.time.format.DateTimeParseException(v, v, 0);
      return d;
    } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
      throw new IllegalStateException(
          "CARELOOP_EHR_POLL '" + v + "' is not a duration such as 5m, 30s or PT5M");
    }
  }

  /**
   * How long a signed-in session lasts without activity: CARELOOP_SESSION_TIMEOUT (a Spring
   * duration such as {@code 30m} or {@code 2h}), 30 minutes by default.
   */
  static String sessionTimeout() {
    return Channels.env("CARELOOP_SESSION_TIMEOUT").orElse("30m");
  }

  /**
   * How often notified EHR events are looked for besides when a notification wakes the work: the
   * ones whose retry came due, and any a crash left.
   */
  static final java.time.Duration EHR_WORK_EVERY = java.time.Duration.ofSeconds(5);

  /** Starts the web server alone (no poller) on {@code port}, 0 for any free one. */
  static org.springframework.context.ConfigurableApplicationContext start(
      Careloop careloop, int port) {
    var app = new SpringApplication(WebServer.class);
    app.setDefaultProperties(
        Map.ofEntries(
            Map.entry("server.port", String.valueOf(port)),
            Map.entry("server.address", "127.0.0.1"),
            Map.entry("spring.main.banner-mode", "off"),
            Map.entry("spring.jmx.enabled", "false"),
            Map.entry("server.servlet.session.cookie.http-only", "true"),
            Map.entry("server.servlet.session.cookie.same-site", "lax"),
            Map.entry(
                "server.servlet.session.cookie.secure",
                String.valueOf(Careloop.publicUrl().startsWith("https://"))),
            Map.entry("server.servlet.session.timeout", sessionTimeout()),
            // Forms are parsed by Tomcat: the same body limit as every other request.
            Map.entry(
                "server.tomcat.max-http-form-post-size", BodyLimit.configured().toBytes() + "B"),
            // Error answers are careloop's own page (or a bare JSON status): never Spring's
            // Whitelabel page, a stack trace, an exception's message or a submitted value.
            Map.entry("server.error.whitelabel.enabled", "false"),
            Map.entry("server.error.include-stacktrace", "never"),
            Map.entry("server.error.include-message", "never"),
            Map.entry("server.error.include-exception", "false"),
            Map.entry("server.error.include-binding-errors", "never")));
    app.addInitializers(c -> c.getBeanFactory().registerSingleton("careloop", careloop));
    return app.run();
  }

  // The pollers catch and log their own failures; nothing waits on their futures.
  @SuppressWarnings("FutureReturnValueIgnored")
  private static void startPoller(
      Careloop careloop, org.springframework.context.ConfigurableApplicationContext ctx)
      throws InterruptedException {
    var poller = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "careloop-poller"));
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            var counts = careloop.runner().runDue(careloop.clock().instant());
            if (counts.wakeups() + counts.dispatched() > 0) {
              log.info(
                  "fired {} wake-up(s), dispatched {} outbox item(s)",
                  counts.wakeups(),
                  counts.dispatched());
            }
          } catch (RuntimeException e) {
            // The class only: a message could quote a stored or incoming value.
            log.warn("poller run failed ({}); will retry", e.getClass().getName());
          }
        },
        0,
        POLL.toMillis(),
        TimeUnit.MILLISECONDS);
    poller.scheduleWithFixedDelay(
        () -> {
          try {
            var run = careloop.weeklyCareGapReport().run(careloop.clock().instant());
            if (run.made() + run.notified() > 0)
              log.info(
                  "made {} weekly care-gap report(s), sent {} notice(s)",
                  run.made(),
                  run.notified());
          } catch (RuntimeException e) {
            log.warn("weekly care-gap report run failed ({}); will retry", e.getClass().getName());
          }
        },
        0,
        REPORT_POLL.toMillis(),
        TimeUnit.MILLISECONDS);
    // EHR connections on a thread of their own: a slow EHR never holds back a message.
    var ehr = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "careloop-ehr-poller"));
    ehr.scheduleWithFixedDelay(
        () -> {
          try {
            for (var o : careloop.ehrPolling().pollAll(careloop.clock().instant())) {
              if (o.failure().isPresent())
                log.warn(
                    "EHR connection {} of practice {}: poll failed ({}); will retry",
                    o.name(),
                    o.practiceId(),
                    o.failure().get());
              else
                o.result()
                    .flatMap(org.careloop.app.intake.EhrPolling.Result::imported)
                    .ifPresent(r ->
                        log.info(
                            "EHR connection {} of practice {}: {} plan(s) created, {} updated, {}"
                                + " appointment event(s)",
                            o.name(),
                            o.practiceId(),
                            r.plansCreated(),
                            r.plansUpdated(),
                            r.appointmentEvents()));
            }
          } catch (RuntimeException e) {
            log.warn("EHR polling failed ({}); will retry", e.getClass().getName());
          }
        },
        0,
        ehrPollEvery().toMillis(),
        TimeUnit.MILLISECONDS);
    // Notified events on the same thread: a poll and a notification never import side by side.
    var queued = new java.util.concurrent.atomic.AtomicBoolean();
    var workRef = new java.util.concurrent.atomic.AtomicReference<Runnable>();
    Runnable work =
        () -> {
          queued.set(false);
          try {
            var rounds = careloop.ehrNotifications().workDue(careloop.clock().instant());
            // A full round leaves a backlog: the next round is queued at once (behind a poll that
            // is due), not left to the next tick.
            if (rounds.stream().anyMatch(org.careloop.app.intake.EhrNotifications.Round::full)
                && queued.compareAndSet(false, true)) ehr.execute(workRef.get());
            for (var r : rounds)
              log.info(
                  "EHR connection {} of practice {}: {} notified event(s) worked, {} to retry",
                  r.connection(),
                  r.practiceId(),
                  r.worked(),
                  r.retrying());
          } catch (RuntimeException e) {
            log.warn("EHR notification work failed ({}); will retry", e.getClass().getName());
          }
        };
    workRef.set(work);
    careloop.onEhrNotification(() -> {
      if (queued.compareAndSet(false, true)) ehr.execute(work);
    });
    ehr.scheduleWithFixedDelay(work, 1, EHR_WORK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    if (careloop.channels().bounces().isPresent()) {
      poller.scheduleWithFixedDelay(
          () -> {
            try {
              int n = careloop.pollBounces();
              if (n > 0) log.info("applied {} bounce report(s)", n);
            } catch (RuntimeException e) {
              log.warn("bounce mailbox poll failed ({}); will retry", e.getClass().getName());
            }
          },
          0,
          BOUNCE_POLL.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    String url = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
    log.info(
        "careloop serving at {} ({} clock, database {})",
        url,
        careloop.isSimulated() ? "simulated" : "real",
        careloop.databaseUrl());
    System.out.println("careloop is running at " + url + "  (Ctrl-C to stop)");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> {
              poller.shutdown();
              ctx.close();
              careloop.close();
            }));
    // Serve until the process is stopped (Ctrl-C, SIGTERM); the shutdown hook closes everything.
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
