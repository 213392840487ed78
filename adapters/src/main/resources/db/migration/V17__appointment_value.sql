-- What a kept appointment is worth to the practice, in cents: the dashboard's revenue figures
-- count a recovered appointment at it when its plan carries no value of its own. Unset: not counted.
alter table practice add column appointment_value_cents bigint;

-- The dashboard reads a practice's plans alive in a span: active, or changed since its start.
create index plan_practice_span on plan (practice_id, status, updated_at);
