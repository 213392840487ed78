-- One case per need: what a task is for (a care gap, a call to make, a reply to read), and while
-- it is open, its plan's step and need, unique per plan, so a newer fact updates the open case
-- instead of adding a twin. A closed case keeps its need; its open key is cleared.
alter table task add column need varchar(40);
alter table task add column open_need varchar(260);
create unique index task_open_need on task (plan_id, open_need);
