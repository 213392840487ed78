-- A patient's date of birth, when the source sends a whole one: on the case and searched by in the
-- worklist, never in a message. Encrypted like every other field of the patient (ISO date).
alter table patient add column birth_date varchar(200);
