-- A message is marked SENDING and committed before the channel is called, with the (wall-clock)
-- time of the attempt; a row still SENDING after a crash is reconciled with the channel before
-- anything is sent again. WITHHELD: the send-time re-check stopped it (opt-out, pause, ...).
alter table outbox add column sending_at timestamp with time zone;
create index outbox_sending on outbox (status, sending_at);
