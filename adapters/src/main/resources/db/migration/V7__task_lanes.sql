-- Coordinator lanes: who owns a task and who covers, and its escalation when the response window
-- passes.
alter table task add column owner_role varchar(40);
alter table task add column backup_role varchar(40);
alter table task add column escalated_at timestamp with time zone;
alter table task add column escalated_to varchar(40);
alter table task add column escalation_reason varchar(400);
create index task_escalation on task (status, escalated_at, respond_by);
