-- Patient data is stored encrypted (AES-GCM, base64): the columns need room for the nonce,
-- the tag and the encoding. SET DATA TYPE is accepted by H2 and PostgreSQL alike.
alter table patient alter column first_name set data type varchar(1000);
alter table patient alter column last_name set data type varchar(1000);
alter table patient alter column mobile set data type varchar(200);
alter table patient alter column voice_phone set data type varchar(200);
alter table patient alter column email set data type varchar(1000);
alter table sandbox_message alter column recipient set data type varchar(1000);
alter table sandbox_message alter column subject set data type varchar(1000);
alter table sandbox_message alter column body set data type varchar(8000);
alter table outbox alter column note set data type varchar(8000);
alter table task alter column detail set data type varchar(8000);
alter table plan alter column state set data type varchar(2000000);
