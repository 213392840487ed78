-- Every protocol version careloop has run, with the text it was read from: a plan keeps the
-- version it started on even after its file is replaced by a newer one.
create table protocol_version (
  protocol_id varchar(100) not null,
  version     integer not null,
  sha256      varchar(64) not null,
  source      varchar(200000) not null,
  file        varchar(500) not null,
  loaded_at   timestamp with time zone not null,
  primary key (protocol_id, version)
);
