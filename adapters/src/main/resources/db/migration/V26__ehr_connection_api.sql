-- What an EHR connection's API speaks: FHIR (every connection made before) or HEALTHIE (its
-- GraphQL API, read by appointment and client).
alter table ehr_connection add column api varchar(20) default 'FHIR' not null;
