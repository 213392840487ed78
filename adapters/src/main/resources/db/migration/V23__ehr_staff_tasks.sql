-- Where a practice keeps its staff's work: careloop's worklist only (false), or the EHR's task
-- list too (true: each case careloop opens for staff is written there as a FHIR Task).
alter table ehr_connection add column staff_tasks boolean default false not null;
