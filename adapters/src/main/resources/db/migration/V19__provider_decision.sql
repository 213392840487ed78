-- A provider's decision on a case from the review queue: its own field, one of the queue's choices
-- (the words of a choice, never free text; the provider's note goes, encrypted, in next_action).
alter table task_note add column decision varchar(60);
