-- Which protocol an event starts at a practice, where the practice chose (e.g. its weekly CSV is a
-- recall list, not treatment plans). Without a row, the protocol whose triggers name the event.
create table practice_protocol (
  practice_id varchar(64) not null references practice (id),
  event       varchar(60) not null,
  protocol_id varchar(100) not null,
  primary key (practice_id, event)
);
