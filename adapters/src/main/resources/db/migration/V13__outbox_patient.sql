-- The re-check at send counts the patient's messages really sent (the frequency caps), and a reply
-- finds the plan last messaged on a number: both look the outbox up by patient.
create index outbox_patient on outbox (patient_id, status, sent_at);

-- The next due messages are read in this index's order, so finding them costs no sort of the
-- whole backlog.
drop index outbox_due;
create index outbox_due on outbox (status, next_attempt_at, id);
