package org.careloop.server;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every read of the JSON API by a person is audited: who, which resource, when. */
@Configuration
public class ApiAudit implements WebMvcConfigurer {
  private final Careloop careloop;

  public ApiAudit(Careloop careloop) {
    this.careloop = careloop;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(
            new HandlerInterceptor() {
              @Override
              public boolean preHandle(
                  HttpServletRequest request, HttpServletResponse response, Object handler) {
                var who = request.getUserPrincipal();
                if (who != null) {
                  String practice =
                      careloop
                          .administration()
                          .person(who.getName())
                          .map(u -> u.practiceId())
                          .orElse(null);
                  careloop
                      .administration()
                      .audit(
                          who.getName(),
                          Optional.ofNullable(practice),
                          "api." + request.getMethod().toLowerCase(java.util.Locale.ROOT),
                          request.getRequestURI(),
                          careloop.clock().instant());
                }
                return true;
              }
            })
        .addPathPatterns("/api/**");
  }
}
