-- What an EHR write-back records as its channel's id names the practice, the connection, the
-- resource at the EHR (with its version) and the outbox item: a case's Task or Flag is the same
-- resource written again on each change, and two practices' EHRs can hand out the same ids.
alter table outbox alter column provider_id set data type varchar(1000);
