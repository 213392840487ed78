-- The orders (ServiceRequests, MedicationRequests, Tasks) a plan's steps stand for, by the
-- practice and the keyed index of their source key: an Appointment the EHR sends later on its own,
-- basedOn one of them, books that step and no other. The source key itself is encrypted.
create table order_link (
  practice_id   varchar(64) not null references practice (id),
  source_hash   varchar(64) not null,
  source_key    varchar(1000) not null,
  plan_id       varchar(64) not null references plan (id),
  milestone_key varchar(200) not null,
  primary key (practice_id, source_hash)
);
create index order_link_plan on order_link (plan_id);
