-- A practice's connections to its EHR: where its FHIR API is and how careloop signs in to it. No
-- secret is stored: a connection names where careloop reads one (env:NAME or file:PATH).
create table ehr_connection (
  practice_id     varchar(64) not null references practice (id),
  name            varchar(64) not null,
  fhir_base       varchar(1000) not null,
  auth            varchar(20) not null,
  client_id       varchar(200),
  scope           varchar(1000),
  secret_ref      varchar(1000),
  created_at      timestamp with time zone not null,
  updated_at      timestamp with time zone not null,
  disconnected_at timestamp with time zone,
  primary key (practice_id, name)
);

-- How far polling has read each resource type of a connection: the newest meta.lastUpdated seen
-- among what matched, kept only once what was read is imported.
create table ehr_cursor (
  practice_id   varchar(64) not null,
  connection    varchar(64) not null,
  resource_type varchar(40) not null,
  last_updated  timestamp with time zone not null,
  polled_at     timestamp with time zone not null,
  primary key (practice_id, connection, resource_type),
  foreign key (practice_id, connection) references ehr_connection (practice_id, name)
);
