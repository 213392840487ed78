-- The newest version (meta.lastUpdated) of each resource careloop took from an EHR notification that
-- carried it: a notification delivered late with an older version (athenahealth delivers out of
-- order) is then not imported over the newer one. Resource ids only, no values.
create table ehr_resource_taken (
  practice_id   varchar(64) not null,
  connection    varchar(64) not null,
  focus         varchar(1000) not null,
  last_updated  timestamp with time zone not null,
  primary key (practice_id, connection, focus),
  foreign key (practice_id, connection) references ehr_connection (practice_id, name)
);
