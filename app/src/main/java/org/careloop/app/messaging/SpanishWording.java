package org.careloop.app.messaging;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.careloop.app.messaging.Templates.Template;
import org.careloop.core.Effect;
import org.careloop.core.StepKind;

/**
 * The shipped wording in Spanish: every template English has, under the same lint (fields, one
 * GSM-7 segment with the longest names). Texts leave out the accents GSM-7 lacks (á, í, ó, ú) and
 * keep é, ñ, ¿ and ¡, which it has: one á would send a text as UCS-2, 70 characters a segment.
 * Emails are written in full. SI is the reply they invite, which careloop takes as wanting to book.
 */
final class SpanishWording {
  private SpanishWording() {}

  static final Wording SPANISH = spanish();

  private static Wording spanish() {
    var steps = new EnumMap<StepKind, String>(StepKind.class);
    steps.put(StepKind.VISIT, "consulta de seguimiento");
    steps.put(StepKind.LAB, "prueba de laboratorio");
    steps.put(StepKind.REFERRAL, "visita al especialista");
    steps.put(StepKind.THERAPY, "cita de terapia");
    steps.put(StepKind.MEDICATION_CHECK, "control de medicamentos");
    steps.put(StepKind.IMAGING, "prueba de imagen");
    steps.put(StepKind.PROCEDURE, "procedimiento");
    steps.put(StepKind.TREATMENT, "tratamiento");
    steps.put(StepKind.OTHER, "seguimiento");
    var wording =
        new Wording(
            "es",
            templates(),
            steps,
            " Baja: responda STOP.",
            "Cita: ",
            "Llame al %s o responda SI.",
            "Llame al %s para pedir cita.",
            "Responda SI para pedir cita.",
            "Llámenos para pedir cita.",
            "Para dejar de recibir estos correos: ");
    if (!wording.templates().keySet().equals(Templates.DEFAULTS.keySet()))
      throw new IllegalStateException(
          "the Spanish templates are not the English ones: "
              + wording.templates().keySet()
              + " vs "
              + Templates.DEFAULTS.keySet());
    return Templates.requireLinted(wording);
  }

  private static Map<String, Template> templates() {
    var t = new LinkedHashMap<String, Template>();
    String footer = "\n\nSi ya tiene cita, gracias: puede ignorar este mensaje.\n\n— {practice}";
    t.put(
        "INTAKE",
        new Template(
            Effect.Purpose.CARE,
            "Hola {first}, {practice}: ahora toca su {step}. {action}",
            "Su plan de cuidado con {practice}",
            "Hola {first}, le escribe {practice}. Su plan de cuidado está listo; lo siguiente es"
                + " su {step}. {action}"
                + footer));
    t.put(
        "CHECK_IN",
        new Template(
            Effect.Purpose.CARE,
            "Hola {first}, {practice}: ¿tiene fecha para su {step}? {action}",
            "Fecha para su {step}",
            "Hola {first}, le escribe {practice}: ¿ya tiene fecha para su {step}? {action}"
                + footer));
    t.put(
        "REMINDER",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hola {first}, {practice}: pida cita para su {step}. {action}",
            "Su {step}",
            "Hola {first}, un recordatorio de {practice}: es hora de pedir cita para su {step}."
                + " {action}"
                + footer));
    t.put(
        "MISSED_APPOINTMENT",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hola {first}, {practice}: no pudo venir a su {step}. {action}",
            "No pudimos verle en su {step}",
            "Hola {first}, en {practice} no pudimos verle en su {step}. {action}" + footer));
    t.put(
        "CANCELLED_REBOOK",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hola {first}, {practice}: nueva fecha para su {step}. {action}",
            "Busquemos nueva fecha para su {step}",
            "Hola {first}, le escribe {practice}. Su {step} se canceló; busquemos una nueva"
                + " fecha. {action}"
                + footer));
    t.put(
        "CARE_GAP",
        new Template(
            Effect.Purpose.CARE,
            "Hola {first}, {practice}: su {step} lleva retraso. {action}",
            "Su {step} lleva retraso",
            "Hola {first}, su {step} con {practice} ya debería haberse hecho. {action}" + footer));
    t.put(
        "FINANCING_OFFER",
        new Template(
            Effect.Purpose.MARKETING,
            "Hola {first}, {practice}: pague su {step} a plazos. {action}",
            "Planes de pago para su {step}",
            "Hola {first}, {practice} ofrece pagos mensuales para su {step}. {action}" + footer));
    t.put(
        "VISIT_SUMMARY",
        new Template(
            Effect.Purpose.CARE,
            "Hola {first}, {practice}: tras la visita, su {step}. {action}",
            "Después de su visita a {practice}",
            "Hola {first}, gracias por visitar hoy {practice}.\n\nLo siguiente es su {step}."
                + " {action}\n\nLas notas de su visita están en su portal del paciente."
                + footer));
    t.put(
        "RECALL_INVITE",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hola {first}, {practice}: su médico pide su {step}. {action}",
            "Es hora de su {step}",
            "Hola {first}, su médico de {practice} le recomienda su {step}. {action}" + footer));
    t.put(
        "DENTAL_TREATMENT_WAITING",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hola {first}, {practice}: su plan de {step} espera. {action}",
            "Su plan de tratamiento con {practice}",
            "Hola {first}, el plan de {step} que {practice} le explicó está listo cuando usted"
                + " quiera. {action}"
                + footer));
    String faq =
        """


        Preguntas frecuentes
        - ¿Duele? Su dentista anestesia la zona y le explica cada paso.
        - ¿Cuántas visitas? Depende del tratamiento; las planificamos según su horario.
        - ¿Qué cubre el seguro? Llámenos y revisamos su cobertura antes de reservar.\
        """;
    String details =
        "Hola {first}, este es un resumen del plan de {step} que {practice} le presentó.\n\n"
            + "Costo estimado: {estimate} antes del seguro.";
    t.put(
        "DENTAL_DETAILS",
        new Template(
            Effect.Purpose.CARE,
            "Hola {first}, {practice}: le enviamos por email los detalles de su plan de {step}.",
            "Sobre su plan de tratamiento",
            details + faq + "\n\n{action}" + footer));
    t.put(
        "DENTAL_DETAILS_FINANCING",
        new Template(
            Effect.Purpose.MARKETING,
            "Hola {first}, {practice}: le enviamos por email los detalles de su plan de {step}.",
            "Sobre su plan de tratamiento y cómo pagarlo",
            details
                + "\n\nPago a plazos\nPuede repartir el costo en pagos mensuales. Pregunte por la"
                + " financiación al reservar."
                + faq
                + "\n\n{action}"
                + footer));
    t.put(
        "DENTAL_SPOT_SAVED",
        new Template(
            Effect.Purpose.APPOINTMENT,
            "Hola {first}, {practice}: hueco libre para su {step}. {action}",
            "Le guardamos su hueco",
            "Hola {first}, {practice} le guardó un hueco para su {step}. {action}" + footer));
    return t;
  }
}
